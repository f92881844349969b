/** Stable codes of pod spec failures. */
export type PodSpecErrorCode = 'POD_SPEC_INVALID' | 'POD_SPEC_NOT_LEADER' | 'POD_SPEC_REJECTED';

/**
 * A pod spec that was not sent, or that Juju refused. `problems` lists every invalid
 * field as `path: message` when the spec was checked here first.
 */
export class PodSpecError extends Error {
  readonly code: PodSpecErrorCode;
  readonly problems: readonly string[];

  constructor(code: PodSpecErrorCode, message: string, problems: readonly string[] = [], options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PodSpecError';
    this.code = code;
    this.problems = problems;
  }
}
