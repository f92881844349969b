import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// A charm in its own folder, outside this repository, with the @charms packages installed
// from the tarballs `pnpm pack` makes: what a user gets from the registry. One npm install
// serves every step; the charm project (made by `charms init` inside it) finds the packages
// in the node_modules of the folder above, as Node does.

const here = dirname(fileURLToPath(import.meta.url));
const repo = realpathSync(join(here, '..', '..', '..'));
// Every package a user installs from the registry (the model needs @charms/pebble; a
// sidecar charm @charms/layer-sidecar), dependencies first.
const PACKAGES = ['reactive', 'hooktools', 'manifest', 'pebble', 'runtime', 'layer-status', 'layer-docker-resource', 'layer-caas-base', 'layer-sidecar', 'model', 'build', 'cli'];
const cliVersion = (JSON.parse(readFileSync(join(repo, 'packages', 'cli', 'package.json'), 'utf8')) as { version: string }).version;

// Builds (tsup, with types) of packages whose dist/ is older than their sources, a pack
// of each package and an npm install: minutes on a busy two-core machine.
const SETUP_TIMEOUT = 900_000;
const STEP_TIMEOUT = 180_000;

let root: string; // the temporary folder: tarballs/ and project/
let project: string; // where the tarballs are installed; hello/ is made inside it
let hello: string;
const timings: [string, number][] = [];

/** The environment of a user's shell: nothing of this repository on PATH, no NODE_PATH, nothing from vitest or pnpm. */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(NODE_PATH|NODE_OPTIONS|VITEST.*|TEST|NODE_ENV|npm_.*|PNPM_.*|INIT_CWD)$/i.test(key)) continue;
    env[key] = value;
  }
  env.PATH = (process.env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => dir !== '' && !dir.startsWith(repo))
    .join(delimiter);
  env.NO_COLOR = '1';
  return env;
}

interface Finished {
  readonly status: number | string;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a command without blocking this worker (vitest's worker must keep answering its
 * runner while an install or a build takes minutes), and notes how long it took.
 */
function run(command: string, args: readonly string[], cwd: string, timeout = STEP_TIMEOUT): Promise<Finished> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: userEnv(), timeout });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      timings.push([`${cwd.split(sep).at(-1)}: ${command.split(sep).at(-1)} ${args.join(' ')}`.slice(0, 70), performance.now() - started]);
      resolve({ status: code ?? signal ?? 'killed', stdout, stderr });
    });
  });
}

