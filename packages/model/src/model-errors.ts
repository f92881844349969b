/** Stable codes of the local model's refusals. */
export type ModelErrorCode =
  | 'NOT_FOUND'
  | 'NOT_IN_ERROR'
  | 'UNIT_IN_ERROR'
  | 'UNIT_BUSY'
  | 'INVALID_HOOK'
  | 'INVALID_ACTION'
  | 'INVALID_STORAGE'
  | 'ALREADY_EXISTS'
  | 'INVALID_CONFIG'
  | 'INVALID_OPTION'
  | 'INVALID_CHARM'
  | 'INVALID_RELATION'
  | 'INVALID_RESOURCE'
  | 'INVALID_POD_SPEC'
  | 'HOOK_LOOP'
  | 'MODEL_CORRUPT'
  | 'MODEL_LOCKED';

/**
 * A command the model refuses. Nothing was changed, since every check runs before the
 * first change, except for `HOOK_LOOP`: the hooks that ran before the loop was noticed
 * stay committed. `problems` lists each bad value when there are several.
 */
export class ModelError extends Error {
  readonly code: ModelErrorCode;
  readonly problems: readonly string[];

  constructor(code: ModelErrorCode, message: string, problems: readonly string[] = []) {
    super(problems.length > 0 ? `${message}\n  ${problems.join('\n  ')}` : message);
    this.name = 'ModelError';
    this.code = code;
    this.problems = problems;
  }
}
