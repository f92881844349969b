// Issue 20's figures from one `pnpm bench` run, side by side: hook-phases.mjs measures the
// hooks and writes its rows here; deploy-wall.mjs, the last to run, adds the deploy and
// prints them together. The run is named by CHARMS_BENCH_RUN (the bench script's shell
// sets it), so rows of an earlier run are never shown as this one's.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FILE = join(dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', '.cache', 'charms-bench', 'issue-20.json');

/** Keeps the hook rows of this run (nothing outside a `pnpm bench` run). */
export function saveHookRows(rows) {
  const run = process.env.CHARMS_BENCH_RUN;
  if (!run) return;
  mkdirSync(dirname(FILE), { recursive: true });
  writeFileSync(FILE, `${JSON.stringify({ run, rows })}\n`);
}

/** Prints this run's hook rows with `deployRow` after them; nothing when this run wrote none. */
export function printSummary(deployRow) {
  const run = process.env.CHARMS_BENCH_RUN;
  let saved;
  try {
    saved = JSON.parse(readFileSync(FILE, 'utf8'));
  } catch {
    return;
  }
  if (!run || saved.run !== run) return;
  console.log('\nIssue 20, side by side (this pnpm bench run)');
  console.table([...saved.rows, deployRow]);
}
