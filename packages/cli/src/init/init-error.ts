/** Stable codes of `charms init`'s refusals. */
export type InitErrorCode = 'INVALID_CHARM_NAME' | 'TARGET_NOT_EMPTY';

/**
 * `charms init` refused: a name Juju would not accept, or a folder that already holds
 * something. Nothing was written.
 */
export class InitError extends Error {
  readonly code: InitErrorCode;
  /** The charm name or the folder that was refused. */
  readonly value: string;

  constructor(code: InitErrorCode, message: string, value: string) {
    super(message);
    this.name = 'InitError';
    this.code = code;
    this.value = value;
  }
}
