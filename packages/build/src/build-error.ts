import { formatProblem, type ManifestProblem } from '@charms/manifest';

/** Stable codes of the failures of building and packing a charm. */
export type BuildErrorCode =
  | 'LAYER_NOT_FOUND'
  | 'INCLUDE_CYCLE'
  | 'OPTIONS_INVALID'
  | 'OUTPUT_MODIFIED'
  | 'BUNDLE_FAILED'
  | 'NOT_A_CHARM'
  | 'NOT_BUILT'
  | 'EMBED_FAILED'
  | 'CHECK_FAILED'
  | 'TYPESCRIPT_NOT_FOUND';

/**
 * A build or pack failure the user can fix: one message naming every problem, each as
 * `file:line:col code message` when it has a place. The charms command prints it with
 * no stack trace (unless `--debug`) and exits 1.
 */
export class BuildError extends Error {
  readonly code: BuildErrorCode;
  /** Every problem found, in the order found (empty when the failure has no place in a file). */
  readonly problems: readonly ManifestProblem[];

  constructor(code: BuildErrorCode, message: string, problems: readonly ManifestProblem[] = [], options?: { cause?: unknown }) {
    super(problems.length > 0 ? `${message}\n${problems.map(formatProblem).join('\n')}` : message, options);
    this.name = 'BuildError';
    this.code = code;
    this.problems = problems;
  }
}
