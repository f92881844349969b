import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { firstDifference, type Difference } from './compare.js';
import { fixtureFiles, loadFixture } from './load-fixtures.js';
import { runFixture } from './run-fixture.js';

const USAGE = `usage: pnpm conformance [--verbose] [PATH ...]

Runs charms.reactive conformance fixtures (files, or folders of *.json) through the
engine and compares the results. Without PATH it runs the cases/, public/ and
endpoints/ sets of packages/conformance/shared/. Prints one line per failing fixture and ends with
"N passed, N failed".`;

/** Where the runner finds what it runs by default. */
export interface MainOptions {
  /**
   * The in-repo copy of the team's shared/conformance/ folder, so a clone tests on its
   * own. Default: `../shared` from this file, right when it runs from source; the
   * launcher (bin/conformance.mjs) runs a bundle elsewhere and passes it.
   */
  readonly sharedDir?: string;
}

/**
 * The `pnpm conformance` command: runs fixtures and prints one line per failing one,
 * then "N passed, N failed". Returns the exit status: 0, 1 if a fixture failed, 2 for
 * a bad command line.
 */
export async function main(argv: readonly string[], options: MainOptions = {}): Promise<number> {
  const sharedDir = options.sharedDir ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'shared');
  const sharedSets = ['cases', 'public', 'endpoints'].map((set) => join(sharedDir, set));
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const verbose = argv.includes('--verbose');
  const unknown = argv.filter((arg) => arg.startsWith('-') && arg !== '--verbose');
  if (unknown.length > 0) {
    console.error(`conformance: unknown option ${unknown.join(', ')}\n${USAGE}`);
    return 2;
  }
  let paths = argv.filter((arg) => !arg.startsWith('-'));
  if (paths.length === 0) {
    const missing = sharedSets.filter((set) => !existsSync(set));
    if (missing.length > 0) {
      console.error(`conformance: the shared fixture sets are missing: ${missing.join(', ')}. Pass fixture paths instead.`);
      return 2;
    }
    paths = sharedSets;
  }

  let files: string[];
  try {
    files = await fixtureFiles(paths);
  } catch (error) {
    console.error(`conformance: ${(error as Error).message}`);
    return 2;
  }

  let passed = 0;
  let failed = 0;
  for (const file of files) {
    const shown = relative(process.cwd(), file) || basename(file);
    const loaded = await loadFixture(file);
    if (!loaded.ok) {
      failed += 1;
      console.log(`FAIL ${shown}: ${loaded.problem}`);
      continue;
    }
    const { fixture, expected } = loaded.data;
    let difference: Difference | undefined;
    try {
      difference = firstDifference(expected, await runFixture(fixture, { configOptionOrder: loaded.configOptionOrder }));
    } catch (error) {
      failed += 1;
      console.log(`FAIL ${fixture.name} (${shown}): the runner crashed: ${(error as Error).stack ?? String(error)}`);
      continue;
    }
    if (difference) {
      failed += 1;
      console.log(`FAIL ${fixture.name} (${shown}): ${describe(difference, expected.hooks)}`);
    } else {
      passed += 1;
      if (verbose) console.log(`ok   ${fixture.name}`);
    }
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

function describe(difference: Difference, hooks: readonly { hook: string }[]): string {
  const where = difference.hookIndex === null ? '' : `hook ${difference.hookIndex} (${hooks[difference.hookIndex]?.hook}) `;
  return `${where}${difference.field}: expected ${JSON.stringify(difference.expected)}, actual ${JSON.stringify(difference.actual)}`;
}

/** True when this file is the program node was started with (from source, through tsx). */
function startedDirectly(): boolean {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

// The launcher (bin/conformance.mjs) imports this module and calls main itself.
if (startedDirectly()) process.exitCode = await main(process.argv.slice(2));
