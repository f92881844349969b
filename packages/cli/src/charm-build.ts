import { buildCharm as buildWithoutLint, BuildError, type BuildOptions, type BuildSummary, type LintProblem } from '@charms/build';
import type { ManifestProblem } from '@charms/manifest';

/**
 * A charm built as `charms build` and `charms deploy <source>` build it: the build of
 * `@charms/build` with `charms lint` as its last check, so a handler that can never run
 * stops the build before anything is written.
 *
 * @throws BuildError as `buildCharm` of `@charms/build`; `CHECK_FAILED` also for lint errors.
 */
export function buildCharm(options: Omit<BuildOptions, 'lint'>): Promise<BuildSummary> {
  return buildWithoutLint({ ...options, lint: lintForBuild });
}

/**
 * `charms lint` as a build step: its findings as problems with a level. Lint loads the
 * handlers with Node from the charm's folder, while the bundler also looks in the build's
 * node_modules: a charm whose packages are not installed (a copy in a temporary folder)
 * bundles, and is not linted, with a note saying so.
 */
export async function lintForBuild(charmDir: string): Promise<LintProblem[]> {
  const [{ analyzeCharm }, { lintCharm }] = await Promise.all([import('./tools/charm-analysis.js'), import('./tools/lint.js')]);
  let analysis: Awaited<ReturnType<typeof analyzeCharm>>;
  try {
    analysis = await analyzeCharm(charmDir);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      const firstLine = (error as Error).message.split('\n')[0];
      const message = `charms lint skipped: Node cannot load the handlers from the charm's folder (${firstLine}). Install the charm's packages (npm install) to lint it`;
      return [{ level: 'note', file: charmDir, line: 1, col: 1, code: 'LINT_SKIPPED', message }];
    }
    throw new BuildError('CHECK_FAILED', `loading the charm's handlers (for charms lint) failed: ${(error as Error).message}`, [], { cause: error });
  }
  return lintCharm(analysis).map((f) => ({ level: f.level, file: f.file, line: f.line, col: 1, code: f.code, message: `${f.message} (fix: ${f.fix})` }));
}

/**
 * What `charms build` prints on stderr after a build that succeeded: each warning and
 * note as `warning: file:line:col code message` / `note: …`.
 */
export function buildMessages(summary: BuildSummary): string[] {
  const line = (problem: ManifestProblem) => `${problem.file}:${problem.line}:${problem.col} ${problem.code} ${problem.message}`;
  return [...summary.warnings.map((w) => `warning: ${line(w)}`), ...summary.notes.map((n) => `note: ${line(n)}`)];
}
