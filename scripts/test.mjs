// `pnpm test`: the unit and type tests (vitest), then the conformance fixtures, then
// one closing line that counts both: "total: N passed, N failed". The counting, and what
// counts as a failure, is in test-totals.mjs.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { countConformance, countVitest, totalLine } from './test-totals.mjs';

const report = '.vitest.json';
rmSync(report, { force: true });
const vitest = spawnSync('pnpm', ['exec', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile=${report}`], {
  stdio: 'inherit',
});

// The conformance runner, started as `pnpm conformance` starts it (the root package.json).
const conformance = spawnSync(
  process.execPath,
  ['packages/conformance/bin/conformance.mjs', ...process.argv.slice(2)],
  { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
);
process.stdout.write(`\nconformance fixtures\n${conformance.stdout}`);

let results;
try {
  results = JSON.parse(readFileSync(report, 'utf8'));
} catch {
  // No report: countVitest counts that as a failure.
}
const counts = [countVitest(results, vitest.status), countConformance(conformance.stdout, conformance.status)];
console.log('');
for (const count of counts) console.log(count.line);
console.log(totalLine(counts));
process.exitCode = vitest.status === 0 && conformance.status === 0 && counts.every((count) => count.failed === 0) ? 0 : 1;
