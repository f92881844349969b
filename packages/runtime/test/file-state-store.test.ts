import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FileStateStore, STATE_FILE, StateStoreError } from '@charms/runtime';

const here = dirname(fileURLToPath(import.meta.url));
const folder = () => mkdtempSync(join(tmpdir(), 'state-'));

describe('FileStateStore', () => {
  it('has nothing before the first commit, then returns what was committed', async () => {
    const store = new FileStateStore(join(folder(), STATE_FILE));
    expect(await store.load()).toBeUndefined();
    await store.commit({ flags: { a: null }, data: { k: [1] } });
    expect(await store.load()).toEqual({ flags: { a: null }, data: { k: [1] } });
    expect(statSync(store.path).mode & 0o777).toBe(0o600);
  });

  it('a commit removes the temporary files that killed commits left (their pid is gone), not a live one’s', async () => {
    const dir = folder();
    const store = new FileStateStore(join(dir, STATE_FILE));
    const dead = spawnSync('/bin/true').pid!;
    writeFileSync(join(dir, `${STATE_FILE}.${dead}.tmp`), '{"torn');
    writeFileSync(join(dir, `${STATE_FILE}.1.tmp`), '{"pid 1 is alive');
    await store.commit({ flags: { a: null }, data: {} });
    expect(readdirSync(dir).sort()).toEqual([STATE_FILE, `${STATE_FILE}.1.tmp`]);
  });

  it('a failed write leaves the previous state and no temporary file', async () => {
    const dir = folder();
    const store = new FileStateStore(join(dir, STATE_FILE));
    await store.commit({ flags: { old: null }, data: {} });
    const before = readFileSync(store.path);
    // Make the temporary file impossible to create: a folder stands in its place.
    mkdirSync(join(dir, `${STATE_FILE}.${process.pid}.tmp`));
    const error = await store.commit({ flags: { new: null }, data: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateStoreError);
    expect(error).toMatchObject({ code: 'STATE_WRITE_FAILED', location: store.path });
    expect(readFileSync(store.path)).toEqual(before);
    expect(readdirSync(dir)).toEqual([STATE_FILE]);
  });

  it('an unreadable state file is STATE_UNREADABLE, naming it', async () => {
    const dir = folder();
    mkdirSync(join(dir, STATE_FILE));
    await expect(new FileStateStore(join(dir, STATE_FILE)).load()).rejects.toMatchObject({
      code: 'STATE_UNREADABLE',
      location: join(dir, STATE_FILE),
    });
  });

  it('a corrupt file is STATE_CORRUPT and is not replaced by loading', async () => {
    const path = join(folder(), STATE_FILE);
    writeFileSync(path, '{"format":"charms.unit-state/1","flags":{');
    await expect(new FileStateStore(path).load()).rejects.toMatchObject({ code: 'STATE_CORRUPT', location: path });
    expect(readFileSync(path, 'utf8')).toBe('{"format":"charms.unit-state/1","flags":{');
  });

  it('a process killed while writing leaves one whole state, old or new, every time', async () => {
    for (let round = 0; round < 4; round += 1) {
      const path = join(folder(), STATE_FILE);
      const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', join(here, 'fixtures', 'state-writer.ts'), path], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
      await new Promise((resolve) => setTimeout(resolve, 5 + round * 17));
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      const state = await new FileStateStore(path).load();
      const tag = Object.keys(state!.flags)[0]!;
      expect(['a', 'b']).toContain(tag);
      expect(state!.data.payload).toBe(tag.repeat(2_000_000));
      expect(existsSync(path)).toBe(true);
    }
    // Four Node starts with tsx: many seconds on a busy two-core machine.
  }, 120_000);
});
