import type { ManifestProblem } from '@charms/manifest';
import { CliError } from '../cli-error.js';
import { entryModules } from './bundle.js';
import { findTypeScript, type TypeScript } from './find-typescript.js';
import { registrationProblems } from './registration-check.js';
import type { ResolvedLayer } from './resolve-layers.js';
import { parseModules, typeCheck } from './type-check.js';

/** Options for {@link checkCharm}. */
export interface CheckOptions {
  /** Type-check the charm's modules (default true); `--no-typecheck` turns it off. */
  readonly typecheck?: boolean;
  /** Told when a check starts. */
  readonly onStep?: (step: string) => void;
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
 * 1. the type check of the charm's and its local layers' modules (TypeScript compiler
 *    API; skipped with `typecheck: false`);
 * 2. the registration check: handler classes and layers the generated entry would
 *    never register, modules with no default export (read from the syntax);
 * 3. `charms lint` (handlers that can never run, flags nothing sets, …), once the code
 *    registers: its errors stop the build, its warnings are returned.
 *
 * With `typecheck: false` and no TypeScript installed, the registration check is
 * skipped too (it needs the compiler's parser); the bundler still names a module with
 * no default export.
 *
 * @throws CliError `CHECK_FAILED` with the problems, or `TYPESCRIPT_NOT_FOUND` (type check on,
 * no compiler found).
 */
export async function checkCharm(charmDir: string, layers: readonly ResolvedLayer[], options: CheckOptions = {}): Promise<CheckReport> {
  const typecheck = options.typecheck ?? true;
  const timings: Record<string, number> = {};
  const own = layers.filter((layer) => layer.kind === 'charm' || layer.kind === 'local');
  const ownLayers = new Set(own.map((layer) => layer.name));
  const modules = entryModules(own).filter((module) => ownLayers.has(module.layer));

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
      ? typeCheck(ts, { charmDir, roots: modules.map((m) => m.path), ownDirs: own.map((layer) => layer.dir) })
      : { errors: [], warnings: [], sourceFiles: parseModules(ts, modules.map((m) => m.path)) };
    timings.typecheck = performance.now() - started;
    started = performance.now();
    const registration = [...checked.sourceFiles.values()].flatMap((file) => registrationProblems(compiler, file, charmDir));
    timings.registration = performance.now() - started;
    const errors = [...checked.errors, ...registration];
    if (errors.length > 0) throw new CliError('CHECK_FAILED', failedMessage(errors.length, 'before bundling'), errors);
    warnings.push(...checked.warnings);
  }

  const started = performance.now();
  options.onStep?.('linting');
  const [{ analyzeCharm }, { lintCharm }] = await Promise.all([import('../tools/charm-analysis.js'), import('../tools/lint.js')]);
  let analysis: Awaited<ReturnType<typeof analyzeCharm>>;
  try {
    analysis = await analyzeCharm(charmDir);
  } catch (error) {
    timings.lint = performance.now() - started;
    const code = (error as { code?: unknown }).code;
    // Lint loads the handlers with Node, from the charm's folder; the bundler also looks
    // in this command's node_modules. A charm whose packages are not installed (a copy
    // in a temporary folder) bundles, and is not linted.
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      const firstLine = (error as Error).message.split('\n')[0];
      const note = `charms lint skipped: Node cannot load the handlers from the charm's folder (${firstLine}). Install the charm's packages (npm install) to lint it`;
      return { warnings, notes: [{ file: charmDir, line: 1, col: 1, code: 'LINT_SKIPPED', message: note }], timings };
    }
    throw new CliError('CHECK_FAILED', `loading the charm's handlers (for charms lint) failed: ${(error as Error).message}`, [], { cause: error });
  }
  const findings = lintCharm(analysis);
  timings.lint = performance.now() - started;
  const asProblem = (f: (typeof findings)[number]): ManifestProblem => ({ file: f.file, line: f.line, col: 1, code: f.code, message: `${f.message} (fix: ${f.fix})` });
  const lintErrors = findings.filter((f) => f.level === 'error').map(asProblem);
  if (lintErrors.length > 0) throw new CliError('CHECK_FAILED', failedMessage(lintErrors.length, 'by charms lint'), lintErrors);
  warnings.push(...findings.filter((f) => f.level === 'warning').map(asProblem));
  return { warnings, notes: [], timings };
}

function failedMessage(count: number, when: string): string {
  return `the charm has ${count === 1 ? 'a problem' : `${count} problems`}, found ${when} (nothing was written):`;
}
