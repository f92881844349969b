import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChangeError, ConnectionError, Pebble, PebbleError, TimeoutError } from '@charms/pebble';
import { FakePebble, async, change, error, sync } from './fixtures/fake-pebble.js';

let fake: FakePebble;
let pebble: Pebble;

beforeEach(async () => {
  fake = await FakePebble.start();
  pebble = new Pebble({ socketPath: fake.socketPath });
});
afterEach(async () => {
  await fake.close();
});

describe('Pebble.forContainer (the shared socket paths of issue 19)', () => {
  it('uses $CHARMS_PEBBLE_SOCKETS/<name>/pebble.socket when the local model set it', () => {
    expect(Pebble.forContainer('minio', { env: { CHARMS_PEBBLE_SOCKETS: '/m/run/pebble/minio-0' } }).socketPath).toBe('/m/run/pebble/minio-0/minio/pebble.socket');
  });

  it("uses /charm/containers/<name>/pebble.socket, where Juju mounts it, otherwise", () => {
    expect(Pebble.forContainer('minio', { env: {} }).socketPath).toBe('/charm/containers/minio/pebble.socket');
    expect(Pebble.forContainer('minio', { env: { CHARMS_PEBBLE_SOCKETS: '' } }).socketPath).toBe('/charm/containers/minio/pebble.socket');
  });

  it('refuses a container name that would leave the sockets folder', () => {
    for (const name of ['', '../x', 'a/b', '..']) {
      expect(() => Pebble.forContainer(name, { env: {} })).toThrow(expect.objectContaining({ code: 'PEBBLE_USAGE' }));
    }
  });
});

describe('system info and the plan', () => {
  it('reads the version from GET /v1/system-info (client/client.go SysInfo)', async () => {
    fake.on('GET', '/v1/system-info', () => sync({ version: '1.19.0', 'boot-id': 'b0' }));
    expect(await pebble.getSystemInfo()).toEqual({ version: '1.19.0', bootId: 'b0' });
    expect(fake.requests[0]).toMatchObject({ method: 'GET', path: '/v1/system-info' });
  });

  it('asks GET /v1/plan?format=yaml and returns the YAML text and the parsed plan (client/plan.go PlanBytes)', async () => {
    const yaml = 'services:\n    web:\n        override: replace\n        command: sleep 1000\n        startup: enabled\nchecks:\n    up:\n        level: alive\n        tcp:\n            port: 80\n';
    fake.on('GET', '/v1/plan', () => sync(yaml));
    expect(await pebble.getPlanYaml()).toBe(yaml);
    expect(await pebble.getPlan()).toEqual({
      services: { web: { override: 'replace', command: 'sleep 1000', startup: 'enabled' } },
      checks: { up: { level: 'alive', tcp: { port: 80 } } },
      logTargets: {},
    });
    expect(fake.requestsTo('/v1/plan').map((request) => request.query)).toEqual([{ format: ['yaml'] }, { format: ['yaml'] }]);
  });

  it('reads an empty plan ({}) as empty sections', async () => {
    fake.on('GET', '/v1/plan', () => sync('{}\n'));
    expect(await pebble.getPlan()).toEqual({ services: {}, checks: {}, logTargets: {} });
  });
});

describe('layers', () => {
  it('POSTs /v1/layers with action add, combine, label, format yaml and the layer text (api_plan.go v1PostLayers)', async () => {
    fake.on('POST', '/v1/layers', () => sync(true));
    await pebble.addLayer('base', 'services:\n  web:\n    override: replace\n    command: sleep 10\n');
    await pebble.addLayer('more', { summary: 'more', services: { web: { override: 'merge', environment: { A: '1' } } } }, { combine: true });
    const [first, second] = fake.requestsTo('/v1/layers');
    expect(first!.headers['content-type']).toBe('application/json');
    expect(first!.json).toEqual({ action: 'add', combine: false, label: 'base', format: 'yaml', layer: 'services:\n  web:\n    override: replace\n    command: sleep 10\n' });
    expect(second!.json).toMatchObject({ action: 'add', combine: true, label: 'more', format: 'yaml' });
    // An object layer travels as YAML that means the same object.
    const { parse } = await import('yaml');
    expect(parse((second!.json as { layer: string }).layer)).toEqual({ summary: 'more', services: { web: { override: 'merge', environment: { A: '1' } } } });
  });

  it("turns Pebble's refusal into a PebbleError with its status code and message", async () => {
    fake.on('POST', '/v1/layers', () => error(400, 'layer "base" already exists'));
    const refused = await pebble.addLayer('base', {}).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PebbleError);
    expect(refused).toMatchObject({ code: 'PEBBLE_API_ERROR', statusCode: 400, kind: undefined });
    expect((refused as Error).message).toContain('layer "base" already exists');
  });
});

