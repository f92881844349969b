import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCharm, CliError, packCharm } from '@charms/cli';
import { ManifestError } from '@charms/manifest';
import yauzl from 'yauzl';
import { FakeJuju } from '../../hooktools/test/fixtures/fake-juju.js';
import { runCommand } from './helpers/run-command.js';

const here = dirname(fileURLToPath(import.meta.url));
const fixture = join(here, 'fixtures', 'two-layers');
const repo = join(here, '..', '..', '..');

// Builds (esbuild), hooks (a Node start each) and the charms command (bin/charms.mjs) take
// seconds each on a busy two-core machine: the tests that start them get minutes. Processes
// run through runCommand, never spawnSync, which would block vitest's worker meanwhile.
const TIMEOUT = 120_000;

/** A fresh copy of the two-layer fixture, to change or build without touching the repo. */
function copyFixture(): { root: string; charm: string } {
  const root = mkdtempSync(join(tmpdir(), 'two-layers-'));
  cpSync(fixture, root, { recursive: true });
  return { root, charm: join(root, 'charm') };
}

function out(): string {
  return join(mkdtempSync(join(tmpdir(), 'built-')), 'demo');
}

/**
 * Runs one hook of a built (or unpacked) charm through its dispatch, under fake Juju tools;
 * killed after a minute, so that a hang fails the test rather than blocking the file.
 */
async function runHook(charmDir: string, hook: string, env: Record<string, string> = {}) {
  const juju = new FakeJuju({ config: { greeting: 'hello', port: 80 }, relations: {} });
  const result = await runCommand(join(charmDir, 'dispatch'), [], {
    cwd: charmDir,
    timeout: 60_000,
    env: juju.env({
      JUJU_DISPATCH_PATH: `hooks/${hook}`,
      JUJU_UNIT_NAME: 'demo/0',
      JUJU_MODEL_NAME: 'test',
      JUJU_CHARM_DIR: charmDir,
      ...env,
    }),
  });
  return { ...result, juju };
}

function problemOf(error: unknown) {
  expect(error instanceof CliError || error instanceof ManifestError).toBe(true);
  return (error as CliError).problems[0]!;
}

