/**
 * Pebble's notices (internals/daemon/api_notices.go; the Go client's client/notices.go):
 * `notify` adds a custom notice, which Juju 3.4 and later turn into the
 * `<container>-pebble-custom-notice` hook; `getNotices` and `getNotice` read them.
 */
import { PebbleError } from './errors.js';
import type { Send } from './files.js';
import { goDuration, syncResult } from './transport.js';

/** One notice (client/notices.go Notice). */
export interface Notice {
  readonly id: string;
  /** The user who added it; undefined for notices of every user (change updates, warnings). */
  readonly userId: number | undefined;
  /** `custom`, `change-update` or `warning`. */
  readonly type: string;
  readonly key: string;
  readonly firstOccurred: Date;
  readonly lastOccurred: Date;
  readonly lastRepeated: Date;
  readonly occurrences: number;
  readonly lastData: Readonly<Record<string, string>>;
  /** Go duration text, e.g. `1h0m0s`, when set. */
  readonly repeatAfter: string | undefined;
  readonly expireAfter: string | undefined;
}

/** `notify` options. */
export interface NotifyOptions {
  /** Data kept with this occurrence (4 KiB at most as JSON). */
  readonly data?: Readonly<Record<string, string>>;
  /** A repeat within this many milliseconds counts an occurrence without repeating the notice. */
  readonly repeatAfterMs?: number;
}

/** `getNotices` filters. */
export interface NoticesFilter {
  readonly types?: readonly string[];
  readonly keys?: readonly string[];
  /** Only notices repeated after this time. */
  readonly after?: Date;
  /** Wait this long for a matching notice when there is none yet (0, the default: answer at once). */
  readonly timeoutMs?: number;
}

/** Pebble's form of a custom notice key: a lowercase domain with a dot, then a path (`example.com/db/ready`). */
const CUSTOM_KEY = /^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+(-[a-z0-9]+)*)+(\/[a-z0-9]+(-[a-z0-9]+)*)+$/;

/** `POST /v1/notices`: adds (or repeats) custom notice `key`; returns its id. */
export async function notify(send: Send, key: string, options: NotifyOptions = {}): Promise<string> {
  if (!CUSTOM_KEY.test(key)) {
    throw new PebbleError(`notify: key ${JSON.stringify(key)} is not in Pebble's "example.com/path" form (lowercase domain with a dot, then a path)`, { code: 'PEBBLE_USAGE' });
  }
  const json = {
    action: 'add',
    type: 'custom',
    key,
    ...(options.repeatAfterMs ? { 'repeat-after': goDuration(options.repeatAfterMs) } : {}),
    ...(options.data ? { data: options.data } : {}),
  };
  const result = syncResult(await send({ method: 'POST', path: '/v1/notices', json }), `POST /v1/notices (${key})`);
  const id = (result as { id?: unknown } | null)?.id;
  if (typeof id !== 'string') throw new PebbleError(`POST /v1/notices answered ${JSON.stringify(result)}, not a notice id`, { code: 'PEBBLE_PROTOCOL' });
  return id;
}

/** `GET /v1/notices`: the notices that match, oldest repeat first. */
export async function getNotices(send: Send, filter: NoticesFilter = {}): Promise<Notice[]> {
  const timeoutMs = filter.timeoutMs ?? 0;
  const query = {
    types: filter.types && filter.types.length > 0 ? filter.types.join(',') : undefined,
    keys: filter.keys && filter.keys.length > 0 ? filter.keys.join(',') : undefined,
    after: filter.after?.toISOString(),
    timeout: timeoutMs > 0 ? goDuration(timeoutMs) : undefined,
  };
  const result = syncResult(await send({ method: 'GET', path: '/v1/notices', query, ...(timeoutMs > 0 ? { timeoutMs: timeoutMs + 5000 } : {}) }), 'GET /v1/notices');
  if (!Array.isArray(result)) throw new PebbleError(`GET /v1/notices answered ${JSON.stringify(result)}, not a list`, { code: 'PEBBLE_PROTOCOL' });
  return result.map((raw) => parseNotice(raw, 'GET /v1/notices'));
}

/** `GET /v1/notices/{id}`. @throws {PebbleError} `PEBBLE_API_ERROR` (404) when there is no such notice. */
export async function getNotice(send: Send, id: string): Promise<Notice> {
  const what = `GET /v1/notices/${id}`;
  return parseNotice(syncResult(await send({ method: 'GET', path: `/v1/notices/${encodeURIComponent(id)}` }), what), what);
}

function parseNotice(raw: unknown, what: string): Notice {
  const value = raw as Record<string, unknown> | null;
  if (typeof value !== 'object' || value === null || typeof value['id'] !== 'string' || typeof value['key'] !== 'string') {
    throw new PebbleError(`${what} answered ${JSON.stringify(raw)}, not a notice`, { code: 'PEBBLE_PROTOCOL' });
  }
  const time = (name: string): Date => new Date(typeof value[name] === 'string' ? (value[name] as string) : 0);
  const data = value['last-data'];
  return {
    id: value['id'],
    userId: typeof value['user-id'] === 'number' ? value['user-id'] : undefined,
    type: typeof value['type'] === 'string' ? value['type'] : '',
    key: value['key'],
    firstOccurred: time('first-occurred'),
    lastOccurred: time('last-occurred'),
    lastRepeated: time('last-repeated'),
    occurrences: typeof value['occurrences'] === 'number' ? value['occurrences'] : 0,
    lastData: typeof data === 'object' && data !== null ? (data as Record<string, string>) : {},
    repeatAfter: typeof value['repeat-after'] === 'string' ? value['repeat-after'] : undefined,
    expireAfter: typeof value['expire-after'] === 'string' ? value['expire-after'] : undefined,
  };
}