describe('services and their changes', () => {
  it('lists services with GET /v1/services?names=a,b (client/services.go Services)', async () => {
    fake.on('GET', '/v1/services', () =>
      sync([
        { name: 'web', startup: 'enabled', current: 'active', 'current-since': '2026-12-05T08:00:00Z' },
        { name: 'db', startup: 'disabled', current: 'inactive' },
      ]),
    );
    expect(await pebble.getServices(['web', 'db'])).toEqual([
      { name: 'web', startup: 'enabled', current: 'active', currentSince: '2026-12-05T08:00:00Z' },
      { name: 'db', startup: 'disabled', current: 'inactive', currentSince: undefined },
    ]);
    await pebble.getServices();
    expect(fake.requestsTo('/v1/services').map((request) => request.query)).toEqual([{ names: ['web,db'] }, { names: [''] }]);
  });

  it('POSTs {action, services} to /v1/services for each action, then waits on /v1/changes/{id}/wait (ops _services_action)', async () => {
    let next = 0;
    fake.on('POST', '/v1/services', () => async(String(++next)));
    fake.on('GET', '/v1/changes/1/wait', () => sync(change('1', 'Done')));
    fake.on('GET', '/v1/changes/2/wait', () => sync(change('2', 'Done')));
    fake.on('GET', '/v1/changes/3/wait', () => sync(change('3', 'Done')));
    fake.on('GET', '/v1/changes/4/wait', () => sync(change('4', 'Done')));
    fake.on('GET', '/v1/changes/5/wait', () => sync(change('5', 'Done')));
    expect(await pebble.startServices(['web'])).toBe('1');
    expect(await pebble.stopServices(['web', 'db'])).toBe('2');
    expect(await pebble.restartServices(['web'])).toBe('3');
    expect(await pebble.replanServices()).toBe('4');
    expect(await pebble.autostartServices({ timeoutMs: 1500 })).toBe('5');
    expect(fake.requestsTo('/v1/services').map((request) => request.json)).toEqual([
      { action: 'start', services: ['web'] },
      { action: 'stop', services: ['web', 'db'] },
      { action: 'restart', services: ['web'] },
      { action: 'replan', services: [] },
      { action: 'autostart', services: [] },
    ]);
    // ops' default wait is 30 s; Pebble reads the timeout as a Go duration (api_changes.go v1GetChangeWait).
    expect(fake.requestsTo('/v1/changes/1/wait')[0]!.query).toEqual({ timeout: ['30000ms'] });
    expect(fake.requestsTo('/v1/changes/5/wait')[0]!.query).toEqual({ timeout: ['1500ms'] });
  });

  it('returns the change id at once, without waiting, when timeoutMs is 0', async () => {
    fake.on('POST', '/v1/services', () => async('9'));
    expect(await pebble.startServices(['web'], { timeoutMs: 0 })).toBe('9');
    expect(fake.requests.map((request) => request.path)).toEqual(['/v1/services']);
  });

  it('throws a ChangeError with the task log when the change ends in Error', async () => {
    fake.on('POST', '/v1/services', () => async('3'));
    fake.on('GET', '/v1/changes/3/wait', () =>
      sync(
        change('3', 'Error', {
          err: 'cannot perform the following tasks:\n- Start service "web" (cannot start service: exited quickly with code 1)',
          tasks: [
            {
              id: '31',
              kind: 'start',
              summary: 'Start service "web"',
              status: 'Error',
              log: ['2026-12-05T08:00:01Z ERROR cannot start service: exited quickly with code 1'],
              progress: { label: '', done: 1, total: 1 },
              'spawn-time': '2026-12-05T08:00:00Z',
            },
          ],
        }),
      ),
    );
    const failure = await pebble.startServices(['web']).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ChangeError);
    expect(failure).toMatchObject({ code: 'PEBBLE_CHANGE_FAILED', taskLog: ['2026-12-05T08:00:01Z ERROR cannot start service: exited quickly with code 1'] });
    expect((failure as ChangeError).change).toMatchObject({ id: '3', status: 'Error', ready: true });
    expect((failure as Error).message).toContain('exited quickly with code 1');
  });

  it("reads a change from GET /v1/changes/{id}, tasks and their data included", async () => {
    fake.on('GET', '/v1/changes/12', () =>
      sync(change('12', 'Doing', { tasks: [{ id: '5', kind: 'exec', summary: 'x', status: 'Doing', progress: { label: 'l', done: 0, total: 1 }, 'spawn-time': 't', data: { 'exit-code': 0 } }] })),
    );
    const read = await pebble.getChange('12');
    expect(read).toMatchObject({ id: '12', status: 'Doing', ready: false, err: undefined });
    expect(read.tasks[0]).toEqual({ id: '5', kind: 'exec', summary: 'x', status: 'Doing', log: [], progress: { label: 'l', done: 0, total: 1 }, spawnTime: 't', readyTime: undefined, data: { 'exit-code': 0 } });
  });

  it("turns Pebble's 504 from a wait into a TimeoutError (ops _wait_change)", async () => {
    fake.on('GET', '/v1/changes/4/wait', () => error(504, 'timed out waiting for change after 100ms'));
    const late = await pebble.waitChange('4', { timeoutMs: 100 }).catch((e: unknown) => e);
    expect(late).toBeInstanceOf(TimeoutError);
    expect(late).toMatchObject({ code: 'PEBBLE_TIMEOUT', statusCode: 504 });
  });

  it('gives up on a Pebble that does not answer with a TimeoutError of its own', async () => {
    fake.on('GET', '/v1/system-info', () => new Promise(() => undefined));
    const slow = new Pebble({ socketPath: fake.socketPath, requestTimeoutMs: 100 });
    await expect(slow.getSystemInfo()).rejects.toMatchObject({ code: 'PEBBLE_TIMEOUT', statusCode: null });
  });

  it('refuses a change id that is not lowercase letters and digits (client/changes.go changeIDRegexp)', async () => {
    await expect(pebble.getChange('../plan')).rejects.toMatchObject({ code: 'PEBBLE_USAGE' });
    expect(fake.requests).toEqual([]);
  });
});

