import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PathError, Pebble } from '@charms/pebble';
import { FakePebble, error, sync, type RecordedRequest } from './fixtures/fake-pebble.js';

let fake: FakePebble;
let pebble: Pebble;

beforeEach(async () => {
  fake = await FakePebble.start();
  pebble = new Pebble({ socketPath: fake.socketPath });
});
afterEach(async () => {
  await fake.close();
});

/** Parses a recorded multipart request with the platform's own form-data reader (undici), not the client's. */
async function formOf(request: RecordedRequest): Promise<FormData> {
  return new Response(request.body, { headers: { 'content-type': String(request.headers['content-type']) } }).formData();
}

/** A pull answer laid out as Pebble's readFilesResponse writes it with Go's multipart writer (api_files.go). */
function pullAnswer(boundary: string, parts: { name: string; filename?: string; type: string; content: string | Buffer }[]) {
  const chunks: Buffer[] = [];
  for (const [index, part] of parts.entries()) {
    const disposition = `form-data; name="${part.name}"${part.filename === undefined ? '' : `; filename="${part.filename}"`}`;
    chunks.push(Buffer.from(`${index === 0 ? '' : '\r\n'}--${boundary}\r\nContent-Disposition: ${disposition}\r\nContent-Type: ${part.type}\r\n\r\n`));
    chunks.push(Buffer.from(part.content));
  }
  chunks.push(Buffer.from(`\r\n--${boundary}--\r\n`));
  return { status: 200, headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` }, body: Buffer.concat(chunks) };
}

const syncEnvelope = (result: unknown) => `${JSON.stringify({ type: 'sync', 'status-code': 200, status: 'OK', result })}\n`;

describe('push', () => {
  it('sends a multipart body: a "request" part with action write, then a "files" part named by the path (client/files.go Push)', async () => {
    fake.on('POST', '/v1/files', () => sync([{ path: '/etc/minio/config.env' }]));
    await pebble.push('/etc/minio/config.env', 'MINIO_ROOT_USER=admin\n', { makeDirs: true, permissions: 0o600, user: 'minio', groupId: 1000 });
    const [request] = fake.requestsTo('/v1/files');
    const boundary = /boundary=(.+)$/.exec(String(request!.headers['content-type']))![1]!;
    // Pebble refuses boundaries under 32 characters (api_files.go minBoundaryLength).
    expect(boundary.length).toBeGreaterThanOrEqual(32);
    const form = await formOf(request!);
    expect([...form.keys()]).toEqual(['request', 'files']);
    expect(JSON.parse(String(form.get('request')))).toEqual({
      action: 'write',
      files: [{ path: '/etc/minio/config.env', 'make-dirs': true, permissions: '600', 'user-id': null, user: 'minio', 'group-id': 1000, group: '' }],
    });
    const file = form.get('files') as File;
    expect(file.name).toBe('/etc/minio/config.env');
    expect(file.type).toBe('application/octet-stream');
    expect(await file.text()).toBe('MINIO_ROOT_USER=admin\n');
  });

  it('sends bytes unchanged and leaves permissions empty for Pebble\'s default', async () => {
    fake.on('POST', '/v1/files', () => sync([{ path: '/bin/blob' }]));
    const bytes = Buffer.from([0, 1, 2, 13, 10, 45, 45, 255]);
    await pebble.push('/bin/blob', bytes);
    const form = await formOf(fake.requests[0]!);
    expect(JSON.parse(String(form.get('request'))).files[0]).toMatchObject({ 'make-dirs': false, permissions: '' });
    expect(Buffer.from(await (form.get('files') as File).arrayBuffer())).toEqual(bytes);
  });

  it('escapes quotes and backslashes in the filename as the Go client does', async () => {
    fake.on('POST', '/v1/files', () => sync([{ path: '/tmp/a"b\\c' }]));
    await pebble.push('/tmp/a"b\\c', 'x');
    expect(fake.requests[0]!.body.toString()).toContain('filename="/tmp/a\\"b\\\\c"');
  });

  it("throws the file's own error with its kind (fileResult in api_files.go)", async () => {
    fake.on('POST', '/v1/files', () => sync([{ path: '/root/x', error: { message: 'open /root/x: permission denied', kind: 'permission-denied' } }]));
    const failure = await pebble.push('/root/x', 'x').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(PathError);
    expect(failure).toMatchObject({ code: 'PEBBLE_PATH_ERROR', kind: 'permission-denied', path: '/root/x' });
    expect((failure as Error).message).toContain('permission denied');
  });

  it('refuses permissions that are not mode bits before sending anything', async () => {
    await expect(pebble.push('/x', 'x', { permissions: 0o10000 })).rejects.toMatchObject({ code: 'PEBBLE_USAGE' });
    expect(fake.requests).toEqual([]);
  });
});

describe('pull', () => {
  it('asks GET /v1/files?action=read&path=… accepting multipart, and returns the "files" part (client/files.go Pull)', async () => {
    const content = Buffer.from('line one\r\n--not a boundary\nend');
    fake.on('GET', '/v1/files', () =>
      pullAnswer('0123456789abcdef0123456789abcdef01234567', [
        { name: 'files', filename: '/etc/hosts', type: 'application/octet-stream', content },
        { name: 'response', type: 'application/json', content: syncEnvelope([{ path: '/etc/hosts' }]) },
      ]),
    );
    expect(await pebble.pull('/etc/hosts')).toEqual(content);
    const [request] = fake.requests;
    expect(request).toMatchObject({ method: 'GET', path: '/v1/files', query: { action: ['read'], path: ['/etc/hosts'] } });
    expect(request!.headers['accept']).toBe('multipart/form-data');
  });

  it('throws not-found when the answer holds only a response part with the error', async () => {
    fake.on('GET', '/v1/files', () =>
      pullAnswer('0123456789abcdef0123456789abcdef01234567', [
        { name: 'response', type: 'application/json', content: syncEnvelope([{ path: '/nope', error: { message: 'stat /nope: no such file or directory', kind: 'not-found' } }]) },
      ]),
    );
    await expect(pebble.pull('/nope')).rejects.toMatchObject({ code: 'PEBBLE_PATH_ERROR', kind: 'not-found', path: '/nope' });
  });

  it('reads a refused request answered as a plain error envelope', async () => {
    fake.on('GET', '/v1/files', () => error(400, 'must accept multipart/form-data'));
    await expect(pebble.pull('/x')).rejects.toMatchObject({ code: 'PEBBLE_API_ERROR', statusCode: 400 });
  });
});

describe('list, make-dir and remove', () => {
  it('lists with action list, path, pattern and itself, and reads each entry (api_files.go fileInfoResult)', async () => {
    fake.on('GET', '/v1/files', () =>
      sync([
        { path: '/etc/minio/a.conf', name: 'a.conf', type: 'file', size: 12, permissions: '644', 'last-modified': '2026-12-05T08:00:00Z', 'user-id': 0, user: 'root', 'group-id': 0, group: 'root' },
        { path: '/etc/minio/d', name: 'd', type: 'directory', permissions: '755', 'last-modified': '2026-12-05T08:00:00Z', 'user-id': null, user: '', 'group-id': null, group: '' },
      ]),
    );
    const entries = await pebble.listFiles('/etc/minio', { pattern: '*.conf', itself: true });
    expect(entries).toEqual([
      { path: '/etc/minio/a.conf', name: 'a.conf', type: 'file', size: 12, permissions: 0o644, lastModified: new Date('2026-12-05T08:00:00Z'), userId: 0, user: 'root', groupId: 0, group: 'root' },
      { path: '/etc/minio/d', name: 'd', type: 'directory', size: undefined, permissions: 0o755, lastModified: new Date('2026-12-05T08:00:00Z'), userId: null, user: '', groupId: null, group: '' },
    ]);
    await pebble.listFiles('/etc');
    expect(fake.requests.map((request) => request.query)).toEqual([
      { action: ['list'], path: ['/etc/minio'], pattern: ['*.conf'], itself: ['true'] },
      { action: ['list'], path: ['/etc'] },
    ]);
  });

  it('makes a folder with action make-dirs, make-parents and octal permissions (client/files.go MakeDir)', async () => {
    fake.on('POST', '/v1/files', () => sync([{ path: '/data/a/b' }]));
    await pebble.makeDir('/data/a/b', { makeParents: true, permissions: 0o750, userId: 1000, group: 'minio' });
    expect(fake.requests[0]!.headers['content-type']).toBe('application/json');
    expect(fake.requests[0]!.json).toEqual({
      action: 'make-dirs',
      dirs: [{ path: '/data/a/b', 'make-parents': true, permissions: '750', 'user-id': 1000, user: '', 'group-id': null, group: 'minio' }],
    });
  });

  it('removes with action remove and recursive (client/files.go RemovePath)', async () => {
    fake.on('POST', '/v1/files', () => sync([{ path: '/data' }]));
    await pebble.removePath('/data', { recursive: true });
    await pebble.removePath('/file');
    expect(fake.requests.map((request) => request.json)).toEqual([
      { action: 'remove', paths: [{ path: '/data', recursive: true }] },
      { action: 'remove', paths: [{ path: '/file', recursive: false }] },
    ]);
  });

  it('throws the error of a folder that could not be made', async () => {
    fake.on('POST', '/v1/files', () => sync([{ path: '/data', error: { message: 'mkdir /data: file exists', kind: 'generic-file-error' } }]));
    await expect(pebble.makeDir('/data')).rejects.toMatchObject({ code: 'PEBBLE_PATH_ERROR', kind: 'generic-file-error', path: '/data' });
  });
});
