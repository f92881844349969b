import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCharm } from '@charms/build';
import { createModel, type LocalModel } from '@charms/model';
import { HOOK_GATE_VARIABLE, honoursHookGate, PrestartedHook } from '../src/hook-prestart.js';

// Juju runs a unit's hooks one at a time (the uniter's operation executor), and so does
// the model: while a hook runs, the next hook's process may start, but it waits at its
// start script's gate before any of the charm's code runs, and is let through only when
// its turn comes with the environment foreseen (issue 20: a deploy in ≤ 1 s).

const here = dirname(fileURLToPath(import.meta.url));
const TIMEOUT = 120_000;
let built: string;
const models: LocalModel[] = [];

beforeAll(async () => {
  built = join(mkdtempSync(join(tmpdir(), 'hook-prestart-')), 'kv');
  await buildCharm({ charmDir: join(here, 'fixtures', 'podspec-charm'), outDir: built });
}, TIMEOUT);
afterAll(() => Promise.all(models.map((model) => model.destroy())), TIMEOUT);

/** A copy of the built charm, changed by `change`. */
function copyOfBuilt(change: (dir: string) => void): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'hook-prestart-copy-')), 'kv');
  cpSync(built, dir, { recursive: true });
  change(dir);
  return dir;
}

/** The processes of this machine still waiting at a hook gate. */
function gatedProcesses(): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/environ`, 'latin1').split('\0').some((entry) => entry.startsWith(`${HOOK_GATE_VARIABLE}=`))) found.push(Number(name));
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return found;
}

/** Whether the process `pid` is still there. */
const alive = (pid: number) => existsSync(`/proc/${pid}`);

describe('hooks started ahead of their turn', () => {
  it('a deploy starts each hook after the first while the one before runs; each runs its tools and commits before the next starts', async () => {
    const model = await createModel({ dir: mkdtempSync(join(tmpdir(), 'hook-prestart-model-')) });
    models.push(model);
    await model.deploy(built, { resources: { image: 'example/kv:1' } });
    expect(model.status().applications.kv!.units['kv/0']!['workload-status']).toMatchObject({ current: 'active', message: 'serving' });
    const timeline = model.timeline('kv/0');
    const starts = timeline.filter((e) => e.kind === 'hook-start');
    expect(starts.map((e) => e.hook).slice(0, 4)).toEqual(['install', 'leader-elected', 'config-changed', 'start']);
    // The first hook has nothing before it; each later one was waiting at its gate.
    expect(starts.map((e) => e.prestarted === true)).toEqual(starts.map((_, index) => index > 0));
    // One hook at a time: every tool call between its hook's start and its commit. A hook
    // that ran before its turn would have called with a context the model does not know yet,
    // been refused ("wrong context ID") and been discarded.
    let running: string | undefined;
    for (const entry of timeline) {
      if (entry.kind === 'hook-start') {
        expect(running).toBeUndefined();
        running = entry.hook;
      } else {
        expect(entry.hook).toBe(running);
        if (entry.kind === 'commit' || entry.kind === 'discard') running = undefined;
      }
    }
    expect(timeline.filter((e) => e.kind === 'discard')).toEqual([]);
    // Nothing is left waiting once the queue is empty.
    expect(gatedProcesses()).toEqual([]);
  }, TIMEOUT);

  it('a charm whose dispatch is not the one charms build writes is never started early', async () => {
    const wrapped = copyOfBuilt((dir) => writeFileSync(join(dir, 'dispatch'), `${readFileSync(join(dir, 'dispatch'), 'utf8')}# edited\n`, { mode: 0o755 }));
    expect(honoursHookGate(built)).toBe(true);
    expect(honoursHookGate(wrapped)).toBe(false);
    // Nor one that carries its own Node (charms pack --with-node): dispatch runs that instead.
    expect(honoursHookGate(copyOfBuilt((dir) => mkdirSync(join(dir, 'bin', 'charm'), { recursive: true })))).toBe(false);
    // Nor one whose start script has no gate (built before it existed).
    const ungated = copyOfBuilt((dir) => writeFileSync(join(dir, 'dist', 'start.cjs'), readFileSync(join(dir, 'dist', 'start.cjs'), 'utf8').replaceAll('charms-hook-gate/1', 'no gate')));
    expect(honoursHookGate(ungated)).toBe(false);
    const model = await createModel({ dir: mkdtempSync(join(tmpdir(), 'hook-prestart-model-')) });
    models.push(model);
    await model.deploy(wrapped, { resources: { image: 'example/kv:1' } });
    const starts = model.timeline('kv/0').filter((e) => e.kind === 'hook-start');
    expect(starts.map((e) => e.hook).slice(0, 4)).toEqual(['install', 'leader-elected', 'config-changed', 'start']);
    expect(starts.filter((e) => e.prestarted)).toEqual([]);
  }, TIMEOUT);

  it('with NODE_OPTIONS given for every hook, no hook is started early (an inspector or a --require would act in two processes at once)', async () => {
    const model = await createModel({ dir: mkdtempSync(join(tmpdir(), 'hook-prestart-model-')), hookEnv: { NODE_OPTIONS: '--no-warnings' } });
    models.push(model);
    await model.deploy(built, { resources: { image: 'example/kv:1' } });
    const starts = model.timeline('kv/0').filter((e) => e.kind === 'hook-start');
    expect(starts.length).toBeGreaterThan(1);
    expect(starts.filter((e) => e.prestarted)).toEqual([]);
  }, TIMEOUT);

  it('a process at the gate runs nothing of the charm; ended unrun it exits, let through it runs the hook', async () => {
    const work = mkdtempSync(join(tmpdir(), 'hook-prestart-gate-'));
    const charmDir = copyOfBuilt(() => undefined);
    // What main() writes as the hook ends (CHARMS_HOOK_PHASES): there only if the charm's code ran.
    const env = (phases: string): NodeJS.ProcessEnv => ({
      PATH: `${dirname(process.execPath)}:/usr/bin:/bin`,
      JUJU_UNIT_NAME: 'kv/0',
      JUJU_CHARM_DIR: charmDir,
      JUJU_CONTEXT_ID: 'kv/0-update-status-1',
      JUJU_HOOK_NAME: 'update-status',
      JUJU_DISPATCH_PATH: 'hooks/update-status',
      JUJU_MODEL_NAME: 'gate',
      CHARMS_HOOK_PHASES: phases,
    });
    const started: number[] = [];
    const exited = (hook: PrestartedHook) => new Promise<number | null>((done) => hook.child.once('exit', (code) => done(code)));

    const ended = PrestartedHook.start(charmDir, env(join(work, 'ended.jsonl')), (pgid) => started.push(pgid));
    const endedExit = exited(ended);
    await new Promise((done) => setTimeout(done, 1500));
    expect(ended.waiting).toBe(true);
    expect(alive(ended.child.pid!)).toBe(true);
    expect(existsSync(join(work, 'ended.jsonl'))).toBe(false);
    ended.discard();
    expect(await endedExit).toBe(0);
    expect(existsSync(join(work, 'ended.jsonl'))).toBe(false);

    const opened = PrestartedHook.start(charmDir, env(join(work, 'opened.jsonl')), (pgid) => started.push(pgid));
    const openedExit = exited(opened);
    opened.child.stdout!.resume();
    opened.child.stderr!.resume();
    opened.open();
    // No model answers its tools, so the hook fails; what matters is that it ran.
    await openedExit;
    const record = JSON.parse(readFileSync(join(work, 'opened.jsonl'), 'utf8')) as { hook: string; gateWait?: number };
    expect(record.hook).toBe('update-status');
    // The wait at the gate is told apart from the hook's own time.
    expect(record.gateWait).toBeTypeOf('number');
    expect(started).toEqual([ended.child.pid, opened.child.pid]);
  }, TIMEOUT);
});
