import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { countConformance, countVitest, totalLine } from '../test-totals.mjs';

// A report vitest 3.2.7 wrote (`--reporter=json`) for five files, paths and times
// changed: ok (2 passed, 1 skipped, 1 todo), fails (2 failed in nested describes, 1
// passed), broken (an import that does not exist: no tests), hook (beforeAll throws: its
// 2 tests skipped), after (afterAll throws after its test passed). vitest's own summary:
// "Test Files 4 failed | 1 passed (5)", "Tests 2 failed | 4 passed | 3 skipped | 1 todo (10)".
const report = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'vitest-report.json'), 'utf8'));

const only = (...names: string[]) => ({
  ...report,
  testResults: report.testResults.filter((file: { name: string }) => names.some((name) => file.name.endsWith(`/${name}.test.ts`))),
});

describe('counting a vitest run', () => {
  it('counts tests as vitest does, not its failed describe blocks', () => {
    // vitest's numFailedTestSuites counts files and describe blocks: 6 here.
    expect(report.numFailedTestSuites).toBe(6);
    expect(countVitest(only('ok', 'fails'), 1)).toEqual({ passed: 3, failed: 2, line: 'vitest: tests 2 failed | 3 passed | 1 skipped | 1 todo' });
  });

  it('a file that fails outside its tests counts once, and the line names it', () => {
    expect(countVitest(only('broken'), 1)).toEqual({
      passed: 0,
      failed: 1,
      line: 'vitest: tests 0 passed; 1 test file failed outside its tests, each counted as 1 failed: packages/demo/test/broken.test.ts',
    });
    // Its two tests were skipped; the file is the failure.
    expect(countVitest(only('hook'), 1)).toMatchObject({ passed: 0, failed: 1, line: expect.stringContaining('tests 0 passed | 2 skipped; 1 test file failed') });
    // Its test passed, then afterAll threw.
    expect(countVitest(only('after'), 1)).toMatchObject({ passed: 1, failed: 1 });
  });

  it('the whole report: the tests vitest counts, plus one per file that failed on its own', () => {
    const count = countVitest(report, 1);
    expect(count).toMatchObject({ passed: 4, failed: 2 + 3 });
    expect(count.line).toBe(
      'vitest: tests 2 failed | 4 passed | 3 skipped | 1 todo; 3 test files failed outside their tests, each counted as 1 failed: ' +
        'packages/demo/test/after.test.ts, packages/demo/test/broken.test.ts, packages/demo/test/hook.test.ts',
    );
  });

  it('a clean run is its passed tests and nothing else', () => {
    expect(countVitest(only('ok'), 0)).toEqual({ passed: 2, failed: 0, line: 'vitest: tests 2 passed | 1 skipped | 1 todo' });
  });

  it('a run that exited non-zero with nothing failed in its report is one failure', () => {
    expect(countVitest(only('ok'), 1)).toMatchObject({ passed: 2, failed: 1, line: expect.stringContaining('exited 1 with nothing failed') });
    expect(countVitest(only('ok'), null)).toMatchObject({ failed: 1, line: expect.stringContaining('exited on a signal') });
  });

  it('no report, or not a report, is one failure', () => {
    expect(countVitest(undefined, 1)).toEqual({ passed: 0, failed: 1, line: 'vitest: no report to count (counted as 1 failed)' });
    expect(countVitest({ numPassedTests: 3 }, 0)).toMatchObject({ passed: 0, failed: 1 });
  });
});

describe('counting the conformance run', () => {
  it('reads its closing line', () => {
    expect(countConformance('fixture a ok\n240 passed, 2 failed\n', 1)).toEqual({ passed: 240, failed: 2, line: 'conformance: 240 passed, 2 failed' });
  });

  it('no closing line, or a non-zero exit with nothing failed, is one failure', () => {
    expect(countConformance('', null)).toMatchObject({ passed: 0, failed: 1 });
    expect(countConformance('242 passed, 0 failed\n', 1)).toMatchObject({ passed: 242, failed: 1 });
  });
});

describe('the closing line', () => {
  it('is exactly "total: N passed, N failed", summed over the runs', () => {
    const counts = [countVitest(report, 1), countConformance('242 passed, 0 failed\n', 0)];
    expect(totalLine(counts)).toBe('total: 246 passed, 5 failed');
  });
});
