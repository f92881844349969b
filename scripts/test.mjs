// `pnpm test`: the unit and type tests (vitest), then the conformance fixtures, then
// one closing line that counts both: "total: N passed, N failed".
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';

const report = '.vitest.json';
rmSync(report, { force: true });
const vitest = spawnSync('pnpm', ['exec', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile=${report}`], {
  stdio: 'inherit',
});

const conformance = spawnSync(
  process.execPath,
  ['--conditions=source', '--import', 'tsx', 'packages/conformance/src/cli.ts', ...process.argv.slice(2)],
  { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
);
process.stdout.write(`\nconformance fixtures\n${conformance.stdout}`);

let passed = 0;
let failed = 0;
try {
  const results = JSON.parse(readFileSync(report, 'utf8'));
  passed += results.numPassedTests;
  failed += results.numFailedTests + (results.numFailedTestSuites ?? 0);
} catch {
  console.error('vitest wrote no report: counting the unit tests as failed');
  failed += 1;
}
const summary = /^(\d+) passed, (\d+) failed$/m.exec(conformance.stdout ?? '');
if (summary) {
  passed += Number(summary[1]);
  failed += Number(summary[2]);
} else {
  console.error('the conformance run printed no summary: counting it as failed');
  failed += 1;
}
console.log(`total: ${passed} passed, ${failed} failed`);
process.exitCode = vitest.status === 0 && conformance.status === 0 && failed === 0 ? 0 : 1;
