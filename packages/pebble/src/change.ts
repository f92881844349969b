import { PebbleError } from './errors.js';

/** One task of a change, as `/v1/changes/{id}` reports it (Pebble's `client/changes.go`, `Task`). */
export interface Task {
  readonly id: string;
  readonly kind: string;
  readonly summary: string;
  /** `Do`, `Doing`, `Done`, `Error`, `Hold`, … */
  readonly status: string;
  /** Log lines, each `<RFC 3339 time> <LEVEL> <text>` as Pebble writes them. */
  readonly log: readonly string[];
  readonly progress: { readonly label: string; readonly done: number; readonly total: number };
  readonly spawnTime: string;
  readonly readyTime: string | undefined;
  /** The task's data; an exec task holds `exit-code` here once done. */
  readonly data: Readonly<Record<string, unknown>>;
}

/** A change: what an async request (services, exec) set going (Pebble's `client/changes.go`, `Change`). */
export interface Change {
  readonly id: string;
  readonly kind: string;
  readonly summary: string;
  /** `Do`, `Doing`, `Done`, `Error`, `Hold`, `Abort`, `Undo`, … */
  readonly status: string;
  readonly tasks: readonly Task[];
  readonly ready: boolean;
  /** Pebble's summary of what failed, when the change ended in `Error`. */
  readonly err: string | undefined;
  readonly spawnTime: string;
  readonly readyTime: string | undefined;
}

function field<T>(record: Record<string, unknown>, key: string, check: (value: unknown) => value is T, where: string): T {
  const value = record[key];
  if (!check(value)) throw new PebbleError(`Pebble sent ${where} with ${key} ${JSON.stringify(value)}, which is not what its API sends`, { code: 'PEBBLE_PROTOCOL' });
  return value;
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean';
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function optionalString(record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function parseTask(raw: unknown, changeId: string): Task {
  if (!isRecord(raw)) throw new PebbleError(`Pebble sent a task of change ${changeId} that is not an object`, { code: 'PEBBLE_PROTOCOL' });
  const where = `a task of change ${changeId}`;
  const progress = isRecord(raw['progress']) ? raw['progress'] : {};
  const log = Array.isArray(raw['log']) ? raw['log'].filter(isString) : [];
  return {
    id: field(raw, 'id', isString, where),
    kind: field(raw, 'kind', isString, where),
    summary: field(raw, 'summary', isString, where),
    status: field(raw, 'status', isString, where),
    log,
    progress: {
      label: typeof progress['label'] === 'string' ? progress['label'] : '',
      done: typeof progress['done'] === 'number' ? progress['done'] : 0,
      total: typeof progress['total'] === 'number' ? progress['total'] : 0,
    },
    spawnTime: optionalString(raw, 'spawn-time') ?? '',
    readyTime: optionalString(raw, 'ready-time'),
    data: isRecord(raw['data']) ? raw['data'] : {},
  };
}

/**
 * Reads a change from the `result` of `/v1/changes/{id}` or `/v1/changes/{id}/wait`
 * (Pebble's `internals/daemon/api_changes.go`, `changeInfo`: kebab-case keys, `tasks`
 * and `err` omitted when empty).
 *
 * @throws {PebbleError} `PEBBLE_PROTOCOL` when a required key is missing or of the wrong type.
 */
export function parseChange(raw: unknown): Change {
  if (!isRecord(raw)) throw new PebbleError(`Pebble sent a change that is not an object: ${JSON.stringify(raw)}`, { code: 'PEBBLE_PROTOCOL' });
  const id = field(raw, 'id', isString, 'a change');
  const where = `change ${id}`;
  const tasks = raw['tasks'] === undefined ? [] : raw['tasks'];
  if (!Array.isArray(tasks)) throw new PebbleError(`Pebble sent ${where} with tasks that are not a list`, { code: 'PEBBLE_PROTOCOL' });
  return {
    id,
    kind: field(raw, 'kind', isString, where),
    summary: field(raw, 'summary', isString, where),
    status: field(raw, 'status', isString, where),
    tasks: tasks.map((task) => parseTask(task, id)),
    ready: field(raw, 'ready', isBoolean, where),
    err: optionalString(raw, 'err'),
    spawnTime: optionalString(raw, 'spawn-time') ?? '',
    readyTime: optionalString(raw, 'ready-time'),
  };
}
