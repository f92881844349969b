/**
 * Stable codes of every error the engine throws. Tests and callers match on these,
 * never on message wording.
 */
export type ReactiveErrorCode =
  | 'INVALID_FLAG'
  | 'INVALID_HANDLER'
  | 'INVALID_LAYER'
  | 'DUPLICATE_HANDLER'
  | 'INVALID_TRIGGER'
  | 'TRIGGER_CYCLE'
  | 'HANDLER_FAILED'
  | 'NO_ACTIVE_DISPATCH';

/**
 * The base of every error thrown by `@charms/reactive`.
 *
 * Each subclass has a fixed `code` and adds the structured fields that describe the
 * failure; the message says what failed, why, and what to do.
 */
export class ReactiveError extends Error {
  readonly code: ReactiveErrorCode;

  constructor(code: ReactiveErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** A flag name that is not a non-empty string. */
export class InvalidFlagError extends ReactiveError {
  /** The rejected value, as given. */
  readonly value: unknown;

  constructor(value: unknown, where: string) {
    super(
      'INVALID_FLAG',
      `${where}: a flag name must be a non-empty string, got ${describe(value)}. ` +
        `Pass the flag as a string such as 'app.installed'.`,
    );
    this.value = value;
  }
}

/** A handler registration that cannot be used (no id, no predicates, bad pattern). */
export class InvalidHandlerError extends ReactiveError {
  /** The handler id, when one could be determined. */
  readonly handlerId: string | undefined;

  constructor(handlerId: string | undefined, message: string) {
    super('INVALID_HANDLER', message);
    this.handlerId = handlerId;
  }
}

/** A layer whose name cannot be used in handler ids. */
export class InvalidLayerError extends ReactiveError {
  readonly layerName: unknown;

  constructor(layerName: unknown) {
    super(
      'INVALID_LAYER',
      `a layer name must start with a letter or digit and hold only letters, digits, '.', '_' or '-', got ${JSON.stringify(layerName)}`,
    );
    this.layerName = layerName;
  }
}

/** Two handlers registered with the same id in one reactor. */
export class DuplicateHandlerError extends ReactiveError {
  readonly handlerId: string;

  constructor(handlerId: string) {
    super(
      'DUPLICATE_HANDLER',
      `handler id '${handlerId}' is registered twice. Ids key @onlyOnce marks and ` +
        `appear in logs, so each must be unique: rename one function or pass a distinct 'id'.`,
    );
    this.handlerId = handlerId;
  }
}

/**
 * `registerTrigger` called with an invalid combination of options. The checks and
 * their order are the original's (its `ValueError`s), with the option names of this API.
 */
export class InvalidTriggerError extends ReactiveError {
  /** The options that were rejected. */
  readonly trigger: unknown;

  constructor(message: string, trigger: unknown) {
    super('INVALID_TRIGGER', message);
    this.trigger = trigger;
  }
}

/**
 * Triggers fired each other without end (for example `when p → clear p` together with
 * `whenNot p → set p`). The original dies with Python's RecursionError; this engine
 * stops at a fixed depth and names the transitions that repeat.
 */
export class TriggerCycleError extends ReactiveError {
  /** The most recent transitions, innermost last, as `set:flag` / `clear:flag`. */
  readonly transitions: readonly string[];

  constructor(transitions: readonly string[], depth: number) {
    const tail = transitions.slice(-8).join(' → ');
    super(
      'TRIGGER_CYCLE',
      `flag triggers recursed ${depth} levels deep, which means they form a cycle: … → ${tail}. ` +
        `Break the cycle so that no trigger undoes the flag change that fired it.`,
    );
    this.transitions = transitions;
  }
}

/** A handler threw. Carries the handler id, the hook and the original error as `cause`. */
export class HandlerError extends ReactiveError {
  readonly handlerId: string;
  readonly hookName: string;

  constructor(handlerId: string, hookName: string, cause: unknown) {
    super(
      'HANDLER_FAILED',
      `reactive handler '${handlerId}' failed in hook '${hookName}': ${causeMessage(cause)}`,
      { cause },
    );
    this.handlerId = handlerId;
    this.hookName = hookName;
  }
}

/** A module-level function such as `setFlag` was called while no hook is running. */
export class NoActiveDispatchError extends ReactiveError {
  readonly functionName: string;

  constructor(functionName: string) {
    super(
      'NO_ACTIVE_DISPATCH',
      `${functionName}() was called outside a running hook. Call it from a handler, a ` +
        `trigger callback or an atstart/atexit callback, or use the context passed to the handler.`,
    );
    this.functionName = functionName;
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

function causeMessage(cause: unknown): string {
  if (cause instanceof Error) return cause.message;
  return String(cause);
}
