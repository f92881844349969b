/**
 * The HTTP layer of the local model's Pebble server: the answers in Pebble's envelope
 * `{type, status-code, status, result, change?}` (canonical/pebble
 * internals/daemon/response.go), the route table with `{name}` parameters and its 404 and
 * 405 answers (daemon.go's router), a request's body and its JSON object, and writing an
 * answer out. The routes of each API area (pebble-routes-*.ts) answer with these.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** What a route answers; the server writes it out (`serveRequest`). */
export type Reply =
  | { kind: 'json'; status: number; body: Record<string, unknown> }
  | { kind: 'raw'; status: number; contentType: string; body: Buffer }
  /** An answer written over time (`/v1/logs?follow=true`): `write` gets the open response. */
  | { kind: 'stream'; status: number; contentType: string; write: (response: ServerResponse) => void };

type JsonReply = Extract<Reply, { kind: 'json' }>;

const STATUS_TEXT: Record<number, string> = {
  200: 'OK', 202: 'Accepted', 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  500: 'Internal Server Error', 502: 'Bad Gateway', 504: 'Gateway Timeout',
};

/** A synchronous answer (response.go's SyncResponse). */
export const sync = (result: unknown, status = 200): JsonReply => ({ kind: 'json', status, body: { type: 'sync', 'status-code': status, status: STATUS_TEXT[status] ?? '', result } });

/** An asynchronous answer naming the change that carries the work (response.go's AsyncResponse). */
export const accepted = (change: string, result?: unknown): Reply => ({
  kind: 'json',
  status: 202,
  body: { type: 'async', 'status-code': 202, status: 'Accepted', change, ...(result !== undefined ? { result } : {}) },
});

/** An error answer (response.go's ErrorResponse), with Pebble's error `kind` and `value` when it has them. */
export const failure = (status: number, message: string, kind?: string, value?: unknown): JsonReply => ({
  kind: 'json',
  status,
  body: { type: 'error', 'status-code': status, status: STATUS_TEXT[status] ?? '', result: { message, ...(kind ? { kind } : {}), ...(value !== undefined ? { value } : {}) } },
});

export const badRequest = (message: string): Reply => failure(400, message);

/** A request as a route sees it: the body read whole, the route's `{name}` parameters decoded. */
export interface PebbleRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
  readonly params: Record<string, string>;
  /** Aborted when the client goes away (a wait on a change ends then). */
  readonly signal: AbortSignal;
}

export type Handler = (request: PebbleRequest) => Reply | Promise<Reply>;

/** Paths (with `{name}` parameters) and the handler of each method on them. */
export type RouteTable = Record<string, Readonly<Record<string, Handler>>>;

/** The routes of every API area, matched by path. */
export class PebbleRouter {
  private readonly routes: { pattern: RegExp; names: string[]; methods: Readonly<Record<string, Handler>> }[] = [];

  constructor(tables: readonly RouteTable[]) {
    for (const table of tables) {
      for (const [path, methods] of Object.entries(table)) {
        const names: string[] = [];
        const pattern = new RegExp(`^${path.replace(/\{([^}]+)\}/g, (_, name: string) => {
          names.push(name);
          return '([^/]+)';
        })}$`);
        this.routes.push({ pattern, names, methods });
      }
    }
  }

  match(path: string): { methods: Readonly<Record<string, Handler>>; params: Record<string, string> } | undefined {
    for (const route of this.routes) {
      const found = route.pattern.exec(path);
      if (found) return { methods: route.methods, params: Object.fromEntries(route.names.map((name, i) => [name, decodeURIComponent(found[i + 1]!)])) };
    }
    return undefined;
  }
}

/** Answers one request through `router`; a handler that throws is a 500 naming the error. */
export async function serveRequest(router: PebbleRouter, incoming: IncomingMessage, response: ServerResponse): Promise<void> {
  const abort = new AbortController();
  response.on('close', () => abort.abort());
  let reply: Reply;
  try {
    const url = new URL(incoming.url ?? '/', 'http://localhost');
    const found = router.match(url.pathname);
    const body = await readBody(incoming);
    if (found === undefined) {
      // daemon.go: the router's NotFoundHandler.
      reply = failure(404, 'invalid API endpoint requested');
    } else if (found.methods[incoming.method ?? ''] === undefined) {
      reply = failure(405, `method ${JSON.stringify(incoming.method)} not allowed`);
    } else {
      reply = await found.methods[incoming.method!]!({ method: incoming.method!, url, headers: incoming.headers, body, params: found.params, signal: abort.signal });
    }
  } catch (error) {
    reply = failure(500, `internal error: ${(error as Error).message}`);
  }
  if (response.destroyed) return;
  if (reply.kind === 'stream') {
    response.writeHead(reply.status, { 'Content-Type': reply.contentType });
    reply.write(response);
    return;
  }
  if (reply.kind === 'raw') {
    response.writeHead(reply.status, { 'Content-Type': reply.contentType, 'Content-Length': reply.body.length });
    response.end(reply.body);
    return;
  }
  const text = JSON.stringify(reply.body);
  response.writeHead(reply.status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  response.end(text);
}

/** An error answer as raw HTTP/1.1 text, for a connection taken over by an upgrade request. */
export function rawFailure(status: number, message: string): string {
  const text = JSON.stringify(failure(status, message).body as object);
  return `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? ''}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`;
}

/** The body as a JSON object, or the 400 answer `what: <why>` Pebble gives when it is not one. */
export function decodeJson(body: Buffer, what: string): { value: Record<string, unknown> } | { reply: Reply } {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return { reply: badRequest(`${what}: the body is not a JSON object`) };
    return { value: value as Record<string, unknown> };
  } catch (error) {
    return { reply: badRequest(`${what}: ${(error as Error).message}`) };
  }
}

/** Query parameter `key` as strutil.MultiCommaSeparatedList reads it: `?names=a,b&names=c`. */
export function commaList(url: URL, key: string): string[] {
  return url.searchParams
    .getAll(key)
    .flatMap((value) => value.split(','))
    .map((name) => name.trim())
    .filter((name) => name !== '');
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}
