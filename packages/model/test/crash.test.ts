import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createModel } from '@charms/model';
import { ModelStore, type LockHolder } from '../src/model-store.js';
import { groupMembers } from '../src/process-groups.js';
// The same trials as bench/kill-trials.mjs (30 there; a few here).
// @ts-expect-error a plain script of the repository, without types
import { counterCharm, hookProcesses, killTrials } from '../../../bench/kill-trials.mjs';
import { temporaryFolders } from './helpers/temp-folders.js';

// Crash safety of the model itself: a killed command, its hooks and its lock.

const folder = temporaryFolders('charms-crash');

/** A pid that is not running: a child that has exited (and been reaped). */
function deadPid(): number {
  return spawnSync('/bin/true').pid!;
}

describe('crash safety of the local model', () => {
  it('survives the charms command killed at random points in a hook and in its commit', { timeout: 90_000 }, async () => {
    const lines: string[] = [];
    const { rows, problems } = await killTrials({ trials: 6, seed: 7, nap: '0.03', say: (line: string) => lines.push(line) });
    expect(problems, lines.join('\n')).toEqual([]);
    expect(rows).toHaveLength(6);
    // Half of the kills landed once the hook had started.
    expect(rows.filter((row: { inHook: boolean }) => row.inHook)).toHaveLength(3);
  });

  it('runs each hook in a process group of its own, with a context id used once', async () => {
    const model = await createModel({ dir: folder() });
    await model.deploy(counterCharm, { config: { nap: '0' } });
    await model.setConfig('counter', { tick: 'a' });
    await model.setConfig('counter', { tick: 'b' });
    const ids = Object.entries(model.snapshot().apps.counter!.units[0]!.controllerState)
      .filter(([key]) => key.startsWith('seen-'))
      .map(([, id]) => id);
    expect(new Set(ids).size).toBe(2);
    // Nothing is left recorded as running, and no hook process lives on.
    expect(readdirSync(join(model.dir, 'run')).filter((name) => name.startsWith('hook.'))).toEqual([]);
    expect(hookProcesses(model.dir)).toEqual([]);
  });

  it('shows the unit executing while its hook runs (model.json is saved before the hook starts)', async () => {
    const model = await createModel({ dir: folder() });
    await model.deploy(counterCharm, { config: { nap: '0.3' } });
    const running = model.setConfig('counter', { tick: 'x' });
    const store = new ModelStore(model.dir);
    let seen: string | undefined;
    for (let i = 0; i < 200 && !seen; i += 1) {
      await new Promise((done) => setTimeout(done, 10));
      const agent = store.load().apps.counter!.units[0]!.agent;
      if (agent.status === 'executing') seen = agent.message;
    }
    await running;
    expect(seen).toBe('running config-changed hook');
    expect(store.load().apps.counter!.units[0]!.agent.status).toBe('idle');
  });

  it('ends the process group of a hook whose command died when the next command takes the lock, and takes the unit out of executing', async () => {
    const model = await createModel({ dir: folder() });
    await model.deploy(counterCharm);
    const store = new ModelStore(model.dir);
    // A leftover hook: a process group of its own with the hook's context id, and a record whose owner is dead.
    const contextId = 'counter/0-config-changed-99';
    const orphan = spawn('/bin/sh', ['-c', 'sleep 30 & sleep 30; wait'], { detached: true, stdio: 'ignore', env: { ...process.env, JUJU_CONTEXT_ID: contextId } });
    await new Promise((done) => setTimeout(done, 100));
    expect(groupMembers(orphan.pid!)!.length).toBeGreaterThanOrEqual(2);
    store.recordHook({ contextId, unit: 'counter/0', hook: 'config-changed', pgid: orphan.pid!, owner: { pid: deadPid() } });
    const record = store.load();
    record.apps.counter!.units[0]!.agent = { status: 'executing', message: 'running config-changed hook', since: record.apps.counter!.units[0]!.agent.since };
    store.save(record);

    const release = await store.lock();
    await release();
    expect(groupMembers(orphan.pid!)).toEqual([]);
    expect(store.hookRecords()).toEqual([]);
    expect(store.load().apps.counter!.units[0]!.agent.status).toBe('idle');
  });

  it('never kills a group that does not hold the recorded hook', async () => {
    const store = new ModelStore(folder());
    store.prepare();
    const other = spawn('/bin/sh', ['-c', 'sleep 30'], { detached: true, stdio: 'ignore', env: { ...process.env, JUJU_CONTEXT_ID: 'someone-else' } });
    await new Promise((done) => setTimeout(done, 100));
    store.recordHook({ contextId: 'counter/0-install-1', unit: 'counter/0', hook: 'install', pgid: other.pid!, owner: { pid: deadPid() } });
    const release = await store.lock();
    await release();
    expect(groupMembers(other.pid!)!.length).toBeGreaterThan(0);
    process.kill(-other.pid!, 'SIGKILL');
  });

  it('says who holds the lock while it waits, and names the holder when it gives up', async () => {
    const dir = folder();
    const first = new ModelStore(dir);
    first.prepare();
    const release = await first.lock();
    const waits: (LockHolder | undefined)[] = [];
    const second = new ModelStore(dir, { lockTimeout: 300, onWait: (holder) => waits.push(holder) });
    await expect(second.lock()).rejects.toMatchObject({ code: 'MODEL_LOCKED', message: expect.stringContaining(`pid ${process.pid}`) });
    expect(waits).toHaveLength(1);
    expect(waits[0]).toMatchObject({ pid: process.pid, command: expect.any(String) });
    await release();
    const again = await second.lock();
    await again();
  });

  it('takes over at once the lock of a process that died holding it', async () => {
    const dir = folder();
    const store = new ModelStore(dir, { lockTimeout: 2000, onWait: () => {} });
    store.prepare();
    // What a killed command leaves: the lock folder (fresh, so not yet stale by its age) and its holder record.
    mkdirSync(store.file('model.lock'));
    const now = new Date();
    utimesSync(store.file('model.lock'), now, now);
    writeFileSync(store.file('model.lock.holder'), JSON.stringify({ pid: deadPid(), command: 'charms.mjs config', since: now.toISOString() }));
    const started = Date.now();
    const release = await store.lock();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(store.lockHolder()).toMatchObject({ pid: process.pid });
    await release();
  });

  it('removes model.json temporary files of dead processes when the model opens', () => {
    const store = new ModelStore(folder());
    store.prepare();
    const leftover = store.file(`model.json.${deadPid()}.tmp`);
    writeFileSync(leftover, '{"torn');
    store.prepare();
    expect(readdirSync(store.dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});
