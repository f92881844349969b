import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Pebble } from '@charms/pebble';
import { pebbleSocketDir, pebbleSocketPath, startPebble, type PebbleServer } from '@charms/model/internal';
import { closedPort } from './helpers/closed-port.js';
import { temporaryFolders } from './helpers/temp-folders.js';

// The local model's Pebble checks when the model runs no workloads: no check reports `up`
// for a probe it never made (pebble-checks.ts). Pebble itself (checkstate/manager.go)
// runs a check every period and counts a failed run; threshold failures make it down.

const folder = temporaryFolders('pebble-checks');
const servers: PebbleServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** A server that runs no workloads, its client, and the notices it logged. */
async function pebble(): Promise<{ client: Pebble; logged: string[] }> {
  const dir = folder();
  const logged: string[] = [];
  const server = await startPebble({ socketPath: pebbleSocketPath(pebbleSocketDir(dir, 'app/0'), 'workload'), container: 'workload', rootDir: join(dir, 'root'), runWorkloads: false, log: (line) => logged.push(line) });
  servers.push(server);
  return { client: new Pebble({ socketPath: server.socketPath }), logged };
}

describe('checks without workloads', { timeout: 20_000 }, () => {
  it('runs a tcp check from this machine on its period and turns it down when nothing answers, as Pebble does for a service that is not running', async () => {
    const { client } = await pebble();
    const port = await closedPort();
    await client.addLayer('base', { checks: { listening: { override: 'replace', period: '300ms', threshold: 2, tcp: { host: '127.0.0.1', port } } } });
    let [check] = await client.getChecks();
    for (let waited = 0; waited < 5000 && check!.status !== 'down'; waited += 100) {
      await new Promise((done) => setTimeout(done, 100));
      [check] = await client.getChecks();
    }
    expect(check).toMatchObject({ name: 'listening', status: 'down', successes: 0 });
    expect(check!.failures).toBeGreaterThanOrEqual(2);
  });

  it('ends the perform-check change as the check goes down and the recover-check change as it comes up, each with a change-update notice (checkstate; Juju 3.6 reads them)', async () => {
    const { client } = await pebble();
    const port = await closedPort();
    await client.addLayer('base', { checks: { listening: { override: 'replace', period: '200ms', threshold: 1, tcp: { host: '127.0.0.1', port } } } });
    const performing = (await client.getChecks())[0]!.changeId;
    const updates = () => client.getNotices({ types: ['change-update'] });
    for (let waited = 0; waited < 5000 && (await updates()).length === 0; waited += 100) await new Promise((done) => setTimeout(done, 100));
    const [failed] = await updates();
    expect(failed).toMatchObject({ type: 'change-update', key: performing, lastData: { kind: 'perform-check', 'check-name': 'listening' } });
    const recovering = (await client.getChecks())[0]!.changeId;
    expect(recovering).not.toBe(performing);
    // Something answers now: the check passes, and its recover-check change is done.
    const listener = createServer((socket) => socket.destroy());
    await new Promise<void>((listening) => listener.listen(port, '127.0.0.1', listening));
    try {
      for (let waited = 0; waited < 5000 && (await updates()).length < 2; waited += 100) await new Promise((done) => setTimeout(done, 100));
      expect((await updates()).map((notice) => [notice.key, notice.lastData.kind])).toEqual([[performing, 'perform-check'], [recovering, 'recover-check']]);
      expect((await client.getChecks())[0]).toMatchObject({ status: 'up' });
    } finally {
      await new Promise((closed) => listener.close(closed));
    }
  });

  it('counts each run of an exec check as failed, saying it was not run, rather than keeping it up', async () => {
    const { client, logged } = await pebble();
    await client.addLayer('base', { checks: { ready: { override: 'replace', period: '300ms', threshold: 2, exec: { command: 'true' } } } });
    let [check] = await client.getChecks();
    for (let waited = 0; waited < 5000 && check!.status !== 'down'; waited += 100) {
      await new Promise((done) => setTimeout(done, 100));
      [check] = await client.getChecks();
    }
    expect(check).toMatchObject({ name: 'ready', status: 'down', successes: 0 });
    expect(logged).toContain('Check "ready" failure 1: the local model runs no workloads, so exec check "ready" was not run (deploy with --run-workloads to run it in its container)');
  });
});