describe('charms build', { timeout: TIMEOUT }, () => {
  let built: string;
  beforeAll(async () => {
    built = out();
    await buildCharm({ charmDir: join(fixture, 'charm'), outDir: built });
  }, TIMEOUT);

  it('merges metadata: series higher first, relations from every layer, the maintainer of the charm', () => {
    expect(readFileSync(join(built, 'metadata.yaml'), 'utf8')).toBe(
      [
        'name: demo',
        'summary: A charm built from two local layers and layer:status',
        'maintainer: Demo Team <demo@example.com>',
        'series:',
        '  - focal',
        '  - jammy',
        'requires:',
        '  db:',
        '    interface: mysql',
        'provides:',
        '  website:',
        '    interface: http',
        '',
      ].join('\n'),
    );
  });

  it('merges config options, lower layers first', () => {
    expect(readFileSync(join(built, 'config.yaml'), 'utf8')).toMatch(/^options:\n  port:\n[\s\S]*\n  greeting:\n/);
  });

  it('writes every layer’s options with their defaults into layer.yaml', () => {
    expect(readFileSync(join(built, 'layer.yaml'), 'utf8')).toBe(
      [
        'includes:',
        '  - layer:status',
        '  - ../layers/base',
        '  - ../layers/extra',
        'options:',
        '  status:',
        '    patch-hookenv: true',
        '  base:',
        '    flavour: spicy',
        '    retries: 3',
        '  extra:',
        '    enabled: true',
        '  demo: {}',
        'is: demo',
        '',
      ].join('\n'),
    );
  });

  it('writes dispatch and a hook for every standard, relation and storage hook, all executable', () => {
    const hooks = readFileSync(join(built, '.build.manifest'), 'utf8');
    const names = Object.keys(JSON.parse(hooks).signatures).filter((p) => p.startsWith('hooks/'));
    expect(names).toHaveLength(20);
    expect(names).toEqual(expect.arrayContaining(['hooks/install', 'hooks/db-relation-joined', 'hooks/website-relation-departed']));
    for (const path of ['dispatch', 'hooks/install']) expect(statMode(join(built, path))).toBe(0o755);
  });

  it('copies plain files, the charm’s overriding its layers’', () => {
    expect(readFileSync(join(built, 'README.md'), 'utf8')).toContain("The charm's own README");
    expect(existsSync(join(built, 'icon.svg'))).toBe(true);
    expect(existsSync(join(built, 'templates', 'extra.conf'))).toBe(true);
    expect(existsSync(join(built, 'reactive'))).toBe(false);
  });

  it('records every file with its origin layer and hash in .build.manifest', () => {
    const manifest = JSON.parse(readFileSync(join(built, '.build.manifest'), 'utf8'));
    expect(manifest.layers).toEqual([
      { name: 'status', ref: 'layer:status' },
      { name: 'base', ref: '../layers/base' },
      { name: 'extra', ref: '../layers/extra' },
      { name: 'demo', ref: '.' },
    ]);
    expect(manifest.signatures['icon.svg']).toEqual(['../layers/base', 'static', expect.stringMatching(/^[0-9a-f]{64}$/)]);
    expect(manifest.signatures['README.md'][0]).toBe('.');
  });

  it('runs a hook through OUT_DIR/dispatch, handlers in include order then file order', async () => {
    const result = await runHook(built, 'install');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const logs = result.juju.world().logs!.map((l) => l.message);
    expect(logs.filter((m) => m.startsWith('Invoking'))).toEqual([
      'Invoking reactive handler: base:install',
      'Invoking reactive handler: extra:first',
      'Invoking reactive handler: extra:Second.second',
      'Invoking reactive handler: demo:install',
      'Invoking reactive handler: extra:Second.afterBase',
    ]);
    expect(logs).toContain('demo: greeting hello, flavour spicy');
  });

  it('gives identical output when built twice', async () => {
    const again = out();
    await buildCharm({ charmDir: join(fixture, 'charm'), outDir: again });
    expect(readFileSync(join(again, '.build.manifest'), 'utf8')).toBe(readFileSync(join(built, '.build.manifest'), 'utf8'));
    expect(readFileSync(join(again, 'dist', 'charm.mjs'))).toEqual(readFileSync(join(built, 'dist', 'charm.mjs')));
  });

  it('bakes the checked files into the bundle, unless JSON would change a value', async () => {
    expect(readFileSync(join(built, 'dist', 'charm.mjs'), 'utf8')).toContain('main(charm, { files })');
    const { charm } = copyFixture();
    writeFileSync(join(charm, 'config.yaml'), `${readFileSync(join(charm, 'config.yaml'), 'utf8')}  ratio:\n    type: float\n    default: .inf\n`);
    const target = out();
    await buildCharm({ charmDir: charm, outDir: target });
    const entry = readFileSync(join(target, 'dist', 'charm.mjs'), 'utf8');
    expect(entry).toContain('main(charm).then');
    expect(entry).not.toContain('main(charm, { files })');
  });

  it('refuses to overwrite a hand-edited output without --force', async () => {
    const target = out();
    await buildCharm({ charmDir: join(fixture, 'charm'), outDir: target });
    writeFileSync(join(target, 'metadata.yaml'), 'name: edited\n');
    const error = await buildCharm({ charmDir: join(fixture, 'charm'), outDir: target }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'OUTPUT_MODIFIED' });
    expect((error as Error).message).toContain('metadata.yaml (modified)');
    await buildCharm({ charmDir: join(fixture, 'charm'), outDir: target, force: true });
    expect(readFileSync(join(target, 'metadata.yaml'), 'utf8')).toMatch(/^name: demo/);
  });
});

describe('charms build leaves out what is not the charm', { timeout: TIMEOUT }, () => {
  it('hidden folders, local models and earlier builds are never copied', async () => {
    const { charm } = copyFixture();
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(charm, '.charms-model'));
    writeFileSync(join(charm, '.charms-model', 'model.json'), '{"secret": "TopSecret123"}');
    mkdirSync(join(charm, 'out'));
    writeFileSync(join(charm, 'out', '.build.manifest'), '{}');
    writeFileSync(join(charm, 'out', 'metadata.yaml'), 'name: old\n');
    const target = out();
    await buildCharm({ charmDir: charm, outDir: target });
    const manifest = JSON.parse(readFileSync(join(target, '.build.manifest'), 'utf8'));
    // The charm's own files are there, so an empty list below means they were left out.
    expect(Object.keys(manifest.signatures)).toEqual(expect.arrayContaining(['metadata.yaml', 'README.md', 'dist/charm.mjs']));
    expect(Object.keys(manifest.signatures).filter((p) => p.startsWith('.charms-model') || p.startsWith('out/'))).toEqual([]);
  });
});

