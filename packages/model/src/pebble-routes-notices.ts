/**
 * The Pebble API's notices routes (canonical/pebble internals/daemon/api_notices.go):
 * `POST /v1/notices` adds a custom notice (a key in "example.com/path" form, optional
 * data and repeat-after), `GET /v1/notices` lists them by types, keys and `after`,
 * waiting up to `timeout` for one, and `GET /v1/notices/{id}` shows one. The local
 * server has one user, so the user filters are taken and change nothing.
 */
import { badRequest, commaList, decodeJson, failure, sync, type PebbleRequest, type Reply, type RouteTable } from './pebble-http.js';
import { parseDuration } from './pebble-durations.js';
import { NOTICE_TYPES, type PebbleNotices } from './pebble-notices.js';

/** api_notices.go customKeyRegexp: lowercase domain with at least one dot, then at least one path segment. */
const CUSTOM_KEY = /^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+(-[a-z0-9]+)*)+(\/[a-z0-9]+(-[a-z0-9]+)*)+$/;
const MAX_KEY_LENGTH = 256;
const MAX_DATA_SIZE = 4 * 1024;
/** RFC 3339, as Go's time.Parse(time.RFC3339) takes it. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export function noticeRoutes(notices: PebbleNotices): RouteTable {
  return {
    '/v1/notices': { GET: (request) => listNotices(notices, request), POST: (request) => addNotice(notices, request) },
    '/v1/notices/{id}': {
      GET: (request) => {
        const notice = notices.get(request.params.id!);
        return notice === undefined ? failure(404, `cannot find notice with ID ${JSON.stringify(request.params.id)}`) : sync(notice);
      },
    },
  };
}

async function listNotices(notices: PebbleNotices, request: PebbleRequest): Promise<Reply> {
  const query = request.url.searchParams;
  if (query.has('users') && query.has('user-id')) return badRequest('cannot use both "users" and "user-id" parameters');
  if (query.has('users') && query.get('users') !== 'all') return badRequest('invalid "users" filter: must be "all"');
  const asked = commaList(request.url, 'types');
  const types = [...new Set(asked.filter((type) => NOTICE_TYPES.includes(type)))];
  // sanitizeTypesFilter: only unknown types asked for is an empty answer, not an error.
  if (asked.length > 0 && types.length === 0) return sync([]);
  const afterText = query.get('after') ?? '';
  if (afterText !== '' && (!RFC3339.test(afterText) || Number.isNaN(Date.parse(afterText)))) {
    return badRequest(`invalid "after" timestamp: parsing time ${JSON.stringify(afterText)} as "2006-01-02T15:04:05Z07:00": cannot parse`);
  }
  const timeoutText = query.get('timeout') ?? '';
  const timeoutMs = timeoutText === '' ? 0 : parseDuration(timeoutText);
  if (timeoutMs === undefined) return badRequest(`invalid timeout: time: invalid duration ${JSON.stringify(timeoutText)}`);
  const filter = { types, keys: commaList(request.url, 'keys'), ...(afterText ? { after: new Date(afterText) } : {}) };
  return sync(timeoutMs > 0 ? await notices.wait(filter, timeoutMs, request.signal) : notices.list(filter));
}

function addNotice(notices: PebbleNotices, request: PebbleRequest): Reply {
  const decoded = decodeJson(request.body, 'cannot decode request body');
  if ('reply' in decoded) return decoded.reply;
  const payload = decoded.value;
  const field = (name: string): string => (typeof payload[name] === 'string' ? (payload[name] as string) : '');
  if (field('action') !== 'add') return badRequest(`invalid action ${JSON.stringify(field('action'))}`);
  if (field('type') !== 'custom') return badRequest(`invalid type ${JSON.stringify(field('type'))} (can only add "custom" notices)`);
  const key = field('key');
  if (!CUSTOM_KEY.test(key)) return badRequest(`invalid key ${JSON.stringify(key)} (must be in "example.com/path" format)`);
  if (key.length > MAX_KEY_LENGTH) return badRequest(`key must be ${MAX_KEY_LENGTH} bytes or less`);
  const repeatAfterMs = field('repeat-after') === '' ? 0 : parseDuration(field('repeat-after'));
  if (repeatAfterMs === undefined) return badRequest(`invalid repeat-after: time: invalid duration ${JSON.stringify(field('repeat-after'))}`);
  const data = payload.data;
  if (data !== undefined && data !== null) {
    if (JSON.stringify(data).length > MAX_DATA_SIZE) return badRequest(`total size of data must be ${MAX_DATA_SIZE} bytes or less`);
    if (typeof data !== 'object' || Array.isArray(data) || !Object.values(data).every((value) => typeof value === 'string')) {
      return badRequest('cannot decode notice data: data must map strings to strings');
    }
  }
  const id = notices.add('custom', key, { userId: 0, repeatAfterMs, ...(data ? { data: data as Record<string, string> } : {}) });
  return sync({ id });
}
