import { PathError, PebbleError } from './errors.js';
import { encodeMultipart, multipartBoundary, newBoundary, parseMultipart } from './multipart.js';
import { readEnvelope, syncResult, type PebbleRequest, type PebbleResponse } from './transport.js';

/** Sends one request with the client's socket and default timeout. */
export type Send = (request: Omit<PebbleRequest, 'timeoutMs'> & { timeoutMs?: number }) => Promise<PebbleResponse>;

/** Who owns a file or folder Pebble creates; ids win over names (Pebble's `normalizeUidGid`). */
export interface Ownership {
  readonly userId?: number;
  readonly user?: string;
  readonly groupId?: number;
  readonly group?: string;
}

/** `push` options (Pebble's `PushOptions`). */
export interface PushOptions extends Ownership {
  /** Create missing parent folders (mode 0755). */
  readonly makeDirs?: boolean;
  /** Mode bits, such as `0o600`; Pebble uses 0644 when unset. */
  readonly permissions?: number;
}

/** `makeDir` options (Pebble's `MakeDirOptions`). */
export interface MakeDirOptions extends Ownership {
  /** Create missing parents too, and succeed when the folder exists. */
  readonly makeParents?: boolean;
  /** Mode bits, such as `0o750`; Pebble uses 0755 when unset. */
  readonly permissions?: number;
}

/** `listFiles` options. */
export interface ListFilesOptions {
  /** A glob on the names (Go's `path.Match`), such as `*.conf`. */
  readonly pattern?: string;
  /** For a folder, describe the folder itself instead of its entries. */
  readonly itself?: boolean;
}

/** One entry `listFiles` returns (Pebble's `fileInfoResult` in api_files.go). */
export interface FileInfo {
  readonly path: string;
  readonly name: string;
  readonly type: 'file' | 'directory' | 'symlink' | 'socket' | 'named-pipe' | 'device' | 'unknown';
  /** Bytes, for regular files only. */
  readonly size: number | undefined;
  /** Mode bits, such as `0o644`. */
  readonly permissions: number;
  readonly lastModified: Date;
  readonly userId: number | null;
  readonly user: string;
  readonly groupId: number | null;
  readonly group: string;
}

/** `permissions` as Pebble reads them: three or more octal digits (Go's `%03o`), empty for "Pebble's default". */
export function octal(permissions: number | undefined, what: string): string {
  if (permissions === undefined || permissions === 0) return '';
  if (!Number.isInteger(permissions) || permissions < 0 || permissions > 0o7777) {
    throw new PebbleError(`${what}: permissions ${permissions} are not mode bits (give them as 0o644 and the like)`, { code: 'PEBBLE_USAGE' });
  }
  return permissions.toString(8).padStart(3, '0');
}

