// `pnpm bench` part 3: one hook of the built MinIO charm under the local model's tools,
// process start to exit, against a bare `node -e 0` on this machine; and its peak memory.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildCharm } from '@charms/build';
import { createModel } from '@charms/model';

const here = dirname(fileURLToPath(import.meta.url));
const RUNS = 15;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const built = (await buildCharm({ charmDir: join(here, '..', 'examples', 'minio'), outDir: join(mkdtempSync(join(tmpdir(), 'bench-minio-')), 'minio') })).outDir;
const rssFile = join(mkdtempSync(join(tmpdir(), 'bench-rss-')), 'rss');
const model = await createModel({ hookEnv: { NODE_OPTIONS: `--import=${pathToFileURL(join(here, 'rss-probe.mjs')).href}`, CHARMS_RSS_FILE: rssFile } });
await model.deploy(built, { resources: { 'oci-image': 'minio/minio:RELEASE.2021-09-24T00-24-24Z' } });

const hook = [];
for (let i = 0; i < RUNS; i += 1) hook.push((await model.run('minio/0', 'update-status'))[0].ms);
const node = [];
for (let i = 0; i < RUNS; i += 1) {
  const start = performance.now();
  spawnSync(process.execPath, ['-e', '0']);
  node.push(performance.now() - start);
}
const rss = readFileSync(rssFile, 'utf8').trim().split('\n').map(Number);
const calls = model.timeline('minio/0').filter((e) => e.hook === 'update-status' && e.kind === 'tool').length / RUNS;

console.log(`\nMinIO update-status hook under the local model (${RUNS} runs, median; issue 20's targets: ratio ≤ 1.2, ≤ 4 tool calls; bench/hook-phases.mjs says where the time goes)`);
console.table([
  {
    'hook, start to exit (ms)': median(hook).toFixed(1),
    'node -e 0 (ms)': median(node).toFixed(1),
    ratio: (median(hook) / median(node)).toFixed(2),
    'tool calls per hook': calls.toFixed(0),
    'peak RSS (MiB)': (Math.max(...rss) / 1024).toFixed(1),
  },
]);
