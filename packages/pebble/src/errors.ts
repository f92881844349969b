import type { Change } from './change.js';

/**
 * The `kind` of Pebble's error results (`internals/daemon/response.go`, `errorKind`);
 * other strings may come from newer Pebbles.
 */
export type PebbleErrorKind =
  | 'login-required'
  | 'no-default-services'
  | 'not-found'
  | 'permission-denied'
  | 'generic-file-error'
  | 'system-restart'
  | 'daemon-restart'
  | (string & {});

/** Stable codes of the errors `@charms/pebble` throws. */
export type PebbleErrorCode =
  /** Pebble answered with an error (`type: error`). */
  | 'PEBBLE_API_ERROR'
  /** A file operation failed for its path: Pebble's answer held an error in that path's result. */
  | 'PEBBLE_PATH_ERROR'
  /** The answer was not what Pebble's API sends (not JSON, no envelope, a sync answer where an async one belongs). */
  | 'PEBBLE_PROTOCOL'
  /** The socket could not be reached. */
  | 'PEBBLE_CONNECTION'
  /** A change Pebble ran ended in `Error`. */
  | 'PEBBLE_CHANGE_FAILED'
  /** A wait ran past its deadline. */
  | 'PEBBLE_TIMEOUT'
  /** The caller passed something Pebble's API cannot carry (a container name with a slash, permissions that are not mode bits). */
  | 'PEBBLE_USAGE';

/**
 * Every error the client throws. Thrown as itself for Pebble's own errors: `statusCode`
 * is the envelope's `status-code`, `kind` and `value` are the error result's
 * (`no-default-services`, `not-found`, … as in Pebble's `client/client.go`), undefined
 * when Pebble gave none; null and undefined for errors that did not come from Pebble.
 */
export class PebbleError extends Error {
  readonly code: PebbleErrorCode;
  readonly statusCode: number | null;
  readonly kind: PebbleErrorKind | undefined;
  readonly value: unknown;

  constructor(
    message: string,
    fields: { code?: PebbleErrorCode; statusCode?: number | null; kind?: PebbleErrorKind | undefined; value?: unknown; cause?: unknown } = {},
  ) {
    super(message, fields.cause === undefined ? undefined : { cause: fields.cause });
    this.name = new.target.name;
    this.code = fields.code ?? 'PEBBLE_API_ERROR';
    this.statusCode = fields.statusCode ?? null;
    this.kind = fields.kind;
    this.value = fields.value;
  }
}

/**
 * A file operation (push, pull, make-dir, remove) failed for its path: Pebble answers
 * these with one result per path, the failure in that result (`fileResult` in
 * `internals/daemon/api_files.go`; ops raises `PathError` for them). `kind` says why:
 * `not-found`, `permission-denied` or `generic-file-error`.
 */
export class PathError extends PebbleError {
  /** The path in the container. */
  readonly path: string;

  constructor(path: string, message: string, kind: PebbleErrorKind | undefined, value: unknown) {
    super(message, { code: 'PEBBLE_PATH_ERROR', kind, value });
    this.path = path;
  }
}

/** The socket is missing, refuses connections, or the connection broke mid-request. */
export class ConnectionError extends PebbleError {
  /** The socket the client tried. */
  readonly socketPath: string;

  constructor(socketPath: string, reason: string, cause?: unknown) {
    super(`cannot reach Pebble at ${socketPath}: ${reason}`, { code: 'PEBBLE_CONNECTION', cause });
    this.socketPath = socketPath;
  }
}

/**
 * A change ended in `Error` (a service that would not start, an exec that timed out).
 * The message is Pebble's `err` for the change; `taskLog` holds every task's log lines,
 * which say why.
 */
export class ChangeError extends PebbleError {
  readonly change: Change;
  /** The log lines of the change's tasks, in task order. */
  readonly taskLog: readonly string[];

  constructor(change: Change) {
    const taskLog = change.tasks.flatMap((task) => task.log);
    const detail = taskLog.length > 0 ? `\n${taskLog.join('\n')}` : '';
    super(`change ${change.id} (${change.summary}) failed: ${change.err ?? change.status}${detail}`, { code: 'PEBBLE_CHANGE_FAILED' });
    this.change = change;
    this.taskLog = taskLog;
  }
}

/** A wait ran past its deadline: Pebble's 504 from `/v1/changes/{id}/wait`, or the client's own request timeout. */
export class TimeoutError extends PebbleError {
  constructor(message: string, statusCode: number | null = null) {
    super(message, { code: 'PEBBLE_TIMEOUT', statusCode });
  }
}