function ownership(options: Ownership): Record<string, unknown> {
  return { 'user-id': options.userId ?? null, user: options.user ?? '', 'group-id': options.groupId ?? null, group: options.group ?? '' };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Pebble answers file operations with one result per path, each with an `error` when
 * that path failed (`fileResult` in api_files.go): the one we asked about becomes a throw.
 */
function checkFileResults(result: unknown, path: string, what: string): void {
  if (!Array.isArray(result) || result.length !== 1 || !isRecord(result[0])) {
    throw new PebbleError(`Pebble answered ${what} with ${JSON.stringify(result)} where its API sends one result for ${path}`, { code: 'PEBBLE_PROTOCOL' });
  }
  const error = result[0]['error'];
  if (isRecord(error)) {
    const kind = typeof error['kind'] === 'string' && error['kind'] !== '' ? error['kind'] : undefined;
    throw new PathError(path, `${what} failed: ${String(error['message'] ?? 'no message')}`, kind, error['value']);
  }
}

/** Writes `content` to `path` in the container (`POST /v1/files`, multipart, action `write`). */
export async function pushFile(send: Send, path: string, content: string | Uint8Array, options: PushOptions = {}): Promise<void> {
  const what = `push of ${path}`;
  const metadata = {
    action: 'write',
    files: [{ path, 'make-dirs': options.makeDirs ?? false, permissions: octal(options.permissions, what), ...ownership(options) }],
  };
  const boundary = newBoundary();
  const body = encodeMultipart(boundary, [
    { name: 'request', contentType: 'application/json', content: Buffer.from(`${JSON.stringify(metadata)}\n`) },
    { name: 'files', filename: path, contentType: 'application/octet-stream', content: typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content) },
  ]);
  const response = await send({ method: 'POST', path: '/v1/files', headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` }, body });
  checkFileResults(syncResult(response, what), path, what);
}

/** Reads `path` from the container (`GET /v1/files?action=read`, answered as multipart). */
export async function pullFile(send: Send, path: string): Promise<Buffer> {
  const what = `pull of ${path}`;
  const response = await send({ method: 'GET', path: '/v1/files', query: { action: 'read', path }, headers: { Accept: 'multipart/form-data' } });
  const boundary = multipartBoundary(response.headers['content-type']);
  if (boundary === undefined) {
    // An error comes as a plain envelope (a request Pebble refused before reading any file).
    readEnvelope(response.body.toString('utf8'), what);
    throw new PebbleError(`Pebble answered ${what} with ${String(response.headers['content-type'])} where its API sends multipart/form-data`, { code: 'PEBBLE_PROTOCOL' });
  }
  const parts = parseMultipart(response.body, boundary, what);
  const responsePart = parts.find((part) => part.name === 'response');
  if (responsePart === undefined) throw new PebbleError(`Pebble's answer to ${what} has no "response" part`, { code: 'PEBBLE_PROTOCOL' });
  const envelope = readEnvelope(responsePart.content.toString('utf8'), what);
  checkFileResults(envelope.result, path, what);
  const filePart = parts.find((part) => part.name === 'files');
  if (filePart === undefined) throw new PebbleError(`Pebble's answer to ${what} has no "files" part`, { code: 'PEBBLE_PROTOCOL' });
  return Buffer.from(filePart.content);
}

const FILE_TYPES: ReadonlySet<string> = new Set(['file', 'directory', 'symlink', 'socket', 'named-pipe', 'device', 'unknown']);

function parseFileInfo(raw: unknown, what: string): FileInfo {
  if (!isRecord(raw) || typeof raw['path'] !== 'string' || typeof raw['name'] !== 'string' || typeof raw['permissions'] !== 'string') {
    throw new PebbleError(`Pebble answered ${what} with an entry that is not a file description: ${JSON.stringify(raw)}`, { code: 'PEBBLE_PROTOCOL' });
  }
  const type = typeof raw['type'] === 'string' && FILE_TYPES.has(raw['type']) ? (raw['type'] as FileInfo['type']) : 'unknown';
  return {
    path: raw['path'],
    name: raw['name'],
    type,
    size: typeof raw['size'] === 'number' ? raw['size'] : undefined,
    permissions: Number.parseInt(raw['permissions'], 8),
    lastModified: new Date(String(raw['last-modified'])),
    userId: typeof raw['user-id'] === 'number' ? raw['user-id'] : null,
    user: typeof raw['user'] === 'string' ? raw['user'] : '',
    groupId: typeof raw['group-id'] === 'number' ? raw['group-id'] : null,
    group: typeof raw['group'] === 'string' ? raw['group'] : '',
  };
}

/** Lists a folder's entries, or describes one file (`GET /v1/files?action=list`). */
export async function listFiles(send: Send, path: string, options: ListFilesOptions = {}): Promise<FileInfo[]> {
  const what = `list of ${path}`;
  const query = { action: 'list', path, pattern: options.pattern, itself: options.itself ? 'true' : undefined };
  const result = syncResult(await send({ method: 'GET', path: '/v1/files', query }), what);
  if (!Array.isArray(result)) throw new PebbleError(`Pebble answered ${what} with ${JSON.stringify(result)} where its API sends a list`, { code: 'PEBBLE_PROTOCOL' });
  return result.map((entry) => parseFileInfo(entry, what));
}

/** Creates a folder (`POST /v1/files`, action `make-dirs`). */
export async function makeDir(send: Send, path: string, options: MakeDirOptions = {}): Promise<void> {
  const what = `make-dir of ${path}`;
  const json = {
    action: 'make-dirs',
    dirs: [{ path, 'make-parents': options.makeParents ?? false, permissions: octal(options.permissions, what), ...ownership(options) }],
  };
  checkFileResults(syncResult(await send({ method: 'POST', path: '/v1/files', json }), what), path, what);
}

/** Removes a file or folder (`POST /v1/files`, action `remove`); a folder with entries needs `recursive`. */
export async function removePath(send: Send, path: string, options: { readonly recursive?: boolean } = {}): Promise<void> {
  const what = `remove of ${path}`;
  const json = { action: 'remove', paths: [{ path, recursive: options.recursive ?? false }] };
  checkFileResults(syncResult(await send({ method: 'POST', path: '/v1/files', json }), what), path, what);
}
