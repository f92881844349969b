import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { ConnectionError, PebbleError, TimeoutError } from './errors.js';

/** One HTTP request to Pebble's socket. */
export interface PebbleRequest {
  readonly method: 'GET' | 'POST';
  /** `/v1/...`, without the query. */
  readonly path: string;
  /** Each value is sent once per element when it is a list (`names=a&names=b`); undefined values are left out. */
  readonly query?: Readonly<Record<string, string | readonly string[] | undefined>>;
  readonly headers?: Readonly<Record<string, string>>;
  /** A JSON body (sent with `Content-Type: application/json`), or raw bytes with their own content type in `headers`. */
  readonly json?: unknown;
  readonly body?: Buffer;
  /** Abandon the request after this long (a `TimeoutError`). */
  readonly timeoutMs: number;
}

/** What came back, whole. */
export interface PebbleResponse {
  readonly statusCode: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/**
 * Pebble's response envelope (`internals/daemon/response.go`, `respJSON`): every answer
 * but a file read is one JSON object of this shape.
 */
export interface Envelope {
  readonly type: 'sync' | 'async' | 'error';
  readonly statusCode: number;
  readonly status: string;
  readonly result: unknown;
  /** The change an async answer set going. */
  readonly change: string | undefined;
}

export function describeRequest(request: Pick<PebbleRequest, 'method' | 'path'>): string {
  return `${request.method} ${request.path}`;
}

function pathWithQuery(request: PebbleRequest): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(request.query ?? {})) {
    if (value === undefined) continue;
    for (const one of typeof value === 'string' ? [value] : value) search.append(key, one);
  }
  const query = search.toString();
  return query === '' ? request.path : `${request.path}?${query}`;
}

/** Why a connection failed, in words a charm author can act on. */
function connectionReason(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOENT':
      return 'the socket does not exist (is the container running Pebble? under the local model, CHARMS_PEBBLE_SOCKETS must point at its sockets)';
    case 'ECONNREFUSED':
      return 'nothing listens on the socket (Pebble has stopped)';
    case 'EACCES':
      return 'permission denied on the socket';
    case 'ECONNRESET':
    case 'EPIPE':
      return 'Pebble closed the connection before answering';
    default:
      return error.message;
  }
}

/**
 * Sends one request over the unix socket and reads the whole answer. One connection per
 * request (no keep-alive pool): nothing stays open to hold a hook's process alive.
 *
 * @throws {ConnectionError} `PEBBLE_CONNECTION` when the socket cannot be reached or the connection breaks.
 * @throws {TimeoutError} `PEBBLE_TIMEOUT` when no answer came within `timeoutMs`.
 */
export function sendRequest(socketPath: string, request: PebbleRequest): Promise<PebbleResponse> {
  const headers: Record<string, string> = { ...request.headers };
  let body: Buffer | undefined = request.body;
  if (request.json !== undefined) {
    body = Buffer.from(JSON.stringify(request.json));
    headers['Content-Type'] = 'application/json';
  }
  if (body !== undefined) headers['Content-Length'] = String(body.length);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest({ socketPath, path: pathWithQuery(request), method: request.method, headers, agent: false }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('error', (error: NodeJS.ErrnoException) => reject(new ConnectionError(socketPath, connectionReason(error), error)));
      incoming.on('end', () => resolve({ statusCode: incoming.statusCode ?? 0, headers: incoming.headers, body: Buffer.concat(chunks) }));
    });
    outgoing.setTimeout(request.timeoutMs, () => {
      outgoing.destroy(new TimeoutError(`Pebble at ${socketPath} did not answer ${describeRequest(request)} within ${request.timeoutMs} ms`));
    });
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      reject(error instanceof PebbleError ? error : new ConnectionError(socketPath, connectionReason(error), error));
    });
    outgoing.end(body);
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads Pebble's envelope from a JSON body; an `error` envelope becomes a `PebbleError`
 * carrying its `status-code`, `kind` and `value` (a 504 from a wait, a `TimeoutError`).
 *
 * @throws {PebbleError} `PEBBLE_API_ERROR` for an error envelope, `PEBBLE_PROTOCOL` for anything that is not an envelope.
 */
export function readEnvelope(text: string, what: string): Envelope {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new PebbleError(`Pebble's answer to ${what} is not JSON: ${JSON.stringify(text.slice(0, 200))}`, { code: 'PEBBLE_PROTOCOL' });
  }
  if (!isRecord(parsed) || (parsed['type'] !== 'sync' && parsed['type'] !== 'async' && parsed['type'] !== 'error') || typeof parsed['status-code'] !== 'number') {
    throw new PebbleError(`Pebble's answer to ${what} is not a response envelope: ${JSON.stringify(text.slice(0, 200))}`, { code: 'PEBBLE_PROTOCOL' });
  }
  const envelope: Envelope = {
    type: parsed['type'],
    statusCode: parsed['status-code'],
    status: typeof parsed['status'] === 'string' ? parsed['status'] : '',
    result: parsed['result'],
    change: typeof parsed['change'] === 'string' && parsed['change'] !== '' ? parsed['change'] : undefined,
  };
  if (envelope.type === 'error') throw envelopeError(envelope, what);
  return envelope;
}

function envelopeError(envelope: Envelope, what: string): PebbleError {
  const result = isRecord(envelope.result) ? envelope.result : {};
  // As Pebble's client/client.go `response.err`: an error with no message is reported by its status.
  const message = typeof result['message'] === 'string' && result['message'] !== '' ? result['message'] : envelope.status || 'no message';
  const kind = typeof result['kind'] === 'string' && result['kind'] !== '' ? result['kind'] : undefined;
  const text = `Pebble refused ${what} (${envelope.statusCode}${envelope.status ? ` ${envelope.status}` : ''}): ${message}`;
  if (envelope.statusCode === 504) return new TimeoutError(text, envelope.statusCode);
  return new PebbleError(text, { statusCode: envelope.statusCode, kind, value: result['value'] });
}

/** The `result` of a sync answer. @throws {PebbleError} as `readEnvelope`, and `PEBBLE_PROTOCOL` for an answer that is not sync. */
export function syncResult(response: PebbleResponse, what: string): unknown {
  const envelope = readEnvelope(response.body.toString('utf8'), what);
  if (envelope.type !== 'sync') throw new PebbleError(`Pebble answered ${what} with a ${envelope.type} response where its API sends a sync one`, { code: 'PEBBLE_PROTOCOL' });
  return envelope.result;
}

/** The change id and `result` of an async answer. @throws {PebbleError} as `syncResult`, for an answer that is not async or has no change. */
export function asyncResult(response: PebbleResponse, what: string): { change: string; result: unknown } {
  const envelope = readEnvelope(response.body.toString('utf8'), what);
  if (envelope.type !== 'async' || envelope.change === undefined) {
    throw new PebbleError(`Pebble answered ${what} with a ${envelope.type} response${envelope.change === undefined ? ' and no change' : ''} where its API sends an async one with a change id`, {
      code: 'PEBBLE_PROTOCOL',
    });
  }
  return { change: envelope.change, result: envelope.result };
}

/** Milliseconds as a Go duration string (`1500ms`), the form Pebble's `parseOptionalDuration` reads in queries and payloads. */
export function goDuration(milliseconds: number): string {
  return `${Math.max(1, Math.ceil(milliseconds))}ms`;
}
