import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Pebble, PebbleError } from '@charms/pebble';
import { pebbleSocketDir, pebbleSocketPath, startPebble, type PebbleServer } from '@charms/model/internal';
import { temporaryFolders } from './helpers/temp-folders.js';

// Pebble's notices API on the local model's server, through the @charms/pebble client
// (canonical/pebble internals/daemon/api_notices.go, internals/overlord/state/notices.go).

const folder = temporaryFolders('pebble-notices');
const servers: PebbleServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function pebble(): Promise<{ client: Pebble; server: PebbleServer }> {
  const dir = folder();
  const server = await startPebble({ socketPath: pebbleSocketPath(pebbleSocketDir(dir, 'app/0'), 'workload'), container: 'workload', rootDir: join(dir, 'root'), runWorkloads: false });
  servers.push(server);
  return { client: new Pebble({ socketPath: server.socketPath }), server };
}

/** A raw POST, to see the server's own answer to what the client refuses before sending. */
function post(server: PebbleServer, path: string, body: unknown): Promise<{ status: number; result: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: server.socketPath, method: 'POST', path, headers: { 'Content-Type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode!, result: (JSON.parse(text) as { result: unknown }).result }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe('notices (api_notices.go)', () => {
  it('adds a custom notice, and the same key again is the same notice with one more occurrence and the new data (state.AddNotice)', async () => {
    const { client } = await pebble();
    const id = await client.notify('example.com/db/backup-done', { data: { path: '/backups/1' } });
    expect(await client.notify('example.com/db/backup-done', { data: { path: '/backups/2' } })).toBe(id);
    const other = await client.notify('example.com/db/restored');
    expect(other).not.toBe(id);
    const notice = await client.getNotice(id);
    expect(notice).toMatchObject({ id, type: 'custom', key: 'example.com/db/backup-done', occurrences: 2, lastData: { path: '/backups/2' }, expireAfter: '168h0m0s' });
    expect(notice.lastRepeated.getTime()).toBeGreaterThanOrEqual(notice.firstOccurred.getTime());
  });

  it('lists notices by type and key, oldest repeat first, and only those repeated after a time', async () => {
    const { client } = await pebble();
    await client.notify('example.com/a');
    await new Promise((done) => setTimeout(done, 5));
    const cut = new Date();
    await new Promise((done) => setTimeout(done, 5));
    await client.notify('example.com/b');
    expect((await client.getNotices()).map((n) => n.key)).toEqual(['example.com/a', 'example.com/b']);
    expect((await client.getNotices({ keys: ['example.com/b'] })).map((n) => n.key)).toEqual(['example.com/b']);
    expect((await client.getNotices({ after: cut })).map((n) => n.key)).toEqual(['example.com/b']);
    expect(await client.getNotices({ types: ['warning'] })).toEqual([]);
    // sanitizeTypesFilter: only unknown types is an empty answer, not an error.
    expect(await client.getNotices({ types: ['nonsense'] })).toEqual([]);
  });

  it('waits up to the timeout for a notice that is not there yet', async () => {
    const { client } = await pebble();
    const waiting = client.getNotices({ keys: ['example.com/late'], timeoutMs: 5000 });
    setTimeout(() => void client.notify('example.com/late'), 100);
    expect((await waiting).map((n) => n.key)).toEqual(['example.com/late']);
    const started = Date.now();
    expect(await client.getNotices({ keys: ['example.com/never'], timeoutMs: 200 })).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });

  it("refuses what Pebble refuses, with Pebble's texts; the client refuses a bad key before sending", async () => {
    const { client, server } = await pebble();
    await expect(client.notify('not-a-domain')).rejects.toThrow(PebbleError);
    expect(await post(server, '/v1/notices', { action: 'add', type: 'custom', key: 'Example.com/x' })).toEqual({ status: 400, result: { message: 'invalid key "Example.com/x" (must be in "example.com/path" format)' } });
    expect(await post(server, '/v1/notices', { action: 'add', type: 'warning', key: 'example.com/x' })).toEqual({ status: 400, result: { message: 'invalid type "warning" (can only add "custom" notices)' } });
    expect(await post(server, '/v1/notices', { action: 'remove', type: 'custom', key: 'example.com/x' })).toEqual({ status: 400, result: { message: 'invalid action "remove"' } });
    expect(await post(server, '/v1/notices', { action: 'add', type: 'custom', key: 'example.com/x', 'repeat-after': 'soon' })).toEqual({ status: 400, result: { message: 'invalid repeat-after: time: invalid duration "soon"' } });
    await expect(client.getNotice('99')).rejects.toThrow('cannot find notice with ID "99"');
  });

  it('gives the model each new or repeated custom notice once (the repeat count it passes back)', async () => {
    const { client, server } = await pebble();
    await client.notify('example.com/a');
    const first = server.noticesSince(0);
    expect(first.notices.map((n) => n.key)).toEqual(['example.com/a']);
    expect(server.noticesSince(first.seen).notices).toEqual([]);
    await client.notify('example.com/a');
    expect(server.noticesSince(first.seen).notices.map((n) => [n.key, n.occurrences])).toEqual([['example.com/a', 2]]);
  });
});
