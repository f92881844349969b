/** Stable codes of the failures the charms command finds itself (building and packing fail with BuildError). */
export type CliErrorCode =
  /** A `--format` value the command does not know. */
  | 'UNKNOWN_FORMAT'
  /** A command-line value the command cannot use (a missing file, a bad pair). */
  | 'INVALID_ARGUMENT';

/**
 * A command-line mistake the user can fix: printed as its message, exit status 1, no
 * stack trace unless `--debug`.
 */
export class CliError extends Error {
  readonly code: CliErrorCode;

  constructor(code: CliErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CliError';
    this.code = code;
  }
}
