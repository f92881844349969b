// `pnpm bench`: how long the charms command takes to start, against a bare `node -e 0`
// on this machine: `charms --help`, and `charms status` on a model with MinIO deployed.
// Targets: --help ≤ 2×, status ≤ 3×. It runs packages/cli/bin/charms.cjs, as
// `pnpm exec charms` does; that runs the bundle (packages/cli/bundle/) or else the build
// in dist/ when it is newer than the sources (`pnpm bench` builds first), else the
// sources, and says so below. Then
// deploy-wall.mjs: deploying a built MinIO, start to exit.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
// What bin/charms.cjs checks to choose between the bundle, dist/ and the sources.
import { freshBuild } from '../packages/cli/bin/build-freshness.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const charms = join(root, 'packages', 'cli', 'bin', 'charms.cjs');
const RUNS = 15;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Median wall time of `node ...args`, start to exit, in ms; fails on a non-zero exit. */
function time(args) {
  const runs = [];
  for (let i = 0; i < RUNS; i += 1) {
    const start = performance.now();
    const result = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
    runs.push(performance.now() - start);
    if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  }
  return median(runs);
}

function charmsOnce(...args) {
  const result = spawnSync(process.execPath, [charms, ...args], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`charms ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
}

const work = mkdtempSync(join(tmpdir(), 'bench-cli-'));
const model = join(work, 'model');
charmsOnce('build', 'examples/minio', '-o', join(work, 'minio'));
charmsOnce('deploy', join(work, 'minio'), '--model', model, '--resource', 'oci-image=minio/minio:RELEASE.2021-09-24T00-24-24Z');

const node = time(['-e', '0']);
const rows = [
  { figure: 'charms --help', ms: time([charms, '--help']), target: 2 },
  { figure: 'charms status (MinIO deployed)', ms: time([charms, 'status', '--model', model]), target: 3 },
];

console.log(`\nStarting the charms command (${RUNS} runs, median; node -e 0 = ${node.toFixed(1)} ms)`);
const ran = freshBuild(join(root, 'packages'), join(root, 'packages', 'cli', 'bundle', 'start.cjs'));
if (ran === undefined) console.log('note: dist/ is missing or older than src/ somewhere, so the bin ran the sources: run pnpm build first');
else if (ran === 'dist') console.log('note: packages/cli/bundle/ is missing or older than a source, so the bin ran dist/: run pnpm build first');
else console.log('note: the bin ran the bundle (packages/cli/bundle/)');
console.table(
  rows.map(({ figure, ms, target }) => ({
    figure,
    'ms': ms.toFixed(1),
    '× node -e 0': (ms / node).toFixed(2),
    target: `≤ ${target}×`,
    result: ms / node <= target ? 'met' : 'not met',
  })),
);

// Then issue 20's deploy: a built MinIO, start to exit (its own file, runnable alone).
await import('./deploy-wall.mjs');
