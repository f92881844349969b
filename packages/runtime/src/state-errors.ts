/** Stable codes of unit-state failures. */
export type StateErrorCode = 'STATE_CORRUPT' | 'STATE_UNREADABLE' | 'STATE_WRITE_FAILED' | 'STATE_TOO_LARGE' | 'STATE_STORE_UNKNOWN';

/**
 * Committed unit state could not be read or written, or the store to keep it in was
 * named wrongly (`STATE_STORE_UNKNOWN`). Names where the state lives; the state there is
 * left exactly as it was, so nothing committed is lost.
 */
export class StateStoreError extends Error {
  readonly code: StateErrorCode;
  /**
   * The file, `controller:<key>` for controller-side state, or for `STATE_STORE_UNKNOWN`
   * the setting that named the store (`CHARMS_STATE_STORE`, or `main`'s `store` option).
   */
  readonly location: string;

  constructor(code: StateErrorCode, location: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StateStoreError';
    this.code = code;
    this.location = location;
  }
}
