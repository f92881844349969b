/**
 * Pebble's files API (canonical/pebble internals/daemon/api_files.go) over a container's
 * files on the model's disk (container-filesystem.ts): the container path
 * `/etc/app.conf` is `<root folder>/etc/app.conf`, `/data/x` is in the storage mounted at
 * `/data`, and the system folders given read only cannot be written. Paths must be
 * absolute, `..` cannot climb above the root, and a symlink that leads out of the root
 * (or out of the mount it is in) is refused, so a charm can only touch its container's
 * files. Errors name the container path, never the folder on the model's disk.
 * Ownership (`user`, `group`, ids) is not applied: every file belongs to the model's user.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeSync, type Stats } from 'node:fs';
import { dirname, join, posix, sep } from 'node:path';
import type { ContainerFilesystem } from './container-filesystem.js';

/** A file error as api_files.go's fileErrorToResult reports it. */
export class PebbleFileError extends Error {
  constructor(
    message: string,
    readonly kind: 'not-found' | 'permission-denied' | 'generic-file-error',
  ) {
    super(message);
    this.name = 'PebbleFileError';
  }

  /** fileErrorToStatus: 404, 403 or 400. */
  get status(): number {
    return this.kind === 'not-found' ? 404 : this.kind === 'permission-denied' ? 403 : 400;
  }

  toResult(): { message: string; kind: string } {
    return { message: this.message, kind: this.kind };
  }
}

const ERRNO_TEXT: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EEXIST: 'file exists',
  ENOTEMPTY: 'directory not empty',
  ENOTDIR: 'not a directory',
  EISDIR: 'is a directory',
  ELOOP: 'too many levels of symbolic links',
};

/** A Node fs error as Go's *PathError text ("stat /etc/x: no such file or directory"), with the container path. */
function fsError(op: string, path: string, error: unknown): PebbleFileError {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const kind = code === 'ENOENT' ? 'not-found' : code === 'EACCES' || code === 'EPERM' ? 'permission-denied' : 'generic-file-error';
  return new PebbleFileError(`${op} ${path}: ${ERRNO_TEXT[code] ?? (error as Error).message}`, kind);
}

/** The files of one Pebble server's container, as its API shows them. */
export class ContainerFiles {
  constructor(private readonly container: ContainerFilesystem) {}

  /**
   * The model's path for container path `path`.
   * @throws PebbleFileError for a relative path, or one whose symlinks lead outside the root or its mount.
   */
  hostPath(path: string): string {
    if (!path.startsWith('/')) throw new PebbleFileError(`paths must be absolute, got ${JSON.stringify(path)}`, 'generic-file-error');
    // posix.normalize of an absolute path never climbs above "/": "/../x" is "/x".
    const { host, base } = this.container.resolve(posix.normalize(path));
    // Symlinks: the deepest part that exists must resolve below the base.
    const root = realpathSync(base);
    let probe = host;
    for (;;) {
      try {
        const real = realpathSync(probe);
        if (real !== root && !real.startsWith(root + sep)) {
          throw new PebbleFileError(`cannot reach ${path}: it leads outside the container's root through a symbolic link`, 'permission-denied');
        }
        break;
      } catch (error) {
        if (error instanceof PebbleFileError) throw error;
        const parent = dirname(probe);
        if (parent === probe) break;
        probe = parent;
      }
    }
    return host;
  }

  /**
   * The model's path for container path `path` that `op` is to change.
   * @throws PebbleFileError as Go's EROFS for a path in a read-only mount, and EBUSY for a mount point itself.
   */
  private writablePath(op: string, path: string): string {
    const host = this.hostPath(path);
    const inside = posix.normalize(path);
    const { mount } = this.container.resolve(inside);
    if (mount?.readOnly) throw new PebbleFileError(`${op} ${inside}: read-only file system`, 'generic-file-error');
    if (mount?.location === inside) throw new PebbleFileError(`${op} ${inside}: device or resource busy`, 'generic-file-error');
    return host;
  }