describe('checks', () => {
  it('asks GET /v1/checks with level and one names value per name (client/checks.go Checks)', async () => {
    fake.on('GET', '/v1/checks', () => sync([{ name: 'up', level: 'alive', startup: 'enabled', status: 'down', failures: 2, threshold: 3, 'change-id': '8' }]));
    expect(await pebble.getChecks({ level: 'alive', names: ['up', 'ready'] })).toEqual([
      { name: 'up', level: 'alive', startup: 'enabled', status: 'down', successes: undefined, failures: 2, threshold: 3, changeId: '8' },
    ]);
    await pebble.getChecks();
    expect(fake.requestsTo('/v1/checks').map((request) => request.query)).toEqual([{ level: ['alive'], names: ['up', 'ready'] }, {}]);
  });
});

describe('errors', () => {
  it('carries the kind and value of an error result (client/client.go Error)', async () => {
    fake.on('POST', '/v1/services', () => error(400, 'no default services', 'no-default-services'));
    await expect(pebble.autostartServices()).rejects.toMatchObject({ code: 'PEBBLE_API_ERROR', statusCode: 400, kind: 'no-default-services' });
  });

  it('refuses an answer that is not an envelope as a protocol error', async () => {
    fake.on('GET', '/v1/system-info', () => ({ status: 502, body: 'bad gateway' }));
    await expect(pebble.getSystemInfo()).rejects.toMatchObject({ code: 'PEBBLE_PROTOCOL' });
  });

  it('refuses a sync answer where an async one belongs', async () => {
    fake.on('POST', '/v1/services', () => sync(null));
    await expect(pebble.startServices(['web'])).rejects.toMatchObject({ code: 'PEBBLE_PROTOCOL' });
  });
});

describe('connection errors', () => {
  it('names the socket and says it does not exist when there is no socket', async () => {
    const missing = new Pebble({ socketPath: join(fake.folder, 'nothing', 'pebble.socket') });
    const failure = await missing.getSystemInfo().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ConnectionError);
    expect(failure).toMatchObject({ code: 'PEBBLE_CONNECTION', socketPath: join(fake.folder, 'nothing', 'pebble.socket') });
    expect((failure as Error).message).toContain('does not exist');
  });

  it('says nothing listens when the socket file is there but no server is', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'pebble-stale-'));
    try {
      const socketPath = join(folder, 'pebble.socket');
      const server = createServer();
      await new Promise<void>((resolve) => server.listen(socketPath, resolve));
      // Closing a listening unix socket removes its file: a plain file stands in for a stale socket.
      await new Promise<void>((resolve) => server.close(() => resolve()));
      writeFileSync(socketPath, '');
      const failure = await new Pebble({ socketPath }).getSystemInfo().catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(ConnectionError);
      expect(failure).toMatchObject({ code: 'PEBBLE_CONNECTION', socketPath });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('reports a connection Pebble drops before answering as a ConnectionError', async () => {
    fake.on('GET', '/v1/system-info', () => {
      fake.dropConnections();
      return new Promise(() => undefined);
    });
    await expect(pebble.getSystemInfo()).rejects.toBeInstanceOf(ConnectionError);
  });
});
