import { existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pebbleSocketDir, pebbleSocketPath, startPebble, type PebbleServer } from '@charms/model/internal';
import { temporaryFolders } from './helpers/temp-folders.js';

// The files API of the local Pebble server (canonical/pebble internals/daemon/api_files.go)
// over the container's root folder: push is multipart/form-data with a "request" part
// then "files" parts named by path, pull answers multipart with the files and a
// "response" part, as ops' pebble.Client sends and reads them.

const folder = temporaryFolders('pebble-files');
const servers: PebbleServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function pebble(): Promise<{ server: PebbleServer; root: string; outside: string }> {
  const dir = folder();
  const root = join(dir, 'root');
  const server = await startPebble({ socketPath: pebbleSocketPath(pebbleSocketDir(dir, 'app/0'), 'workload'), container: 'workload', rootDir: root, runWorkloads: false });
  servers.push(server);
  return { server, root, outside: dir };
}

function raw(server: PebbleServer, method: string, path: string, headers: Record<string, string>, body?: Buffer | string): Promise<{ status: number; contentType: string; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: server.socketPath, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, contentType: String(res.headers['content-type']), body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function json(server: PebbleServer, method: string, path: string, body?: unknown): Promise<{ status: number; body: { type: string; result: unknown } }> {
  const answer = await raw(server, method, path, body === undefined ? {} : { 'Content-Type': 'application/json' }, body === undefined ? undefined : JSON.stringify(body));
  return { status: answer.status, body: JSON.parse(answer.body.toString('utf8')) as { type: string; result: unknown } };
}

const BOUNDARY = '0123456789abcdef0123456789abcdef-boundary';

/** A push body as ops builds it: the metadata, then one part per file. */
function pushBody(files: { path: string; content: string; permissions?: string; makeDirs?: boolean }[]): Buffer {
  const metadata = { action: 'write', files: files.map((file) => ({ path: file.path, 'make-dirs': file.makeDirs ?? false, ...(file.permissions ? { permissions: file.permissions } : {}) })) };
  let text = `--${BOUNDARY}\r\nContent-Type: application/json\r\nContent-Disposition: form-data; name="request"\r\n\r\n${JSON.stringify(metadata)}\r\n`;
  for (const file of files) text += `--${BOUNDARY}\r\nContent-Type: application/octet-stream\r\nContent-Disposition: form-data; name="files"; filename="${file.path}"\r\n\r\n${file.content}\r\n`;
  return Buffer.from(`${text}--${BOUNDARY}--\r\n`);
}

function push(server: PebbleServer, files: Parameters<typeof pushBody>[0]): Promise<{ status: number; contentType: string; body: Buffer }> {
  return raw(server, 'POST', '/v1/files', { 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}` }, pushBody(files));
}

/** Splits a multipart answer into name/filename/content, independently of the server's own parser. */
function parts(contentType: string, body: Buffer): { name: string; filename?: string; content: string }[] {
  const boundary = /boundary=([^;]+)/.exec(contentType)![1]!;
  return body
    .toString('utf8')
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((chunk) => {
      const [head, ...rest] = chunk.replace(/^\r\n/, '').split('\r\n\r\n');
      const content = rest.join('\r\n\r\n').replace(/\r\n$/, '');
      const name = /name="([^"]*)"/.exec(head!)![1]!;
      const filename = /filename="([^"]*)"/.exec(head!)?.[1];
      return { name, ...(filename !== undefined ? { filename } : {}), content };
    });
}

describe('files API (api_files.go)', () => {
  it('pushes files below the root folder and pulls them back (multipart both ways)', async () => {
    const { server, root } = await pebble();
    const pushed = await push(server, [
      { path: '/etc/app/app.conf', content: 'listen = 9000\n', permissions: '600', makeDirs: true },
      { path: '/srv/data.bin', content: 'binary\u0000ish', makeDirs: true },
    ]);
    expect(pushed.status).toBe(200);
    expect(JSON.parse(pushed.body.toString('utf8'))).toEqual({ type: 'sync', 'status-code': 200, status: 'OK', result: [{ path: '/etc/app/app.conf' }, { path: '/srv/data.bin' }] });
    expect(readFileSync(join(root, 'etc/app/app.conf'), 'utf8')).toBe('listen = 9000\n');
    expect(statSync(join(root, 'etc/app/app.conf')).mode & 0o777).toBe(0o600);

    const pulled = await raw(server, 'GET', '/v1/files?action=read&path=/etc/app/app.conf&path=/srv/data.bin&path=/missing', { Accept: 'multipart/form-data' });
    expect(pulled.status).toBe(200);
    expect(pulled.contentType).toMatch(/^multipart\/form-data; boundary=/);
    const got = parts(pulled.contentType, pulled.body);
    expect(got.filter((part) => part.name === 'files')).toEqual([
      { name: 'files', filename: '/etc/app/app.conf', content: 'listen = 9000\n' },
      { name: 'files', filename: '/srv/data.bin', content: 'binary\u0000ish' },
    ]);
    const response = JSON.parse(got.find((part) => part.name === 'response')!.content) as { result: unknown };
    expect(response.result).toEqual([
      { path: '/etc/app/app.conf' },
      { path: '/srv/data.bin' },
      { path: '/missing', error: { message: 'stat /missing: no such file or directory', kind: 'not-found' } },
    ]);
  });

  it('reports a push whose folder is missing without make-dirs, per file', async () => {
    const { server } = await pebble();
    const pushed = await push(server, [{ path: '/no/such/dir/file', content: 'x' }]);
    expect(JSON.parse(pushed.body.toString('utf8')).result).toEqual([{ path: '/no/such/dir/file', error: { message: 'open /no/such/dir/file: no such file or directory', kind: 'not-found' } }]);
  });

  it('lists a folder with file details, by pattern, and the folder itself', async () => {
    const { server, root } = await pebble();
    mkdirSync(join(root, 'srv'), { recursive: true });
    writeFileSync(join(root, 'srv', 'a.conf'), 'abc');
    writeFileSync(join(root, 'srv', 'b.txt'), '');
    mkdirSync(join(root, 'srv', 'sub'));
    const listed = await json(server, 'GET', '/v1/files?action=list&path=/srv');
    const entries = listed.body.result as Record<string, unknown>[];
    expect(entries.map((entry) => [entry.path, entry.name, entry.type, entry.size])).toEqual([
      ['/srv/a.conf', 'a.conf', 'file', 3],
      ['/srv/b.txt', 'b.txt', 'file', 0],
      ['/srv/sub', 'sub', 'directory', undefined],
    ]);
    expect(entries[0]!.permissions).toMatch(/^[0-7]{3}$/);
    expect(((await json(server, 'GET', '/v1/files?action=list&path=/srv&pattern=*.conf')).body.result as { name: string }[]).map((entry) => entry.name)).toEqual(['a.conf']);
    expect(((await json(server, 'GET', '/v1/files?action=list&path=/srv&itself=true')).body.result as { path: string; type: string }[])).toMatchObject([{ path: '/srv', type: 'directory' }]);
    const missing = await json(server, 'GET', '/v1/files?action=list&path=/nowhere');
    expect(missing.status).toBe(404);
    expect(missing.body.result).toEqual({ message: 'stat /nowhere: no such file or directory', kind: 'not-found' });
  });

  it('makes folders and removes paths (make-dirs, remove)', async () => {
    const { server, root } = await pebble();
    const made = await json(server, 'POST', '/v1/files', { action: 'make-dirs', dirs: [{ path: '/var/lib/app', 'make-parents': true, permissions: '700' }, { path: '/x/y' }] });
    expect(made.body.result).toEqual([{ path: '/var/lib/app' }, { path: '/x/y', error: { message: 'mkdir /x/y: no such file or directory', kind: 'not-found' } }]);
    expect(statSync(join(root, 'var/lib/app')).mode & 0o777).toBe(0o700);
    const refused = await json(server, 'POST', '/v1/files', { action: 'remove', paths: [{ path: '/var/lib' }] });
    expect(refused.body.result).toEqual([{ path: '/var/lib', error: { message: 'remove /var/lib: directory not empty', kind: 'generic-file-error' } }]);
    expect((await json(server, 'POST', '/v1/files', { action: 'remove', paths: [{ path: '/var', recursive: true }] })).body.result).toEqual([{ path: '/var' }]);
    expect(existsSync(join(root, 'var'))).toBe(false);
  });

  it('keeps every path inside the root: ".." stops at the root and a symlink out is refused', async () => {
    const { server, root, outside } = await pebble();
    writeFileSync(join(outside, 'secret.txt'), 'not yours');
    await push(server, [{ path: '/../../escape.txt', content: 'kept inside' }]);
    expect(readFileSync(join(root, 'escape.txt'), 'utf8')).toBe('kept inside');
    expect(existsSync(join(outside, '..', 'escape.txt'))).toBe(false);
    symlinkSync(outside, join(root, 'link'));
    const pulled = await raw(server, 'GET', '/v1/files?action=read&path=/link/secret.txt', { Accept: 'multipart/form-data' });
    const got = parts(pulled.contentType, pulled.body);
    expect(got.some((part) => part.name === 'files')).toBe(false);
    const response = JSON.parse(got.find((part) => part.name === 'response')!.content) as { result: { error: { kind: string; message: string } }[] };
    expect(response.result[0]!.error.kind).toBe('permission-denied');
    expect(response.result[0]!.error.message).toContain('/link/secret.txt');
    // The message names the container path, never the model's folder.
    expect(response.result[0]!.error.message).not.toContain(outside);
  });

  it('refuses relative paths and bad requests with Pebble\'s texts', async () => {
    const { server } = await pebble();
    expect((await json(server, 'GET', '/v1/files?action=list&path=etc')).body.result).toEqual({ message: 'path must be absolute, got "etc"' });
    expect((await json(server, 'GET', '/v1/files?action=read&path=/x')).body.result).toEqual({ message: 'must accept multipart/form-data' });
    expect((await json(server, 'GET', '/v1/files?action=nope')).body.result).toEqual({ message: 'invalid action "nope"' });
    expect((await json(server, 'POST', '/v1/files', { action: 'write' })).body.result).toEqual({ message: 'must use multipart with "write" action' });
    const shortBoundary = await raw(server, 'POST', '/v1/files', { 'Content-Type': 'multipart/form-data; boundary=short' }, 'x');
    expect(JSON.parse(shortBoundary.body.toString('utf8')).result).toEqual({ message: 'invalid boundary "short"' });
  });
});