  /** stat(2) of a container path, with the error as Pebble words it. */
  private statPath(path: string): { host: string; info: Stats } {
    const host = this.hostPath(path);
    try {
      return { host, info: statSync(host) };
    } catch (error) {
      throw fsError('stat', path, error);
    }
  }

  /** `GET /v1/files?action=list`: the entries of a folder, or the file itself. */
  list(path: string, pattern: string, itself: boolean): Record<string, unknown>[] {
    if (!path.startsWith('/')) throw new PebbleFileError(`path must be absolute, got ${JSON.stringify(path)}`, 'generic-file-error');
    const { host, info } = this.statPath(path);
    const inside = posix.normalize(path);
    let names: { name: string; containerPath: string; host: string }[];
    if (!info.isDirectory() || itself) {
      names = [{ name: posix.basename(inside), containerPath: inside, host }];
    } else {
      try {
        names = readdirSync(host).sort().map((name) => ({ name, containerPath: posix.join(inside, name), host: join(host, name) }));
      } catch (error) {
        throw fsError('open', path, error);
      }
    }
    const matcher = pattern === '' ? undefined : globRegExp(pattern);
    return names
      .filter((entry) => matcher === undefined || matcher.test(entry.name))
      .map((entry) => {
        const entryInfo = lstatSync(entry.host);
        return {
          path: entry.containerPath,
          name: entry.name,
          type: fileType(entryInfo),
          ...(entryInfo.isFile() ? { size: entryInfo.size } : {}),
          permissions: (entryInfo.mode & 0o777).toString(8).padStart(3, '0'),
          'last-modified': entryInfo.mtime.toISOString().replace(/\.\d+Z$/, 'Z'),
          'user-id': entryInfo.uid,
          user: '',
          'group-id': entryInfo.gid,
          group: '',
        };
      });
  }

  /** Reads one file for `action=read`. */
  read(path: string): Buffer {
    const { host, info } = this.statPath(path);
    if (!info.isFile()) throw new PebbleFileError(`can only read a regular file: ${JSON.stringify(path)}`, 'generic-file-error');
    try {
      return readFileSync(host);
    } catch (error) {
      throw fsError('open', path, error);
    }
  }

