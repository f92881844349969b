// `pnpm bench` (run by cli-start.mjs): deploying a built MinIO on a fresh local model
// with the charms command, from the command's start to its exit, as a user runs it:
// `charms deploy <built minio> --model <new folder> --resource oci-image=…`. Target
// (issue 20): ≤ 1 s. Beside the wall time, where it went: the command's own start
// (`charms --version`), opening the model (loading @charms/model and its schemas), the
// hooks' own time (each hook's process, start to exit, as the model's timeline records
// it: for a hook the model started while the one before ran, from the opening of its gate;
// the model reference, "Hooks started ahead of their turn") and the model's work around them (deploy, tool answers, commits), from
// `--timings`; the rest is Node's start and exit and the status table. Beside them, the
// CPU the charms process itself used (user + system, its hooks' processes not counted):
// on a busy machine, where wall times vary by half, the steadier figure of the model's
// own work.
import { printSummary } from './issue-20-summary.mjs';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCharm } from '@charms/build';
// What bin/charms.cjs checks to choose between the bundle, dist/ and the sources.
import { freshBuild } from '../packages/cli/bin/build-freshness.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// BENCH_DIST=1: the build in dist/ even where a source is newer (a checkout others are
// editing), as bin/charms.cjs runs it when the build is fresh.
const useDist = process.env.BENCH_DIST === '1';
// BENCH_CHARMS=<file>: another entry of the command (packages/cli/bundle/start.cjs, say), run as `node <file>`.
const charms = process.env.BENCH_CHARMS ?? join(root, 'packages', 'cli', ...(useDist ? ['dist', 'bin.js'] : ['bin', 'charms.cjs']));
// Required before the command (a CommonJS file: a data: URL through --import would start
// Node's ES module loader, about 5 ms the command itself no longer pays): at exit it
// prints the process's own CPU time on stderr (process.cpuUsage counts this process
// only, not the children it waited for).
const CPU_REPORT = join(dirname(fileURLToPath(import.meta.url)), 'cpu-report.cjs');
const IMAGE = 'oci-image=minio/minio:RELEASE.2021-09-24T00-24-24Z';
const DEPLOYS = Number(process.env.BENCH_DEPLOYS ?? 5);
const STARTS = 15;
const TARGET_MS = 1000;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Runs `node ...args` once: its wall time in ms, its stdout and stderr; fails on a non-zero exit. */
function timed(args) {
  const start = performance.now();
  const result = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
  const ms = performance.now() - start;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return { ms, stdout: result.stdout, stderr: result.stderr };
}

/** A step of `charms deploy --timings` (`  open model   0.41s`), in ms. */
function timing(stdout, step) {
  const line = stdout.split('\n').find((l) => l.trimStart().startsWith(step));
  if (!line) throw new Error(`charms deploy --timings printed no "${step}" line:\n${stdout}`);
  return Number(/([\d.]+)s\s*$/.exec(line)[1]) * 1000;
}

const work = mkdtempSync(join(tmpdir(), 'bench-deploy-'));
const built = (await buildCharm({ charmDir: join(root, 'examples', 'minio'), outDir: join(work, 'minio') })).outDir;

const node = median(Array.from({ length: STARTS }, () => timed(['-e', '0']).ms));
const start = median(Array.from({ length: STARTS }, () => timed([charms, '--version']).ms));
const runs = [];
// What bin/charms.cjs ran at each deploy ('bundle', 'dist' or undefined: the sources), when it is the entry.
const ran = new Set();
for (let i = 0; i < DEPLOYS; i += 1) {
  const model = join(work, `model-${i}`);
  if (!useDist && !process.env.BENCH_CHARMS) ran.add(freshBuild(join(root, 'packages'), join(root, 'packages', 'cli', 'bundle', 'start.cjs')));
  const { ms, stdout, stderr } = timed(['--require', CPU_REPORT, charms, 'deploy', built, '--model', model, '--resource', IMAGE, '--timings']);
  const timeline = readFileSync(join(model, 'timeline.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
  const ended = timeline.filter((entry) => entry.kind === 'commit' || entry.kind === 'discard');
  runs.push({
    wall: ms,
    open: timing(stdout, 'open model'),
    hooks: ended.reduce((sum, entry) => sum + entry.ms, 0),
    hookCount: ended.length,
    prestarted: timeline.filter((entry) => entry.kind === 'hook-start' && entry.prestarted).length,
    toolCalls: timeline.filter((entry) => entry.kind === 'tool').length,
    model: timing(stdout, 'model (deploy, tools, commits)'),
    cpu: Number(/charms-cpu-ms ([\d.]+)/.exec(stderr)?.[1]),
  });
  rmSync(model, { recursive: true, force: true });
}
rmSync(work, { recursive: true, force: true });

const wall = median(runs.map((r) => r.wall));
const open = median(runs.map((r) => r.open));
const hooks = median(runs.map((r) => r.hooks));
const model = median(runs.map((r) => r.model));
const cpu = median(runs.map((r) => r.cpu));
const ms = (value) => value.toFixed(0);
console.log(`\nDeploying a built MinIO with the charms command (${DEPLOYS} deploys, median; node -e 0 = ${node.toFixed(1)} ms)`);
if (ran.has(undefined)) console.log('note: dist/ is missing or older than src/ somewhere, so the bin ran the sources: run pnpm build first');
if (ran.has('dist')) console.log('note: packages/cli/bundle/ is missing or older than a source, so the bin ran dist/: run pnpm build first');
if (ran.has('bundle')) console.log('note: the bin ran the bundle (packages/cli/bundle/)');
if (useDist) console.log('note: BENCH_DIST=1, so packages/cli/dist/bin.js ran, however old the build');
if (process.env.BENCH_CHARMS) console.log(`note: BENCH_CHARMS, so ${charms} ran`);
console.table([
  { figure: 'charms deploy, start to exit', ms: ms(wall), '× node -e 0': (wall / node).toFixed(1), target: `≤ ${TARGET_MS} ms`, result: wall <= TARGET_MS ? 'met' : 'not met' },
  { figure: 'charms --version (the command starting)', ms: ms(start), '× node -e 0': (start / node).toFixed(1) },
  { figure: 'opening the model (loading @charms/model)', ms: ms(open), '× node -e 0': (open / node).toFixed(1) },
  { figure: `the hooks' own processes (${runs[0].hookCount} hooks, ${runs[0].toolCalls} tool calls; ${runs[0].prestarted} started ahead, counted from their gate)`, ms: ms(hooks), '× node -e 0': (hooks / node).toFixed(1) },
  { figure: 'the model around them (deploy, tool answers, commits)', ms: ms(model), '× node -e 0': (model / node).toFixed(1) },
  { figure: 'the rest (Node start and exit, status table)', ms: ms(wall - open - hooks - model), '× node -e 0': ((wall - open - hooks - model) / node).toFixed(1) },
  { figure: 'CPU of the charms process itself (not its hooks)', ms: ms(cpu) },
]);
printSummary({ what: `deploying a built MinIO (${runs[0].hookCount} hooks, one unit), start to exit`, ms: ms(wall), ratio: '', target: `≤ ${TARGET_MS} ms` });
