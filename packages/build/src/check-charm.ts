import type { ManifestProblem } from '@charms/manifest';
import { actionModules } from './action-modules.js';
import { BuildError } from './build-error.js';
import { entryModules } from './bundle.js';
import { findTypeScript, type TypeScript } from './find-typescript.js';
import { registrationProblems } from './registration-check.js';
import type { ResolvedLayer } from './resolve-layers.js';
import { parseModules, typeCheck } from './type-check.js';

/** A problem a lint step found: an `error` stops the build, a `warning` is reported, a `note` says a check could not run. */
export interface LintProblem extends ManifestProblem {
  readonly level: 'error' | 'warning' | 'note';
}

/**
 * A check of the charm's handlers, run once the code registers; the charms command
 * passes `charms lint`. It is given the charm's folder and returns every problem found;
 * it throws only when it cannot run at all (the build fails with that error).
 */
export type LintStep = (charmDir: string) => Promise<readonly LintProblem[]>;

/** Options for {@link checkCharm}. */
export interface CheckOptions {
  /** Type-check the charm's modules (default true); `--no-typecheck` turns it off. */
  readonly typecheck?: boolean;
  /** Told when a check starts. */
  readonly onStep?: (step: string) => void;
  /** The lint step, last (none by default). */
  readonly lint?: LintStep;
}

/** What the checks found that does not stop the build. */
export interface CheckReport {
  readonly warnings: readonly ManifestProblem[];
  /** Checks that could not run, and why (lint, when Node cannot load the handlers). */
  readonly notes: readonly ManifestProblem[];
  /** Milliseconds each check took, by name (`typecheck`, `registration`, `lint`). */
  readonly timings: Readonly<Record<string, number>>;
}

/**
 * The checks `charms build` runs on the author's code before bundling it, each problem at
 * its file:line:col, every problem of a step at once:
 *
 * 1. the type check of the charm's and its local layers' modules, `reactive/` and
 *    `actions/` (TypeScript compiler API; skipped with `typecheck: false`);
 * 2. the registration check: handler classes and layers the generated entry would
 *    never register, modules with no default export (read from the syntax);
 * 3. the lint step when one is given (the charms command gives `charms lint`: handlers
 *    that can never run, flags nothing sets, …), once the code registers: its errors
 *    stop the build, its warnings and notes are returned.
 *
 * With `typecheck: false` and no TypeScript installed, the registration check is
 * skipped too (it needs the compiler's parser); the bundler still names a module with
 * no default export.
 *
 * @throws BuildError `CHECK_FAILED` with the problems, or `TYPESCRIPT_NOT_FOUND` (type check on,
 * no compiler found).
 */
export async function checkCharm(charmDir: string, layers: readonly ResolvedLayer[], options: CheckOptions = {}): Promise<CheckReport> {
  const typecheck = options.typecheck ?? true;
  const timings: Record<string, number> = {};
  const own = layers.filter((layer) => layer.kind === 'charm' || layer.kind === 'local');
  const ownLayers = new Set(own.map((layer) => layer.name));
  const modules = entryModules(own).filter((module) => ownLayers.has(module.layer));
  // Action modules are type-checked with the handlers; the registration check is for reactive/ modules only.
  const actions = actionModules(own).map((action) => action.path);

  let ts: TypeScript | undefined;
  try {
    ts = findTypeScript(charmDir);
  } catch (error) {
    if (typecheck) throw error;
  }
  const warnings: ManifestProblem[] = [];
  if (ts !== undefined) {
    const compiler = ts;
    let started = performance.now();
    options.onStep?.(typecheck ? 'type-checking' : 'reading the handlers');
    const checked = typecheck
      ? typeCheck(ts, { charmDir, roots: [...modules.map((m) => m.path), ...actions], ownDirs: own.map((layer) => layer.dir) })
      : { errors: [], warnings: [], sourceFiles: parseModules(ts, modules.map((m) => m.path)) };
    timings.typecheck = performance.now() - started;
    started = performance.now();
    const registration = modules.flatMap((m) => {
      const file = checked.sourceFiles.get(m.path);
      return file === undefined ? [] : registrationProblems(compiler, file, charmDir);
    });
    timings.registration = performance.now() - started;
    const errors = [...checked.errors, ...registration];
    if (errors.length > 0) throw new BuildError('CHECK_FAILED', failedMessage(errors.length, 'before bundling'), errors);
    warnings.push(...checked.warnings);
  }

  if (options.lint === undefined) return { warnings, notes: [], timings };
  const started = performance.now();
  options.onStep?.('linting');
  const found = await options.lint(charmDir);
  timings.lint = performance.now() - started;
  const errors = found.filter((problem) => problem.level === 'error').map(withoutLevel);
  if (errors.length > 0) throw new BuildError('CHECK_FAILED', failedMessage(errors.length, 'by charms lint'), errors);
  warnings.push(...found.filter((problem) => problem.level === 'warning').map(withoutLevel));
  return { warnings, notes: found.filter((problem) => problem.level === 'note').map(withoutLevel), timings };
}

function withoutLevel({ level: _level, ...problem }: LintProblem): ManifestProblem {
  return problem;
}

function failedMessage(count: number, when: string): string {
  return `the charm has ${count === 1 ? 'a problem' : `${count} problems`}, found ${when} (nothing was written):`;
}
