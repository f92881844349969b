import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCharm, packCharm } from '@charms/build';
import { FakeJuju } from '../../hooktools/test/fixtures/fake-juju.js';
import { runCommand } from '../../cli/test/helpers/run-command.js';
import { fixture, out, runHook } from './helpers/two-layers.js';
import { unzip, zipEntries } from './helpers/zip.js';

// Builds (esbuild) and hooks (a Node start each) take seconds each on a busy two-core
// machine: the tests that start them get minutes.
const TIMEOUT = 120_000;

describe('charms pack', { timeout: TIMEOUT }, () => {
  let built: string;
  beforeAll(async () => {
    built = out();
    await buildCharm({ charmDir: join(fixture, 'charm'), outDir: built });
  }, TIMEOUT);

  it('zips the layout Juju expects, executable bits kept, and the unpacked charm runs', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'packed-')), 'demo.charm');
    const summary = await packCharm({ builtDir: built, output: file });
    const entries = await zipEntries(file);
    expect(Object.keys(entries)).toEqual(
      expect.arrayContaining(['metadata.yaml', 'config.yaml', 'manifest.yaml', 'layer.yaml', 'dispatch', 'hooks/install', 'dist/charm.cjs']),
    );
    expect(entries['dispatch']).toBe(0o755);
    expect(entries['hooks/install']).toBe(0o755);
    expect(entries['metadata.yaml']).toBe(0o644);
    expect(entries['.build.manifest']).toBeUndefined();
    expect(summary.entries).toBe(Object.keys(entries).length);

    const unpacked = await unzip(file);
    const result = await runHook(unpacked, 'install');
    expect(result.status).toBe(0);
    // That hook wrote the unit's code cache beside the bundle.
    expect(statSync(join(unpacked, 'dist', '.v8-code-cache')).size).toBeGreaterThan(0);
  });

  it('leaves out a code cache a hook wrote in the built folder: each unit writes its own', async () => {
    const copy = join(mkdtempSync(join(tmpdir(), 'ran-')), 'demo');
    cpSync(built, copy, { recursive: true });
    expect((await runHook(copy, 'install')).status).toBe(0);
    expect(statSync(join(copy, 'dist', '.v8-code-cache')).size).toBeGreaterThan(0);
    const file = join(mkdtempSync(join(tmpdir(), 'packed-')), 'demo.charm');
    const entries = await zipEntries((await packCharm({ builtDir: copy, output: file })).file);
    expect(Object.keys(entries)).toContain('dist/charm.cjs');
    expect(Object.keys(entries).filter((path) => path.includes('v8-code-cache'))).toEqual([]);
  });

  it('--with-node embeds Node, and the charm runs with no node on PATH', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'packed-')), 'demo.charm');
    await packCharm({ builtDir: built, output: file, withNode: true });
    const unpacked = await unzip(file);
    expect(statMode(join(unpacked, 'bin', 'charm'))).toBe(0o755);
    const noNode = mkdtempSync(join(tmpdir(), 'no-node-'));
    const result = await runHook(unpacked, 'install');
    expect(result.status).toBe(0);
    // The same, with PATH holding only the fake Juju tools and /bin (no node anywhere).
    const juju = new FakeJuju({ config: { greeting: 'hello', port: 80 }, relations: {} });
    const env = juju.env({ JUJU_DISPATCH_PATH: 'hooks/install', JUJU_UNIT_NAME: 'demo/0', JUJU_MODEL_NAME: 'test', JUJU_CHARM_DIR: unpacked });
    // PATH: the fake tools (they run programs by their absolute paths) and dirname, nothing else.
    symlinkSync('/usr/bin/dirname', join(noNode, 'dirname'));
    env.PATH = `${juju.bin}:${noNode}`;
    // The shell finds the fake tools on this PATH, and no node.
    expect(spawnSync('/bin/sh', ['-c', 'command -v is-leader; command -v node'], { env, encoding: 'utf8' }).stdout).toBe(`${join(juju.bin, 'is-leader')}\n`);
    const bare = await runCommand(join(unpacked, 'dispatch'), [], { cwd: unpacked, env, timeout: 60_000 });
    expect(bare.stderr).toBe('');
    expect(bare.status).toBe(0);
    expect(juju.world().logs!.some((l) => l.message === 'Invoking reactive handler: demo:install')).toBe(true);
  }, 300_000);

  it('refuses a folder that charms build did not write', async () => {
    await expect(packCharm({ builtDir: join(fixture, 'charm') })).rejects.toMatchObject({ code: 'NOT_BUILT' });
  });
});

function statMode(path: string): number {
  return statSync(path).mode & 0o777;
}