describe('charms build refuses broken inputs, naming file:line:col', () => {
  it('bad YAML', async () => {
    const { charm } = copyFixture();
    writeFileSync(join(charm, 'config.yaml'), 'options:\n  greeting: [unclosed\n');
    const problem = problemOf(await buildCharm({ charmDir: charm, outDir: out() }).catch((e: unknown) => e));
    expect(problem).toMatchObject({ file: join(charm, 'config.yaml'), line: 3, code: 'YAML_SYNTAX' });
  });

  it('an option of the wrong type', async () => {
    const { charm } = copyFixture();
    writeFileSync(join(charm, 'layer.yaml'), 'includes: [layer:status, ../layers/base, ../layers/extra]\noptions:\n  base:\n    retries: three\n');
    const problem = problemOf(await buildCharm({ charmDir: charm, outDir: out() }).catch((e: unknown) => e));
    expect(problem).toMatchObject({ file: join(charm, 'layer.yaml'), line: 4, col: 14, code: 'OPTION_INVALID' });
    expect(problem.message).toBe('invalid value for option base.retries: must be integer');
  });

  it('options for a layer that is not included', async () => {
    const { charm } = copyFixture();
    writeFileSync(join(charm, 'layer.yaml'), 'includes: [layer:status]\noptions:\n  base:\n    flavour: spicy\n');
    const problem = problemOf(await buildCharm({ charmDir: charm, outDir: out() }).catch((e: unknown) => e));
    expect(problem).toMatchObject({ file: join(charm, 'layer.yaml'), line: 3, col: 3, code: 'UNDEFINED_LAYER' });
  });

  it('an include cycle', async () => {
    const { root, charm } = copyFixture();
    writeFileSync(join(root, 'layers', 'base', 'layer.yaml'), "includes: ['../extra']\n");
    const error = await buildCharm({ charmDir: charm, outDir: out() }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'INCLUDE_CYCLE' });
    expect((error as Error).message).toContain('cycle: ../layers/base → ../layers/extra → ../layers/base');
  });

  it('an unknown layer', async () => {
    const { charm } = copyFixture();
    writeFileSync(join(charm, 'layer.yaml'), 'includes:\n  - layer:status\n  - layer:nope\n');
    const problem = problemOf(await buildCharm({ charmDir: charm, outDir: out() }).catch((e: unknown) => e));
    expect(problem).toMatchObject({ file: join(charm, 'layer.yaml'), line: 3, col: 5, code: 'UNKNOWN_LAYER' });
  });
});

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
      expect.arrayContaining(['metadata.yaml', 'config.yaml', 'manifest.yaml', 'layer.yaml', 'dispatch', 'hooks/install', 'dist/charm.mjs']),
    );
    expect(entries['dispatch']).toBe(0o755);
    expect(entries['hooks/install']).toBe(0o755);
    expect(entries['metadata.yaml']).toBe(0o644);
    expect(entries['.build.manifest']).toBeUndefined();
    expect(summary.entries).toBe(Object.keys(entries).length);

    const unpacked = await unzip(file);
    const result = await runHook(unpacked, 'install');
    expect(result.status).toBe(0);
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
    (require('node:fs') as typeof import('node:fs')).symlinkSync('/usr/bin/dirname', join(noNode, 'dirname'));
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

// The charms command as users run it: bin/charms.mjs (dist/ when fresh, else the sources).
const charmsBin = join(repo, 'packages', 'cli', 'bin', 'charms.mjs');