/** Runs a command and fails with its output unless it exits 0; its stdout. */
async function ok(command: string, args: readonly string[], cwd: string, timeout?: number): Promise<string> {
  const result = await run(command, args, cwd, timeout);
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

const bin = (name: string) => join(project, 'node_modules', '.bin', name);
const charms = (...args: string[]) => ok(bin('charms'), args, hello);

/** The newest modification time in a folder tree (folders count: adding or removing a file changes them). */
function newest(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce(
    (latest, entry) => Math.max(latest, entry.isDirectory() ? newest(join(dir, entry.name)) : statSync(join(dir, entry.name)).mtimeMs),
    statSync(dir).mtimeMs,
  );
}

/**
 * A package's dist/ is there and newer than its src/ (what the tarball will hold); for
 * @charms/cli also its bundle/ (build-bundle.mjs), made from every package's sources, newer
 * than all of them.
 */
function builtAndFresh(dir: string): boolean {
  const dist = join(dir, 'dist');
  if (!existsSync(join(dist, 'index.js')) || !existsSync(join(dist, 'index.d.ts'))) return false;
  const outputs = readdirSync(dist).filter((file) => file.endsWith('.js'));
  if (Math.min(...outputs.map((file) => statSync(join(dist, file)).mtimeMs)) <= newest(join(dir, 'src'))) return false;
  if (dir !== join(repo, 'packages', 'cli')) return true;
  // Written last by build-bundle.mjs.
  const bundle = join(dir, 'bundle', 'start.cjs');
  return existsSync(bundle) && statSync(bundle).mtimeMs > Math.max(...PACKAGES.map((name) => newest(join(repo, 'packages', name, 'src'))));
}

beforeAll(async () => {
  const started = performance.now();
  root = mkdtempSync(join(tmpdir(), 'charms-outside-'));
  const tarballs = join(root, 'tarballs');
  project = join(root, 'project');
  mkdirSync(tarballs);
  mkdirSync(project);

  // dist/ is not in git: build what is missing or older than its sources, one at a time
  // (each build is busy on both cores).
  for (const name of PACKAGES) {
    const dir = join(repo, 'packages', name);
    if (!builtAndFresh(dir)) await ok('pnpm', ['run', 'build'], dir, SETUP_TIMEOUT);
  }
  // pnpm writes each workspace:* dependency as the version it points at.
  await Promise.all(PACKAGES.map((name) => ok('pnpm', ['pack', '--pack-destination', tarballs], join(repo, 'packages', name))));

  const charmsPackages = Object.fromEntries(
    readdirSync(tarballs).map((file) => [`@charms/${file.replace(/^charms-/, '').replace(/-\d+\.\d+\.\d+\.tgz$/, '')}`, `file:${join(tarballs, file)}`]),
  );
  expect(Object.keys(charmsPackages)).toHaveLength(PACKAGES.length);
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify(
      {
        name: 'outside',
        private: true,
        type: 'module',
        // What the generated charm project asks for besides the @charms packages.
        dependencies: { ...charmsPackages, '@types/node': '20.19.43', typescript: '5.9.3', vitest: '3.2.7' },
        // Every @charms dependency of a @charms package is the tarball, never the registry.
        overrides: Object.fromEntries(Object.keys(charmsPackages).map((name) => [name, `$${name}`])),
      },
      null,
      2,
    ),
  );
  await ok('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], project, SETUP_TIMEOUT);
  await ok(bin('charms'), ['init', 'hello'], project);
  hello = join(project, 'hello');
  timings.push(['setup in all', performance.now() - started]);
}, SETUP_TIMEOUT);

afterAll(() => {
  // The figures of this run, for the docs (vitest prints a test file's console output).
  console.log(timings.map(([step, ms]) => `${(ms / 1000).toFixed(1).padStart(6)} s  ${step}`).join('\n'));
  if (root) rmSync(root, { recursive: true, force: true });
}, 60_000);

describe('a charm in its own repository, with the @charms packages installed from tarballs', () => {
  it('runs every @charms module from the temporary folder, none from this repository', async () => {
    const names = PACKAGES.map((name) => `@charms/${name}`);
    const script = `for (const name of ${JSON.stringify(names)}) console.log(import.meta.resolve(name));`;
    const resolved = (await ok(process.execPath, ['--input-type=module', '-e', script], hello)).trim().split('\n');
    expect(resolved).toHaveLength(PACKAGES.length);
    for (const url of resolved) expect(realpathSync(fileURLToPath(url)).startsWith(realpathSync(project) + sep)).toBe(true);
    expect(realpathSync(bin('charms')).startsWith(realpathSync(project) + sep)).toBe(true);
    expect(userEnv().NODE_PATH).toBeUndefined();
  });

  it('loads every @charms package from its tarball (dist/ and its dependencies are in it), and the layer packages carry their layer.yaml', async () => {
    const names = PACKAGES.map((name) => `@charms/${name}`);
    const script = `for (const name of ${JSON.stringify(names)}) console.log(name, Object.keys(await import(name)).length);`;
    const exported = (await ok(process.execPath, ['--input-type=module', '-e', script], hello)).trim().split('\n');
    expect(exported.map((line) => line.split(' ')[0])).toEqual(names);
    for (const line of exported) expect(Number(line.split(' ')[1]), line).toBeGreaterThan(0);
    for (const layer of PACKAGES.filter((name) => name.startsWith('layer-'))) {
      expect(existsSync(join(project, 'node_modules', '@charms', layer, 'layer.yaml')), `@charms/${layer}/layer.yaml`).toBe(true);
    }
    // The command's bundle, which bin/charms.cjs runs when it is there (the steps below run it).
    expect(existsSync(join(project, 'node_modules', '@charms', 'cli', 'bundle', 'start.cjs'))).toBe(true);
  });

  it('charms init writes a project whose @charms packages are pinned to the version of the command', () => {
    const manifest = JSON.parse(readFileSync(join(hello, 'package.json'), 'utf8')) as Record<string, Record<string, string>>;
    const pinned = { ...manifest.dependencies, ...manifest.devDependencies };
    const charmsDependencies = Object.entries(pinned).filter(([name]) => name.startsWith('@charms/'));
    expect(charmsDependencies.map(([name]) => name).sort()).toEqual(['@charms/build', '@charms/cli', '@charms/layer-status', '@charms/model', '@charms/reactive', '@charms/runtime']);
    for (const [name, version] of charmsDependencies) {
      expect(version).toBe(cliVersion);
      // The install above is the one this project would get.
      expect(JSON.parse(readFileSync(join(project, 'node_modules', name, 'package.json'), 'utf8')).version).toBe(version);
    }
    expect(Object.keys(manifest.scripts!)).toEqual(expect.arrayContaining(['build', 'test', 'deploy']));
    expect(readFileSync(join(hello, 'layer.yaml'), 'utf8')).toContain('layer:status');
    expect(readFileSync(join(hello, 'reactive', 'hello.ts'), 'utf8')).toContain('export default class Hello');
  });

  it('charms build bundles the charm with layer:status from node_modules', async () => {
    const out = await charms('build');
    expect(out).toContain('layers: status → hello');
    const bundle = readFileSync(join(hello, 'build', 'hello', 'dist', 'charm.cjs'), 'utf8');
    expect(bundle).not.toContain(repo);
  }, STEP_TIMEOUT);

  it('charms deploy runs it on a local model, and charms status shows it active', async () => {
    const deployed = await charms('deploy', '.');
    expect(deployed).toMatch(/hello\/0\s+start\s+ok/);
    const status = JSON.parse(await charms('status', '--format', 'json')) as { applications: Record<string, { units: Record<string, { 'workload-status': { current: string; message: string } }> }> };
    expect(status.applications.hello!.units['hello/0']!['workload-status']).toMatchObject({ current: 'active', message: 'hello, world' });
    expect(await charms('status')).toMatch(/hello\/0\*\s+active\s+idle/);
  }, STEP_TIMEOUT);

  it('charms lint, graph, explain and types read the charm and its layers from node_modules', async () => {
    expect(await charms('lint')).toContain('no findings');
    const graph = await charms('graph');
    expect(graph).toMatch(/^flowchart LR/);
    expect(graph).toContain('Hello.configure');
    expect(await charms('explain', 'hello/0')).toMatch(/^hello\/0 hook \d+: start — ok/);
    const before = readFileSync(join(hello, 'charm-config.ts'), 'utf8');
    rmSync(join(hello, 'charm-config.ts'));
    await charms('types');
    // The template's charm-config.ts is what charms types writes for its config.yaml.
    expect(readFileSync(join(hello, 'charm-config.ts'), 'utf8')).toBe(before);
    // The install's own code cache of the command's bundle (none is packed), written by
    // the commands above: each name once.
    const cache = readFileSync(join(project, 'node_modules', '@charms', 'cli', 'bundle', '.v8-code-cache')).toString('latin1').split('\n');
    expect(cache[0]).toContain(`${process.version} v8-${process.versions.v8}`);
    expect((JSON.parse(cache[1]!) as { ran: string[] }).ran).toEqual(expect.arrayContaining(['types']));
  }, STEP_TIMEOUT);

  it('a sidecar charm builds with layer:sidecar from node_modules, and deploys: its container\'s Pebble answers in pebble-ready', async () => {
    const sidecar = join(project, 'sidecar-demo');
    mkdirSync(join(sidecar, 'reactive'), { recursive: true });
    const pinned = Object.fromEntries(['layer-sidecar', 'layer-status', 'pebble', 'reactive', 'runtime'].map((name) => [`@charms/${name}`, cliVersion]));
    writeFileSync(join(sidecar, 'package.json'), JSON.stringify({ name: 'sidecar-demo', private: true, type: 'module', dependencies: pinned }, null, 2));
    writeFileSync(join(sidecar, 'layer.yaml'), 'includes: [layer:status, layer:sidecar]\n');
    writeFileSync(
      join(sidecar, 'metadata.yaml'),
      'name: sidecar-demo\nsummary: a sidecar charm outside the workspace\ncontainers:\n  workload:\n    resource: workload-image\nresources:\n  workload-image:\n    type: oci-image\n',
    );
    writeFileSync(
      join(sidecar, 'reactive', 'sidecar-demo.ts'),
      [
        "import { containerPebble } from '@charms/layer-sidecar';",
        "import { active } from '@charms/layer-status';",
        "import { defineLayer } from '@charms/reactive';",
        "import type { CharmContext } from '@charms/runtime';",
        '',
        "export default defineLayer<string, CharmContext>('sidecar-demo', (r) => {",
        "  r.handle({ when: ['container.workload.available'] }, async function ready() {",
        "    const info = await containerPebble('workload').getSystemInfo();",
        '    await active(`pebble ${info.version} answers`);',
        '  });',
        '});',
        '',
      ].join('\n'),
    );
    const built = await ok(bin('charms'), ['build'], sidecar);
    expect(built).toContain('layers: status → sidecar → sidecar-demo');
    expect(readFileSync(join(sidecar, 'build', 'sidecar-demo', 'dist', 'charm.cjs'), 'utf8')).not.toContain(repo);
    // A model folder near the root: the Pebble socket paths under it must fit in 107 bytes.
    const model = join(root, 'model');
    const deployed = await ok(bin('charms'), ['deploy', '.', '--model', model, '--resource', 'workload-image=example/workload:1.0'], sidecar);
    expect(deployed).toMatch(/sidecar-demo\/0\s+workload-pebble-ready\s+ok/);
    const status = JSON.parse(await ok(bin('charms'), ['status', '--model', model, '--format', 'json'], sidecar)) as { applications: Record<string, { units: Record<string, { 'workload-status': { current: string; message: string } }> }> };
    expect(status.applications['sidecar-demo']!.units['sidecar-demo/0']!['workload-status']).toMatchObject({ current: 'active', message: expect.stringMatching(/^pebble \S+ answers$/) });
  }, STEP_TIMEOUT);

  it('the project type-checks against the packages’ .d.ts files, and its own test passes', async () => {
    await ok(bin('tsc'), ['--noEmit', '-p', '.'], hello);
    const test = await ok(bin('vitest'), ['run'], hello, 300_000);
    expect(test).toMatch(/Tests\s+2 passed/);
  }, 300_000);
});
