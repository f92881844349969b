import { readFileSync, statSync, utimesSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../cli/test/helpers/run-command.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..', '..');
const launcher = join(repo, 'packages', 'conformance', 'bin', 'conformance.mjs');
const cache = join(repo, 'node_modules', '.cache', 'charms-conformance');
const fixture = join(here, '..', 'shared', 'cases', '01-registration-order.json');

async function run(): Promise<string> {
  const result = await runCommand(process.execPath, [launcher, fixture], { cwd: repo });
  expect(result.stderr).toBe('');
  return result.stdout.trim();
}

// Each run starts Node and may bundle first: seconds on a busy two-core machine. The runs
// are awaited (runCommand), so vitest's time-out applies to them: give them minutes.
const TIMEOUT = 180_000;

const recorded = (): Record<string, string> => JSON.parse(readFileSync(join(cache, 'build.json'), 'utf8')).inputs;

describe('the conformance launcher', { timeout: TIMEOUT }, () => {
  it('runs a bundle of the sources, and makes it again when one of them changes', async () => {
    expect(await run()).toBe('1 passed, 0 failed');
    const inputs = recorded();
    // Every workspace source the runner uses is watched, the engine's included.
    expect(Object.keys(inputs)).toEqual(
      expect.arrayContaining(['packages/conformance/src/cli.ts', 'packages/reactive/src/registry.ts', 'packages/reactive/package.json', 'node_modules/.modules.yaml']),
    );

    const source = join(repo, 'packages', 'conformance', 'src', 'compare.ts');
    const before = statSync(source);
    try {
      // The same text with another modification time stands for an edit (an earlier
      // time: the launcher records nothing that changes while it bundles).
      const other = new Date(before.mtimeMs - 1000);
      utimesSync(source, other, other);
      expect(await run()).toBe('1 passed, 0 failed');
      const now = statSync(source);
      expect(recorded()['packages/conformance/src/compare.ts']).toBe(`${now.size}:${now.mtimeMs}`);
    } finally {
      utimesSync(source, before.atime, before.mtime);
    }
  });
});
