// What loading a built charm's bundle costs, before its hook does anything: builds
// examples/minio and bench/fixtures/minimal-charm, then runs each charm's `dispatch` (its
// sh, then `node dist/start.cjs`, which runs dist/charm.cjs) with no Juju variables, so
// that `main` stops at its first step (reading the hook context) and exits 1: what the
// process costs is Node's start plus loading and evaluating the bundle. Each charm runs
// without its V8 code cache and with one (written first by a run with JUJU_UNIT_NAME set,
// as a hook writes it; such a run compiles only what loading runs, a real hook's cache
// holds more). Beside them a bare `node -e 0`, an empty CommonJS and an empty ES module,
// in turns, RUNS fresh processes each.
// Prints the bytes Node parses at load (charm.cjs and the chunks it requires at load; the
// chunks required only when a hook uses them are counted apart), the packages in those
// bytes (from the source maps: a package here is compiled by every hook), the median wall
// time, and the mean CPU time (user + system, from this process's children counters in
// /proc/self/stat, whose 10 ms ticks average out over the runs).
// Run: node --conditions=source --import tsx bench/bundle-load.mjs
// Figures only; nothing here passes or fails on time.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { buildCharm } from '@charms/build';
import { here, median } from './measure.mjs';

const RUNS = Number(process.env.BUNDLE_LOAD_RUNS ?? 21);
const TICKS_PER_SECOND = 100;

const work = mkdtempSync(join(tmpdir(), 'bench-bundle-load-'));
const emptyModule = join(work, 'empty.mjs');
writeFileSync(emptyModule, '');
const emptyCommonJs = join(work, 'empty.cjs');
writeFileSync(emptyCommonJs, '');
const charms = {
  MinIO: (await buildCharm({ charmDir: join(here, '..', 'examples', 'minio'), outDir: join(work, 'minio'), typecheck: false })).outDir,
  minimal: (await buildCharm({ charmDir: join(here, 'fixtures', 'minimal-charm'), outDir: join(work, 'minimal'), typecheck: false })).outDir,
};
// A copy of each that keeps a code cache; the built folders never get one (no JUJU_UNIT_NAME).
const cached = {};
for (const [name, dir] of Object.entries(charms)) {
  cached[name] = `${dir}-cached`;
  cpSync(dir, cached[name], { recursive: true });
  spawnSync(join(cached[name], 'dispatch'), [], { env: { PATH: process.env.PATH, JUJU_UNIT_NAME: 'bench/0' } });
  if (!existsSync(join(cached[name], 'dist', '.v8-code-cache'))) throw new Error(`no code cache was written in ${cached[name]}`);
}

/** The modules Node reads when it loads `entry`: it and the bundle files it requires at load (not inside a function). */
function staticGraph(entry, seen = new Set()) {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  const text = readFileSync(entry, 'utf8');
  // esbuild writes a load-time require of another bundle file as `var import_x = require("./…")`.
  for (const match of text.matchAll(/^var \w+ = require\("(\.\.?\/[^"]+)"\);$/gm)) staticGraph(join(dirname(entry), match[1]), seen);
  return seen;
}

/** Bytes of the bundle's .cjs files: those a hook parses at load, and the rest. */
function bundleBytes(charmDir) {
  const entry = join(charmDir, 'dist', 'charm.cjs');
  const eager = staticGraph(entry);
  const chunks = join(charmDir, 'dist', 'chunks');
  let lazy = 0;
  for (const name of readdirSafe(chunks)) {
    if (name.endsWith('.cjs') && !eager.has(join(chunks, name))) lazy += statSync(join(chunks, name)).size;
  }
  let loaded = 0;
  for (const file of eager) loaded += statSync(file).size;
  return { loaded, files: eager.size, lazy, packages: packagesOf(eager) };
}

/** The npm packages (and workspace packages) whose code the files hold, from their source maps. */
function packagesOf(files) {
  const names = new Set();
  for (const file of files) {
    const map = JSON.parse(readFileSync(`${file}.map`, 'utf8'));
    for (const source of map.sources) {
      const match = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(source);
      if (match) names.add(match[1]);
    }
  }
  return [...names].sort();
}

function readdirSafe(dir) {
  return existsSync(dir) ? readdirSync(dir) : [];
}

/** CPU time used by this process's finished children so far, in ms (utime + stime). */
function childrenCpuMs() {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  // After "pid (comm) ": field 3 is state; cutime and cstime are fields 16 and 17.
  return ((Number(fields[16 - 3]) + Number(fields[17 - 3])) * 1000) / TICKS_PER_SECOND;
}

// No JUJU_* variable: main reports that it was not started as a hook and returns 1.
const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('JUJU_')));
const cases = {
  'node -e 0': { args: ['-e', '0'], exit: 0 },
  'node empty.cjs': { args: [emptyCommonJs], exit: 0 },
  'node empty.mjs': { args: [emptyModule], exit: 0 },
  ...Object.fromEntries(Object.entries(charms).map(([name, dir]) => [`${name} dispatch, no code cache`, { command: join(dir, 'dispatch'), args: [], exit: 1, dir }])),
  ...Object.fromEntries(Object.entries(cached).map(([name, dir]) => [`${name} dispatch, code cache`, { command: join(dir, 'dispatch'), args: [], exit: 1, dir }])),
};
const wall = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
const cpu = Object.fromEntries(Object.keys(cases).map((name) => [name, 0]));
for (let i = 0; i < RUNS; i += 1) {
  for (const [name, { command, args, exit }] of Object.entries(cases)) {
    const cpuBefore = childrenCpuMs();
    const start = performance.now();
    const child = spawnSync(command ?? process.execPath, args, { env, encoding: 'utf8' });
    wall[name].push(performance.now() - start);
    cpu[name] += childrenCpuMs() - cpuBefore;
    if (child.status !== exit || (exit === 1 && !/not started as a Juju hook/.test(child.stderr))) {
      throw new Error(`${command ?? 'node'} ${args.join(' ')} exited ${child.status}, not ${exit}:\n${child.stderr}`);
    }
  }
}

const base = median(wall['node -e 0']);
const baseCpu = cpu['node -e 0'] / RUNS;
console.log(`\nLoading a built charm's bundle (${RUNS} fresh processes each, in turns; wall: median, CPU: mean)`);
console.table(
  Object.entries(cases).map(([name, { dir }]) => {
    const bytes = dir ? bundleBytes(dir) : undefined;
    const ms = median(wall[name]);
    const cpuMs = cpu[name] / RUNS;
    return {
      what: name,
      'KB parsed at load': bytes ? `${(bytes.loaded / 1024).toFixed(0)} (${bytes.files} files)` : '',
      'KB on first use': bytes ? (bytes.lazy / 1024).toFixed(0) : '',
      'wall ms': ms.toFixed(1),
      'wall − node -e 0': (ms - base).toFixed(1),
      'CPU ms': cpuMs.toFixed(1),
      'CPU − node -e 0': (cpuMs - baseCpu).toFixed(1),
    };
  }),
);
console.log('Packages compiled at load (from the source maps of the files above)');
for (const [name, dir] of Object.entries(charms)) console.log(`  ${name}: ${bundleBytes(dir).packages.join(', ')}`);
rmSync(work, { recursive: true, force: true });
