/** Stable codes of unit-state failures. */
export type StateErrorCode = 'STATE_CORRUPT' | 'STATE_UNREADABLE' | 'STATE_WRITE_FAILED' | 'STATE_TOO_LARGE';

/**
 * Committed unit state could not be read or written. Names where the state lives; the
 * state there is left exactly as it was, so nothing committed is lost.
 */
export class StateStoreError extends Error {
  readonly code: StateErrorCode;
  /** The file, or `controller:<key>` for controller-side state. */
  readonly location: string;

  constructor(code: StateErrorCode, location: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StateStoreError';
    this.code = code;
    this.location = location;
  }
}
