import { formatProblem, type ManifestProblem } from '@charms/manifest';

/** Stable codes of the charms command's failures. */
export type CliErrorCode =
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
 * A failure the user can fix: printed as one message (every problem, each as
 * `file:line:col code message` when it has a place), exit status 1, no stack trace
 * unless `--debug`.
 */
export class CliError extends Error {
  readonly code: CliErrorCode;
  readonly problems: readonly ManifestProblem[];

  constructor(code: CliErrorCode, message: string, problems: readonly ManifestProblem[] = [], options?: { cause?: unknown }) {
    super(problems.length > 0 ? `${message}\n${problems.map(formatProblem).join('\n')}` : message, options);
    this.name = 'CliError';
    this.code = code;
    this.problems = problems;
  }
}
