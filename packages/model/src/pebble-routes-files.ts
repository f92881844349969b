/**
 * The Pebble API's file routes (canonical/pebble internals/daemon/api_files.go): list and
 * read (a multipart answer) on GET; write (multipart), make-dirs and remove on POST, each
 * path answered on its own with Pebble's error kinds. The container's files themselves are
 * pebble-files.ts's.
 */
import { ContainerFiles, PebbleFileError, buildMultipart, parseMultipart } from './pebble-files.js';
import { badRequest, decodeJson, failure, sync, type PebbleRequest, type Reply, type RouteTable } from './pebble-http.js';

export function fileRoutes(files: ContainerFiles): RouteTable {
  return { '/v1/files': { GET: (request) => getFiles(files, request), POST: (request) => postFiles(files, request) } };
}

function getFiles(files: ContainerFiles, request: PebbleRequest): Reply {
  const query = request.url.searchParams;
  const action = query.get('action') ?? '';
  if (action === 'read') {
    const paths = query.getAll('path');
    if (paths.length === 0) return badRequest('must specify one or more paths');
    if (request.headers.accept !== 'multipart/form-data') return badRequest('must accept multipart/form-data');
    const parts: { name: string; filename?: string; contentType?: string; data: Buffer }[] = [];
    const result = paths.map((path) => {
      try {
        parts.push({ name: 'files', filename: path, data: files.read(path) });
        return { path };
      } catch (error) {
        return { path, error: fileError(error) };
      }
    });
    parts.push({ name: 'response', contentType: 'application/json', data: Buffer.from(`${JSON.stringify(sync(result).body)}\n`) });
    const { contentType, body } = buildMultipart(parts);
    return { kind: 'raw', status: 200, contentType, body };
  }
  if (action === 'list') {
    const path = query.get('path') ?? '';
    if (path === '') return badRequest('must specify path');
    const itself = query.get('itself') ?? '';
    if (!['true', 'false', ''].includes(itself)) return badRequest('itself parameter must be "true" or "false"');
    try {
      return sync(files.list(path, query.get('pattern') ?? '', itself === 'true'));
    } catch (error) {
      if (error instanceof PebbleFileError) {
        if (error.message.startsWith('path must be absolute')) return badRequest(error.message);
        return failure(error.status, error.message, error.kind);
      }
      throw error;
    }
  }
  return badRequest(`invalid action ${JSON.stringify(action)}`);
}

function postFiles(files: ContainerFiles, request: PebbleRequest): Reply {
  const contentType = request.headers['content-type'] ?? '';
  const media = contentType.split(';')[0]!.trim().toLowerCase();
  if (media === 'multipart/form-data') {
    const boundary = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
    const value = boundary?.[1] ?? boundary?.[2] ?? '';
    // api_files.go: minBoundaryLength.
    if (value.length < 32) return badRequest(`invalid boundary ${JSON.stringify(value)}`);
    return writeFiles(files, request.body, value);
  }
  if (media === 'application/json') {
    const payload = decodeJson(request.body, 'cannot decode request body');
    if ('reply' in payload) return payload.reply;
    const action = String(payload.value.action ?? '');
    if (action === 'make-dirs') {
      const dirs = (Array.isArray(payload.value.dirs) ? payload.value.dirs : []) as { path: string }[];
      return sync(dirs.map((dir) => eachFile(dir.path, () => files.makeDir(dir))));
    }
    if (action === 'remove') {
      const paths = (Array.isArray(payload.value.paths) ? payload.value.paths : []) as { path: string; recursive?: boolean }[];
      return sync(paths.map((item) => eachFile(item.path, () => files.remove(item))));
    }
    if (action === 'write') return badRequest('must use multipart with "write" action');
    return badRequest(`invalid action ${JSON.stringify(action)}`);
  }
  return badRequest(`invalid media type ${JSON.stringify(media)}`);
}

function writeFiles(files: ContainerFiles, body: Buffer, boundary: string): Reply {
  let parts;
  try {
    parts = parseMultipart(body, boundary);
  } catch (error) {
    return badRequest(`cannot read request metadata: ${(error as Error).message}`);
  }
  const [first, ...rest] = parts;
  if (first === undefined) return badRequest('cannot read request metadata: EOF');
  if (first.name !== 'request') return badRequest(`metadata field name must be "request", got ${JSON.stringify(first.name)}`);
  const metadata = decodeJson(first.data, 'cannot decode request metadata');
  if ('reply' in metadata) return metadata.reply;
  if (metadata.value.action !== 'write') return badRequest(`multipart action must be "write", got ${JSON.stringify(metadata.value.action ?? '')}`);
  const wanted = (Array.isArray(metadata.value.files) ? metadata.value.files : []) as { path: string }[];
  if (wanted.length === 0) return badRequest('must specify one or more files');
  const infos = new Map(wanted.map((file) => [file.path, file]));
  const errors = new Map<string, unknown>();
  for (const part of rest) {
    if (part.name !== 'files') return badRequest(`field name must be "files", got ${JSON.stringify(part.name)}`);
    const info = infos.get(part.filename ?? '');
    if (info === undefined) return badRequest(`no metadata for path ${JSON.stringify(part.filename ?? '')}`);
    try {
      files.write(info, part.data);
      errors.set(info.path, undefined);
    } catch (error) {
      errors.set(info.path, error);
    }
  }
  return sync(
    wanted.map((file) => {
      if (!errors.has(file.path)) return { path: file.path, error: { message: `no file content for path ${JSON.stringify(file.path)}`, kind: 'generic-file-error' } };
      const error = errors.get(file.path);
      return error === undefined ? { path: file.path } : { path: file.path, error: fileError(error) };
    }),
  );
}

function eachFile(path: string, act: () => void): Record<string, unknown> {
  try {
    act();
    return { path };
  } catch (error) {
    return { path, error: fileError(error) };
  }
}

function fileError(error: unknown): { message: string; kind: string } {
  if (error instanceof PebbleFileError) return error.toResult();
  return { message: (error as Error).message, kind: 'generic-file-error' };
}