  /** Writes one pushed file atomically (a temporary file in the same folder, then rename). */
  write(item: { path: string; 'make-dirs'?: boolean; permissions?: string }, content: Buffer): void {
    const host = this.writablePath('open', item.path);
    const inside = posix.normalize(item.path);
    if (item['make-dirs']) {
      try {
        mkdirSync(dirname(host), { recursive: true, mode: 0o755 });
      } catch (error) {
        throw new PebbleFileError(`cannot create directory: ${fsError('mkdir', posix.dirname(inside), error).message}`, 'generic-file-error');
      }
    }
    const mode = permissions(item.permissions, 0o644);
    const temporary = `${host}.${randomBytes(6).toString('hex')}~`;
    try {
      const fd = openSync(temporary, 'wx', mode);
      try {
        writeSync(fd, content);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      chmodSync(temporary, mode);
      renameSync(temporary, host);
    } catch (error) {
      rmSync(temporary, { force: true });
      throw fsError('open', inside, error);
    }
  }

  /** `make-dirs`: one folder, with its parents when asked. */
  makeDir(item: { path: string; 'make-parents'?: boolean; permissions?: string }): void {
    const host = this.writablePath('mkdir', item.path);
    const mode = permissions(item.permissions, 0o755);
    try {
      if (item['make-parents']) {
        mkdirSync(host, { recursive: true, mode });
      } else {
        mkdirSync(host, { mode });
      }
      chmodSync(host, mode);
    } catch (error) {
      throw fsError('mkdir', posix.normalize(item.path), error);
    }
  }

  /** `remove`: one path, recursively when asked. */
  remove(item: { path: string; recursive?: boolean }): void {
    if (posix.normalize(item.path) === '/') {
      throw new PebbleFileError(`remove ${item.path}: the container's root cannot be removed`, 'permission-denied');
    }
    const host = this.writablePath('remove', item.path);
    try {
      if (item.recursive) {
        rmSync(host, { recursive: true, force: true });
      } else if (lstatSync(host).isDirectory()) {
        if (readdirSync(host).length > 0) throw Object.assign(new Error('not empty'), { code: 'ENOTEMPTY' });
        rmSync(host, { recursive: true });
      } else {
        rmSync(host);
      }
    } catch (error) {
      throw fsError('remove', posix.normalize(item.path), error);
    }
  }
}

function permissions(text: string | undefined, fallback: number): number {
  if (text === undefined || text === '') return fallback;
  if (!/^[0-7]{3}$/.test(text)) throw new PebbleFileError(`permissions must be a 3-digit octal string, got ${JSON.stringify(text)}`, 'generic-file-error');
  return Number.parseInt(text, 8);
}

function fileType(info: Stats): string {
  if (info.isFile()) return 'file';
  if (info.isDirectory()) return 'directory';
  if (info.isSymbolicLink()) return 'symlink';
  if (info.isSocket()) return 'socket';
  if (info.isFIFO()) return 'named-pipe';
  if (info.isBlockDevice() || info.isCharacterDevice()) return 'device';
  return 'unknown';
}

/** Go's path.Match pattern as a regular expression: `*`, `?`, `[...]` within one name. */
function globRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end === -1) throw new PebbleFileError('syntax error in pattern', 'generic-file-error');
      let set = pattern.slice(i + 1, end);
      if (set.startsWith('^')) set = `^${set.slice(1)}`;
      source += `[${set.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else if (c === '\\' && i + 1 < pattern.length) source += escapeRegExp(pattern[++i]!);
    else source += escapeRegExp(c);
  }
  return new RegExp(`^${source}$`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** One part of a multipart/form-data body. */
export interface MultipartPart {
  readonly name: string;
  readonly filename?: string;
  readonly data: Buffer;
}

/**
 * Splits a multipart/form-data body (RFC 7578) into its parts.
 * @throws Error naming what is malformed.
 */
export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let at = body.indexOf(delimiter);
  if (at === -1) throw new Error('no multipart boundary found');
  for (;;) {
    at += delimiter.length;
    if (body.subarray(at, at + 2).toString() === '--') return parts;
    if (body.subarray(at, at + 2).toString() !== '\r\n') throw new Error('malformed multipart boundary line');
    at += 2;
    const headerEnd = body.indexOf('\r\n\r\n', at);
    if (headerEnd === -1) throw new Error('multipart part without the end of its headers');
    const headers = body.subarray(at, headerEnd).toString('utf8').split('\r\n');
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd + 4);
    if (next === -1) throw new Error('multipart body ends before its closing boundary');
    const disposition = headers.find((line) => /^content-disposition:/i.test(line)) ?? '';
    const name = parameter(disposition, 'name');
    const filename = parameter(disposition, 'filename');
    parts.push({ name: name ?? '', ...(filename !== undefined ? { filename } : {}), data: body.subarray(headerEnd + 4, next) });
    at = next + 2;
  }
}

function parameter(header: string, key: string): string | undefined {
  const match = new RegExp(`;\\s*${key}=(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]*))`, 'i').exec(header);
  if (!match) return undefined;
  return match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : match[2];
}

/** Builds a multipart/form-data body from parts; returns it with its Content-Type. */
export function buildMultipart(parts: readonly { name: string; filename?: string; contentType?: string; data: Buffer }[]): { contentType: string; body: Buffer } {
  // Go's multipart.Writer: 30 random bytes as 60 hex digits.
  const boundary = randomBytes(30).toString('hex');
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const filename = part.filename === undefined ? '' : `; filename="${part.filename.replace(/["\\]/g, '\\$&')}"`;
    const type = part.contentType ?? (part.filename !== undefined ? 'application/octet-stream' : undefined);
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"${filename}\r\n${type ? `Content-Type: ${type}\r\n` : ''}\r\n`));
    chunks.push(part.data, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { contentType: `multipart/form-data; boundary=${boundary}`, body: Buffer.concat(chunks) };
}
