// The counting behind `pnpm test`'s closing line, kept apart from the running so that
// scripts/test/test-totals.test.ts can check it against vitest's JSON report shapes.

/**
 * @typedef {object} Count
 * @property {number} passed
 * @property {number} failed
 * @property {string} line  one line saying what was counted and why
 */

/**
 * Counts a vitest run as vitest's own summary does: tests passed, failed, skipped and
 * todo. A test file that failed with no failed test of its own (it did not load, a
 * `beforeAll` or `afterAll` threw; its tests, if any, were skipped) adds one failure,
 * and the line names it. So does a run that exited non-zero with nothing failed in its
 * report, or a report that could not be read.
 *
 * @param {unknown} report  vitest's `--reporter=json` output, parsed; undefined if there was none
 * @param {number | null} status  vitest's exit status (null if it was killed)
 * @returns {Count}
 */
export function countVitest(report, status) {
  if (!report || typeof report !== 'object' || !Array.isArray(report.testResults)) {
    return { passed: 0, failed: 1, line: 'vitest: no report to count (counted as 1 failed)' };
  }
  const tests = { passed: 0, failed: 0, skipped: 0, todo: 0 };
  const brokenFiles = [];
  for (const file of report.testResults) {
    let failedHere = 0;
    for (const test of file.assertionResults ?? []) {
      if (test.status === 'failed') failedHere += 1;
      else if (test.status === 'passed') tests.passed += 1;
      else if (test.status === 'todo') tests.todo += 1;
      else tests.skipped += 1;
    }
    tests.failed += failedHere;
    if (file.status === 'failed' && failedHere === 0) brokenFiles.push(file.name);
  }
  const shown = [
    tests.failed > 0 && `${tests.failed} failed`,
    `${tests.passed} passed`,
    tests.skipped > 0 && `${tests.skipped} skipped`,
    tests.todo > 0 && `${tests.todo} todo`,
  ].filter(Boolean);
  let line = `vitest: tests ${shown.join(' | ')}`;
  let failed = tests.failed + brokenFiles.length;
  if (brokenFiles.length > 0) {
    line += `; ${brokenFiles.length} test file${brokenFiles.length === 1 ? '' : 's'} failed outside ${brokenFiles.length === 1 ? 'its' : 'their'} tests, each counted as 1 failed: ${brokenFiles.join(', ')}`;
  }
  if (status !== 0 && failed === 0) {
    failed = 1;
    line += `; but vitest exited ${status === null ? 'on a signal' : status} with nothing failed in its report (an unhandled error?), counted as 1 failed`;
  }
  return { passed: tests.passed, failed, line };
}

/**
 * Counts the conformance run from its closing line "N passed, N failed"; a run without
 * that line, or that exited non-zero with nothing failed, adds one failure.
 *
 * @param {string} stdout  what the conformance runner printed
 * @param {number | null} status  its exit status
 * @returns {Count}
 */
export function countConformance(stdout, status) {
  const summary = /^(\d+) passed, (\d+) failed$/m.exec(stdout ?? '');
  if (!summary) return { passed: 0, failed: 1, line: 'conformance: printed no summary (counted as 1 failed)' };
  const passed = Number(summary[1]);
  const failed = Number(summary[2]);
  if (status !== 0 && failed === 0) {
    return { passed, failed: 1, line: `conformance: ${passed} passed, 0 failed, but it exited ${status === null ? 'on a signal' : status} (counted as 1 failed)` };
  }
  return { passed, failed, line: `conformance: ${passed} passed, ${failed} failed` };
}

/**
 * The closing line, which CI reads: exactly "total: N passed, N failed".
 *
 * @param {Count[]} counts
 * @returns {string}
 */
export function totalLine(counts) {
  const sum = (key) => counts.reduce((total, count) => total + count[key], 0);
  return `total: ${sum('passed')} passed, ${sum('failed')} failed`;
}