describe('the charms command', { timeout: TIMEOUT }, () => {
  const charms = (...args: string[]) => runCommand(process.execPath, [charmsBin, ...args], { cwd: repo, env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 });

  it('has --help, --version and per-command help', async () => {
    expect((await charms('--help')).stdout).toContain('Usage: charms');
    expect((await charms('--version')).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    expect((await charms('build', '--help')).stdout).toContain('--output <dir>');
  });

  it('prints one clear error and exits 1, with no stack trace unless --debug', async () => {
    const result = await charms('build', join(fixture, 'nowhere'));
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^error: .*nowhere is not a charm: it has no metadata.yaml\n$/);
    const debug = await charms('build', join(fixture, 'nowhere'), '--debug');
    expect(debug.stderr).toContain('at buildCharm');
  });

  it('builds and says what it did in a few lines', async () => {
    const target = out();
    const result = await charms('build', join(fixture, 'charm'), '-o', target);
    expect(result.status).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(3);
    expect(result.stdout).toContain('layers: status → base → extra → demo');
  });
});

function statMode(path: string): number {
  return (require('node:fs') as typeof import('node:fs')).statSync(path).mode & 0o777;
}

/** Path → permission bits of every entry of a zip. */
function zipEntries(file: string): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error) return reject(error);
      const entries: Record<string, number> = {};
      zip.on('entry', (entry: yauzl.Entry) => {
        entries[entry.fileName] = (entry.externalFileAttributes >>> 16) & 0o777;
        zip.readEntry();
      });
      zip.on('end', () => resolve(entries));
      zip.readEntry();
    });
  });
}

/** Unpacks a zip into a new folder, keeping permissions. */
function unzip(file: string): Promise<string> {
  const target = mkdtempSync(join(tmpdir(), 'unpacked-'));
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error) return reject(error);
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError) return reject(streamError);
          const path = join(target, entry.fileName);
          (require('node:fs') as typeof import('node:fs')).mkdirSync(dirname(path), { recursive: true });
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            writeFileSync(path, Buffer.concat(chunks));
            chmodSync(path, (entry.externalFileAttributes >>> 16) & 0o777);
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(target));
      zip.readEntry();
    });
  });
}

describe('charms types', () => {
  it('writes the merged config as a typed interface and a context type', async () => {
    const { configTypes } = await import('@charms/cli');
    const text = configTypes(join(fixture, 'charm'));
    expect(text).toContain('  /** Port of the website Default: 80. */\n  readonly "port": number;');
    expect(text).toContain('  readonly "greeting": string;');
    expect(text).toContain('export type Context = CharmContext & { readonly config: Config };');
  });
});

describe('the local model from the command line', { timeout: TIMEOUT }, () => {
  const kvCharm = join(repo, 'packages', 'model', 'test', 'fixtures', 'podspec-charm');
  const modelDir = mkdtempSync(join(tmpdir(), 'cli-model-'));
  const charms = (...args: string[]) =>
    runCommand(process.execPath, [charmsBin, '--model', modelDir, ...args], { cwd: repo, env: { ...process.env, NO_COLOR: '1' }, timeout: 90_000 });

  it('deploys a charm source folder, printing each hook and the status', async () => {
    const result = await charms('deploy', kvCharm, '--resource', 'image=example/kv:1', '--config', 'port=7100');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/kv\/0\s+install\s+ok/);
    expect(result.stdout).toMatch(/kv\/0\s+start\s+ok/);
    expect(result.stdout).toMatch(/kv\/0\*\s+active\s+idle/);
    expect(result.stdout).toContain('Manifests for kv:');
  });

  it('status --format json has Juju’s shape', async () => {
    const status = JSON.parse((await charms('status', '--format', 'json')).stdout);
    expect(status.applications.kv.units['kv/0']['workload-status'].current).toBe('active');
    expect(status.applications.kv.units['kv/0']['juju-status'].current).toBe('idle');
    expect(status.applications.kv.units['kv/0'].leader).toBe(true);
  });

  it('config shows values; a bad value is refused with exit 1 and changes nothing', async () => {
    expect((await charms('config', 'kv')).stdout).toContain('port: 7100');
    const bad = await charms('config', 'kv', 'port=lots');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('option "port" expected int, got "lots"');
    expect((await charms('config', 'kv')).stdout).toContain('port: 7100');
  });

  it('log and timeline show what the charm did', async () => {
    expect((await charms('log', 'kv/0')).stdout).toContain('Invoking reactive handler: kv:Kv.configure');
    expect((await charms('timeline', 'kv')).stdout).toMatch(/kv\/0 install: pod-spec-set --file - → 0/);
  });
});
