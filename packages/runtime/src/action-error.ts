/** Stable codes of {@link ActionError}. */
export type ActionErrorCode = 'UNKNOWN_ACTION' | 'INVALID_RESULT_KEY' | 'ACTION_FAILED';

/**
 * An action could not run, or asked for something Juju refuses. `UNKNOWN_ACTION`: the
 * charm has no function for the action Juju started (`known` lists those it has);
 * `INVALID_RESULT_KEY`: a `setResult` key that `action-set` would reject; `ACTION_FAILED`:
 * the `error` of `runCharmAction`'s result when the action called `ctx.fail()`.
 */
export class ActionError extends Error {
  readonly code: ActionErrorCode;
  /** The action's name. */
  readonly action: string;
  /** For `UNKNOWN_ACTION`: the actions the charm has, sorted. */
  readonly known: readonly string[];

  constructor(code: ActionErrorCode, action: string, message: string, known: readonly string[] = []) {
    super(message);
    this.name = 'ActionError';
    this.code = code;
    this.action = action;
    this.known = known;
  }
}
