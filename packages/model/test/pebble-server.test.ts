import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ModelError } from '@charms/model';
import { pebbleSocketDir, pebbleSocketPath, startPebble, SOCKET_PATH_LIMIT, type PebbleServer } from '@charms/model/internal';
import { temporaryFolders } from './helpers/temp-folders.js';

// The local model's Pebble server (issue 19, part B), spoken to over its unix socket with
// raw HTTP as a Pebble client would. Expected texts follow canonical/pebble's sources,
// named in each test: internals/daemon/api_*.go, internals/plan/plan.go,
// internals/overlord/servstate/handlers.go.

const folder = temporaryFolders('pebble');
const servers: PebbleServer[] = [];
// Closing stops each server's services, waiting out Pebble's kill delay (5 s) for one that
// ignores SIGTERM: on a busy machine that passes vitest's default 10 s.
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
}, 30_000);

async function pebble(runWorkloads = false): Promise<PebbleServer> {
  const dir = folder();
  const server = await startPebble({ socketPath: pebbleSocketPath(pebbleSocketDir(dir, 'app/0'), 'workload'), container: 'workload', rootDir: join(dir, 'root'), runWorkloads });
  servers.push(server);
  return server;
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown> & { result?: unknown };
}

function call(server: PebbleServer, method: string, path: string, body?: unknown): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const req = request({ socketPath: server.socketPath, agent: false, method, path, headers: text ? { 'Content-Type': 'application/json' } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Answer['body'] }));
    });
    req.on('error', reject);
    req.end(text);
  });
}

async function addLayer(server: PebbleServer, label: string, layer: string, combine = false): Promise<Answer> {
  return call(server, 'POST', '/v1/layers', { action: 'add', label, format: 'yaml', layer, combine });
}

async function plan(server: PebbleServer): Promise<string> {
  return (await call(server, 'GET', '/v1/plan?format=yaml')).body.result as string;
}

async function waitChange(server: PebbleServer, id: string): Promise<Record<string, unknown> & { status: string; err?: string; tasks: { kind: string; summary: string; status: string; log?: string[] }[] }> {
  const answer = await call(server, 'GET', `/v1/changes/${id}/wait?timeout=20s`);
  expect(answer.status).toBe(200);
  return answer.body.result as never;
}

async function services(server: PebbleServer): Promise<{ name: string; startup: string; current: string }[]> {
  return (await call(server, 'GET', '/v1/services')).body.result as never;
}

/**
 * The live processes of group `pgid`, from /proc. Zombies do not count: where pid 1 reaps
 * nothing (some containers), the orphaned dead stay as zombies.
 */
function liveGroupMembers(pgid: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return Number(fields[2]) === pgid && fields[0] !== 'Z';
      } catch {
        return false;
      }
    })
    .map(Number);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('the envelope and routes (api.go, response.go)', () => {
  it('answers system-info in a sync envelope with version "local"', async () => {
    const server = await pebble();
    const answer = await call(server, 'GET', '/v1/system-info');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/json');
    expect(answer.body).toMatchObject({ type: 'sync', 'status-code': 200, status: 'OK', result: { version: 'local' } });
    expect((answer.body.result as Record<string, string>)['boot-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("answers an unknown route with Pebble's 404 error envelope (daemon.go NotFoundHandler)", async () => {
    const server = await pebble();
    const answer = await call(server, 'GET', '/v1/nonsense');
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual({ type: 'error', 'status-code': 404, status: 'Not Found', result: { message: 'invalid API endpoint requested' } });
  });

  it('answers a method the route lacks with 405', async () => {
    const server = await pebble();
    const answer = await call(server, 'DELETE', '/v1/services');
    expect(answer.status).toBe(405);
    expect(answer.body.result).toEqual({ message: 'method "DELETE" not allowed' });
  });

  it('answers an unknown change with 404 naming its id (api_changes.go)', async () => {
    const server = await pebble();
    const answer = await call(server, 'GET', '/v1/changes/42');
    expect(answer.status).toBe(404);
    expect(answer.body.result).toEqual({ message: 'cannot find change with id "42"' });
  });

  it('refuses a plan format other than yaml (api_plan.go)', async () => {
    const server = await pebble();
    const answer = await call(server, 'GET', '/v1/plan');
    expect(answer.status).toBe(400);
    expect(answer.body.result).toEqual({ message: 'invalid format ""' });
  });

  it('puts the socket under <model>/run/pebble/<unit>/<container>/ and refuses a path a unix socket cannot hold', () => {
    expect(pebbleSocketPath(pebbleSocketDir('/m', 'app/0'), 'db')).toBe('/m/run/pebble/app-0/db/pebble.socket');
    const deep = `/${'d'.repeat(SOCKET_PATH_LIMIT)}`;
    expect(() => pebbleSocketPath(pebbleSocketDir(deep, 'app/0'), 'db')).toThrow(ModelError);
    try {
      pebbleSocketPath(pebbleSocketDir(deep, 'app/0'), 'db');
    } catch (error) {
      expect((error as ModelError).code).toBe('INVALID_OPTION');
      expect((error as Error).message).toContain(`${deep}/run/pebble/app-0/db/pebble.socket`);
      expect((error as Error).message).toContain(String(SOCKET_PATH_LIMIT));
    }
  });
});

describe('layers and the plan (plan.go CombineLayers, Validate; planstate)', () => {
  it('merges a service field by field across layers, appending lists and merging environment', async () => {
    const server = await pebble();
    expect((await addLayer(server, 'base', 'services:\n  web:\n    override: replace\n    command: /bin/web --port 80\n    startup: enabled\n    after: [db]\n    environment: {A: "1", B: "2"}\n  db:\n    override: replace\n    command: /bin/db\n')).body).toMatchObject({ type: 'sync', result: true });
    await addLayer(server, 'extra', 'services:\n  web:\n    override: merge\n    command: /bin/web --port 8080\n    after: [cache]\n    environment: {B: "3"}\n  cache:\n    override: replace\n    command: /bin/cache\n');
    expect(await plan(server)).toBe(
      [
        'services:',
        '    cache:',
        '        override: replace',
        '        command: /bin/cache',
        '    db:',
        '        override: replace',
        '        command: /bin/db',
        '    web:',
        '        startup: enabled',
        '        override: replace',
        '        command: /bin/web --port 8080',
        '        after:',
        '            - db',
        '            - cache',
        '        environment:',
        '            A: "1"',
        '            B: "3"',
        '',
      ].join('\n'),
    );
  });

  it('replaces a service entirely with override: replace', async () => {
    const server = await pebble();
    await addLayer(server, 'base', 'services:\n  web:\n    override: replace\n    command: /bin/web\n    environment: {A: "1"}\n    kill-delay: 60s\n');
    await addLayer(server, 'next', 'services:\n  web:\n    override: replace\n    command: /bin/other\n');
    expect(await plan(server)).toBe('services:\n    web:\n        override: replace\n        command: /bin/other\n');
  });

  it('prints durations as Go does ("60s" is "1m0s")', async () => {
    const server = await pebble();
    await addLayer(server, 'base', 'services:\n  web:\n    override: replace\n    command: /bin/web\n    kill-delay: 60s\n');
    expect(await plan(server)).toContain('kill-delay: 1m0s');
  });

  it('refuses a second layer with the same label unless combining, and combines into it in place', async () => {
    const server = await pebble();
    await addLayer(server, 'base', 'services:\n  web:\n    override: replace\n    command: /bin/web\n');
    await addLayer(server, 'top', 'services:\n  web:\n    override: merge\n    command: /bin/top\n');
    const again = await addLayer(server, 'base', 'services:\n  web:\n    override: merge\n    command: /bin/base2\n');
    expect(again.status).toBe(400);
    expect(again.body.result).toEqual({ message: 'layer "base" already exists' });
    // Combined into "base", which stays below "top": top's command still wins.
    expect((await addLayer(server, 'base', 'services:\n  web:\n    override: merge\n    command: /bin/base2\n    summary: combined\n', true)).status).toBe(200);
    const text = await plan(server);
    expect(text).toContain('command: /bin/top');
    expect(text).toContain('summary: combined');
  });

  it.each([
    ['services:\n  web:\n    command: /bin/web\n', 'layer "l" must define "override" for service "web"', false],
    ['services:\n  web:\n    override: sideways\n    command: /bin/web\n', 'layer "l" has invalid "override" value for service "web"', false],
    ['services:\n  web:\n    override: replace\n', 'plan must define "command" for service "web"', false],
    ['services:\n  pebble:\n    override: replace\n    command: x\n', 'cannot parse layer YAML: cannot use reserved service name "pebble"', false],
    ['services:\n  web:\n    override: replace\n    command: x\n    on-failure: explode\n', 'cannot parse layer YAML: plan service "web" on-failure action "explode" invalid', false],
    ['services:\n  web:\n    override: replace\n    command: x [ a\n', 'cannot parse layer YAML: plan service "web" command invalid: cannot have [ without ] in command', true],
    ['checks:\n  up:\n    override: replace\n    level: sideways\n    http: {url: "http://x"}\n', 'cannot parse layer YAML: plan check "up" level must be "alive" or "ready"', false],
    ['checks:\n  up:\n    override: replace\n', 'plan must specify one of "http", "tcp", or "exec" for check "up"', false],
    ['checks:\n  up:\n    override: replace\n    tcp: {port: 80}\n    exec: {command: "true"}\n', 'plan must specify one of "http", "tcp", or "exec" for check "up"', false],
    ['bogus: 1\n', 'cannot parse layer YAML: cannot parse layer "l": unknown section "bogus"', false],
    ['services:\n  web:\n    override: replace\n    commmand: x\n', 'cannot parse layer YAML: cannot parse layer "l" section "services": yaml: unmarshal errors:\n  line 4: field commmand not found in type plan.Service', false],
    ['services:\n  a:\n    override: replace\n    command: x\n    after: [b]\n  b:\n    override: replace\n    command: y\n    after: [a]\n', 'services in before/after loop: a, b', false],
  ])("refuses an invalid layer with Pebble's message (%#)", async (layer, message, prefixOnly) => {
    const server = await pebble();
    const answer = await addLayer(server, 'l', layer);
    expect(answer.status).toBe(400);
    expect(answer.body.type).toBe('error');
    if (prefixOnly) expect((answer.body.result as { message: string }).message).toContain(message.split(':')[0]!);
    else expect(answer.body.result).toEqual({ message });
    // A refused layer leaves the plan as it was.
    expect(await plan(server)).toBe('{}\n');
  });

  it('refuses the reserved label prefix "pebble-"', async () => {
    const server = await pebble();
    const answer = await addLayer(server, 'pebble-x', 'summary: x\n');
    expect(answer.body.result).toEqual({ message: 'cannot parse layer YAML: cannot use reserved label prefix "pebble-"' });
  });
});

describe('a kept plan (planFile)', () => {
  it('gives a server started again the layers the previous one had, with its services stopped', async () => {
    const dir = folder();
    const options = { socketPath: pebbleSocketPath(pebbleSocketDir(dir, 'app/0'), 'workload'), container: 'workload', rootDir: join(dir, 'root'), runWorkloads: false, planFile: join(dir, 'plan.json') };
    const first = await startPebble(options);
    servers.push(first);
    await addLayer(first, 'base', 'services:\n  web:\n    override: replace\n    command: /bin/web\n    startup: enabled\n');
    await addLayer(first, 'more', 'services:\n  web:\n    override: merge\n    environment: {A: "1"}\n');
    const before = await plan(first);
    await first.close();
    expect(statSync(options.planFile).mode & 0o777).toBe(0o600);
    const second = await startPebble(options);
    servers.push(second);
    expect(await plan(second)).toBe(before);
    expect(await services(second)).toEqual([{ name: 'web', startup: 'enabled', current: 'inactive' }]);
    // Labels are kept too: "base" exists already.
    expect((await addLayer(second, 'base', 'summary: x\n')).body.result).toEqual({ message: 'layer "base" already exists' });
  });

  it('refuses a kept plan that is not valid, naming the file', async () => {
    const dir = folder();
    const planFile = join(dir, 'plan.json');
    writeFileSync(planFile, '[{"label": "base", "order": 1000, "services": {"web": {"override": "replace"}}}]');
    const starting = startPebble({ socketPath: pebbleSocketPath(pebbleSocketDir(dir, 'app/0'), 'workload'), container: 'workload', rootDir: join(dir, 'root'), runWorkloads: false, planFile });
    await expect(starting).rejects.toMatchObject({ code: 'MODEL_CORRUPT' });
    await expect(starting).rejects.toThrow(`${planFile}: plan must define "command" for service "web"`);
  });
});

describe('services and changes (api_services.go, servstate)', () => {
  it('lists services with startup and current, inactive before any start', async () => {
    const server = await pebble();
    await addLayer(server, 'base', 'services:\n  web:\n    override: replace\n    command: sleep 30\n    startup: enabled\n  job:\n    override: replace\n    command: sleep 30\n');
    expect(await services(server)).toEqual([
      { name: 'job', startup: 'disabled', current: 'inactive' },
      { name: 'web', startup: 'enabled', current: 'inactive' },
    ]);
    expect((await call(server, 'GET', '/v1/services?names=web')).body.result).toEqual([{ name: 'web', startup: 'enabled', current: 'inactive' }]);
  });

  it('really runs a started service as a process of its own group, and a stop leaves no process behind', async () => {
    const server = await pebble(true);
    await addLayer(server, 'base', 'services:\n  sleeper:\n    override: replace\n    command: sleep 30\n');
    const started = await call(server, 'POST', '/v1/services', { action: 'start', services: ['sleeper'] });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ type: 'async', 'status-code': 202, status: 'Accepted' });
    const change = await waitChange(server, started.body.change as string);
    expect(change).toMatchObject({ kind: 'start', summary: 'Start service "sleeper"', status: 'Done', ready: true });
    expect(change.tasks).toMatchObject([{ kind: 'start', summary: 'Start service "sleeper"', status: 'Done' }]);
    const pid = server.servicePid('sleeper')!;
    expect(pid).toBeGreaterThan(0);
    expect(alive(pid)).toBe(true);
    expect((await services(server))[0]).toMatchObject({ name: 'sleeper', current: 'active' });

    const again = await waitChange(server, (await call(server, 'POST', '/v1/services', { action: 'start', services: ['sleeper'] })).body.change as string);
    expect(again.tasks[0]!.log!.at(-1)).toMatch(/^\S+Z INFO Service "sleeper" already started\.$/);

    const stopped = await waitChange(server, (await call(server, 'POST', '/v1/services', { action: 'stop', services: ['sleeper'] })).body.change as string);
    expect(stopped).toMatchObject({ kind: 'stop', status: 'Done' });
    expect(alive(pid)).toBe(false);
    expect((await services(server))[0]).toMatchObject({ current: 'inactive' });
  }, 30_000);

  it('gives a service PATH, HOME, USER and LANG of the model and its layer\'s environment, never the rest of the model\'s environment', async () => {
    process.env.CHARMS_TEST_MODEL_SECRET = 'not-for-workloads';
    try {
      const server = await pebble(true);
      await addLayer(server, 'base', 'services:\n  envdump:\n    override: replace\n    command: sh -c "env > env.txt; sleep 30"\n    environment: {FROM_LAYER: "yes"}\n');
      await waitChange(server, (await call(server, 'POST', '/v1/services', { action: 'start', services: ['envdump'] })).body.change as string);
      const file = join(dirname(dirname(server.socketPath)), '..', '..', '..', 'root', 'env.txt');
      const deadline = Date.now() + 10_000;
      while (!existsSync(file) && Date.now() < deadline) await new Promise((woken) => setTimeout(woken, 50));
      const env = readFileSync(file, 'utf8');
      expect(env).toContain('FROM_LAYER=yes');
      expect(env).toContain(`PATH=${process.env.PATH}`);
      expect(env).not.toContain('CHARMS_TEST_MODEL_SECRET');
    } finally {
      delete process.env.CHARMS_TEST_MODEL_SECRET;
    }
  }, 30_000);

  it('ends the workloads a server left running (a killed command\'s) when its model is destroyed', async () => {
    const { createModel } = await import('@charms/model');
    const model = await createModel();
    // A command that runs a server with a service, then is killed outright.
    const script = [
      "import { pebbleSocketDir, pebbleSocketPath, startPebble } from '@charms/model/internal';",
      `const server = await startPebble({ socketPath: pebbleSocketPath(pebbleSocketDir(${JSON.stringify(model.dir)}, 'app/0'), 'workload'), container: 'workload', rootDir: ${JSON.stringify(join(model.dir, 'units', 'app-0', 'containers', 'workload'))}, runWorkloads: true });`,
      "console.log(server.socketPath);",
      "setInterval(() => {}, 1000);",
    ].join('\n');
    const command = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', '--input-type=module', '-e', script], { cwd: dirname(fileURLToPath(import.meta.url)), stdio: ['ignore', 'pipe', 'inherit'] });
    const socketPath = await new Promise<string>((found) => command.stdout.once('data', (chunk: Buffer) => found(chunk.toString('utf8').trim())));
    const server = { socketPath } as PebbleServer;
    await addLayer(server, 'base', 'services:\n  sleeper:\n    override: replace\n    command: sleep 60\n');
    await waitChange(server, (await call(server, 'POST', '/v1/services', { action: 'start', services: ['sleeper'] })).body.change as string);
    const record = JSON.parse(readFileSync(join(dirname(socketPath), 'processes.json'), 'utf8')) as { pid: number }[];
    const pid = record[0]!.pid;
    expect(alive(pid)).toBe(true);
    command.kill('SIGKILL');
    await new Promise((ended) => command.once('exit', ended));
    expect(alive(pid)).toBe(true);
    await model.destroy();
    // Orphaned, the ended group may linger as zombies where pid 1 reaps nothing: live members only.
    expect(liveGroupMembers(pid)).toEqual([]);
  }, 30_000);

  it('sends SIGKILL to the whole group after kill-delay when SIGTERM is ignored (servstate terminateTimeElapsed)', async () => {
    const server = await pebble(true);
    await addLayer(server, 'base', "services:\n  stubborn:\n    override: replace\n    command: sh -c 'trap \"\" TERM; sleep 1000'\n    kill-delay: 300ms\n");
    await waitChange(server, (await call(server, 'POST', '/v1/services', { action: 'start', services: ['stubborn'] })).body.change as string);
    const group = server.servicePid('stubborn')!;
    const since = Date.now();
    const stopped = await waitChange(server, (await call(server, 'POST', '/v1/services', { action: 'stop', services: ['stubborn'] })).body.change as string);
    expect(stopped.status).toBe('Done');
    expect(Date.now() - since).toBeGreaterThanOrEqual(300);
    // No live member of the group (sh, and the sleep that inherited the ignored TERM) is left.
    let members = liveGroupMembers(group);
    for (let i = 0; i < 50 && members.length > 0; i++) {
      await new Promise((done) => setTimeout(done, 20));
      members = liveGroupMembers(group);
    }
    expect(members).toEqual([]);
  }, 30_000);

  it('kills a running service when the server closes', async () => {
    const server = await pebble(true);
    await addLayer(server, 'base', 'services:\n  sleeper:\n    override: replace\n    command: sleep 30\n    startup: enabled\n');
    const replan = await waitChange(server, (await call(server, 'POST', '/v1/services', { action: 'replan' })).body.change as string);
    expect(replan).toMatchObject({ kind: 'replan', summary: 'Replan service "sleeper"', status: 'Done' });
    const pid = server.servicePid('sleeper')!;
    expect(alive(pid)).toBe(true);
    // Recorded for the next server, should this one die without closing.
    const record = join(dirname(server.socketPath), 'processes.json');
    expect((JSON.parse(readFileSync(record, 'utf8')) as { pid: number }[]).map((who) => who.pid)).toEqual([pid]);
    await server.close();
    expect(alive(pid)).toBe(false);
    expect(existsSync(record)).toBe(false);
  }, 30_000);

  it('ends the process groups a crashed server left running, and only those still the recorded process (pebble-leftovers)', async () => {
    const dir = folder();
    const socketPath = pebbleSocketPath(pebbleSocketDir(dir, 'app/0'), 'workload');
    mkdirSync(dirname(socketPath), { recursive: true });
    // What a killed model process leaves: a service in its own group, and its record.
    const orphan = spawn('sleep', ['30'], { detached: true, stdio: 'ignore' });
    const stranger = spawn('sleep', ['30'], { detached: true, stdio: 'ignore' });
    try {
      const start = (pid: number): string => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[19]!;
      writeFileSync(join(dirname(socketPath), 'processes.json'), JSON.stringify([{ pid: orphan.pid, start: start(orphan.pid!) }, { pid: stranger.pid, start: 'not-its-start-time' }]));
      const exited = new Promise((done) => orphan.once('exit', done));
      const server = await startPebble({ socketPath, container: 'workload', rootDir: join(dir, 'root'), runWorkloads: true });
      servers.push(server);
      await exited;
      expect(alive(stranger.pid!)).toBe(true);
      expect(existsSync(join(dirname(socketPath), 'processes.json'))).toBe(false);
    } finally {
      orphan.kill('SIGKILL');
      stranger.kill('SIGKILL');
    }
  }, 30_000);

  it('ends the start in Error with Go\'s text when the executable does not exist, and the service is not active', async () => {
    const server = await pebble(true);
    await addLayer(server, 'base', 'services:\n  ghost:\n    override: replace\n    command: no-such-program-anywhere --flag\n');
    const change = await waitChange(server, (await call(server, 'POST', '/v1/services', { action: 'start', services: ['ghost'] })).body.change as string);
    expect(change.status).toBe('Error');
    expect(change.tasks[0]!.status).toBe('Error');
    expect(change.tasks[0]!.log!.at(-1)).toMatch(/^\S+Z ERROR cannot start service: exec: "no-such-program-anywhere": executable file not found in \$PATH$/);
    expect(change.err).toBe('cannot perform the following tasks:\n- Start service "ghost" (cannot start service: exec: "no-such-program-anywhere": executable file not found in $PATH)');
    expect((await services(server))[0]).toMatchObject({ name: 'ghost', current: 'inactive' });
  });

  it('runs nothing without runWorkloads: the start ends in Error saying why', async () => {
    const server = await pebble(false);
    await addLayer(server, 'base', 'services:\n  sleeper:\n    override: replace\n    command: sleep 30\n');
    const change = await waitChange(server, (await call(server, 'POST', '/v1/services', { action: 'start', services: ['sleeper'] })).body.change as string);
    expect(change.status).toBe('Error');
    expect(change.tasks[0]!.log!.at(-1)).toContain('ERROR cannot start service: the local model runs no workloads');
    expect(change.tasks[0]!.log!.at(-1)).toContain('--run-workloads');
    expect(server.servicePid('sleeper')).toBeUndefined();
    expect((await services(server))[0]).toMatchObject({ current: 'inactive' });
  });

  it('reports a service that exits at once as a failed start, then backoff (servstate exited())', async () => {
    const server = await pebble(true);
    await addLayer(server, 'base', 'services:\n  quitter:\n    override: replace\n    command: sh -c "echo bye; exit 3"\n    backoff-delay: 10s\n');
    const change = await waitChange(server, (await call(server, 'POST', '/v1/services', { action: 'start', services: ['quitter'] })).body.change as string);
    expect(change.status).toBe('Error');
    const log = change.tasks[0]!.log!.join('\n');
    expect(log).toContain('INFO Most recent service output:\n    bye');
    expect(log).toContain('ERROR service start attempt: exited quickly with code 3, will restart');
    expect((await services(server))[0]).toMatchObject({ current: 'backoff' });
  }, 30_000);

  it('sends signals to running services only (api_signals.go, SendSignal), and a killed service with on-failure: ignore shows error', async () => {
    const server = await pebble(true);
    await addLayer(server, 'base', 'services:\n  sleeper:\n    override: replace\n    command: sleep 30\n    on-failure: ignore\n');
    const notRunning = await call(server, 'POST', '/v1/signals', { signal: 'SIGHUP', services: ['sleeper'] });
    expect(notRunning.status).toBe(500);
    expect(notRunning.body.result).toEqual({ message: 'cannot send signal to "sleeper": service is not running' });
    await waitChange(server, (await call(server, 'POST', '/v1/services', { action: 'start', services: ['sleeper'] })).body.change as string);
    const pid = server.servicePid('sleeper')!;
    expect((await call(server, 'POST', '/v1/signals', { signal: 'SIGNOPE', services: ['sleeper'] })).body.result).toEqual({ message: 'cannot send signal to "sleeper": invalid signal name "SIGNOPE"' });
    expect((await call(server, 'POST', '/v1/signals', { signal: 'SIGKILL', services: ['sleeper'] })).body).toMatchObject({ type: 'sync', result: true });
    for (let i = 0; i < 100 && alive(pid); i++) await new Promise((done) => setTimeout(done, 20));
    await new Promise((done) => setTimeout(done, 50));
    expect(alive(pid)).toBe(false);
    expect((await services(server))[0]).toMatchObject({ name: 'sleeper', current: 'error' });
  }, 30_000);

  it('serves what services wrote as newline-delimited JSON, and follows new lines (api_logs.go)', async () => {
    const server = await pebble(true);
    await addLayer(server, 'base', 'services:\n  talker:\n    override: replace\n    command: sh -c "echo one; echo two >&2; while :; do sleep 0.1; echo tick; done"\n');
    await waitChange(server, (await call(server, 'POST', '/v1/services', { action: 'start', services: ['talker'] })).body.change as string);
    const past = await new Promise<{ type: string; lines: Record<string, string>[] }>((resolve, reject) => {
      const req = request({ socketPath: server.socketPath, path: '/v1/logs?services=talker&n=-1' }, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        res.on('end', () => resolve({ type: String(res.headers['content-type']), lines: text.trim().split('\n').map((line) => JSON.parse(line) as Record<string, string>) }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(past.type).toBe('application/x-ndjson');
    expect(past.lines.slice(0, 2).map((line) => [line.service, line.message])).toEqual([['talker', 'one'], ['talker', 'two']]);
    expect(past.lines[0]!.time).toMatch(/^\d{4}-\d\d-\d\dT/);
    const followed = await new Promise<string>((resolve, reject) => {
      const req = request({ socketPath: server.socketPath, path: '/v1/logs?follow=true' }, (res) => {
        res.on('data', (chunk: Buffer) => {
          resolve(chunk.toString('utf8'));
          req.destroy();
        });
      });
      req.on('error', (error) => ((error as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(error)));
      req.end();
    });
    expect(JSON.parse(followed.split('\n')[0]!)).toMatchObject({ service: 'talker', message: 'tick' });
    expect((await call(server, 'GET', '/v1/logs?n=-2')).body.result).toEqual({ message: 'n must be -1, 0, or a positive integer' });
  }, 30_000);

  it('starts what a service requires first, and stops what requires a service with it (plan.go StartOrder, StopOrder)', async () => {
    const server = await pebble(false);
    await addLayer(server, 'base', 'services:\n  web:\n    override: replace\n    command: sleep 30\n    requires: [db]\n    after: [db]\n  db:\n    override: replace\n    command: sleep 30\n');
    const started = await waitChange(server, (await call(server, 'POST', '/v1/services', { action: 'start', services: ['web'] })).body.change as string);
    expect(started.summary).toBe('Start service "web" and 1 more');
    expect(started.tasks.map((task) => task.summary)).toEqual(['Start service "db"', 'Start service "web"']);
    // db fails (no workloads here), so web's start is held, as Pebble holds a task waiting on a failed one.
    expect(started.tasks.map((task) => task.status)).toEqual(['Error', 'Hold']);
    const stopped = await waitChange(server, (await call(server, 'POST', '/v1/services', { action: 'stop', services: ['db'] })).body.change as string);
    expect(stopped.tasks.map((task) => task.summary)).toEqual(['Stop service "web"', 'Stop service "db"']);
  });

  it('refuses service actions as Pebble does', async () => {
    const server = await pebble();
    await addLayer(server, 'base', 'services:\n  web:\n    override: replace\n    command: sleep 30\n');
    expect((await call(server, 'POST', '/v1/services', { action: 'start', services: [] })).body.result).toEqual({ message: 'must specify services for start action' });
    expect((await call(server, 'POST', '/v1/services', { action: 'replan', services: ['web'] })).body.result).toEqual({ message: 'replan accepts no service names' });
    expect((await call(server, 'POST', '/v1/services', { action: 'start', services: ['nope'] })).body.result).toEqual({ message: 'cannot start services: service "nope" does not exist' });
    expect((await call(server, 'POST', '/v1/services', { action: 'dance', services: ['web'] })).body.result).toEqual({ message: 'invalid action "dance"' });
    const autostart = await call(server, 'POST', '/v1/services', { action: 'autostart' });
    expect(autostart.status).toBe(400);
    expect(autostart.body.result).toEqual({ message: 'no default services', kind: 'no-default-services' });
  });

  it('answers a replan with nothing to do with a Done change with no tasks', async () => {
    const server = await pebble();
    const change = await waitChange(server, (await call(server, 'POST', '/v1/services', { action: 'replan' })).body.change as string);
    expect(change).toMatchObject({ summary: 'Replan - no services', status: 'Done', ready: true });
  });

  it('times out a wait with 504 (api_changes.go)', async () => {
    const server = await pebble(true);
    await addLayer(server, 'base', 'services:\n  sleeper:\n    override: replace\n    command: sleep 30\n');
    const id = (await call(server, 'POST', '/v1/services', { action: 'start', services: ['sleeper'] })).body.change as string;
    const answer = await call(server, 'GET', `/v1/changes/${id}/wait?timeout=50ms`);
    expect(answer.status).toBe(504);
    expect(answer.body.result).toEqual({ message: 'timed out waiting for change after 50ms' });
    await waitChange(server, id);
  }, 30_000);
});

describe('checks (api_checks.go, checkstate)', () => {
  it('restarts a service whose on-check-failure says restart when the check goes down (servstate CheckFailed)', async () => {
    const server = await pebble(true);
    await addLayer(server, 'base', 'services:\n  sleeper:\n    override: replace\n    command: sleep 30\n    backoff-delay: 100ms\n    on-check-failure: {broken: restart}\n  bystander:\n    override: replace\n    command: sleep 30\nchecks:\n  broken:\n    override: replace\n    startup: disabled\n    period: 100ms\n    threshold: 1\n    exec: {command: "false"}\n');
    await waitChange(server, (await call(server, 'POST', '/v1/services', { action: 'start', services: ['sleeper', 'bystander'] })).body.change as string);
    const first = server.servicePid('sleeper')!;
    const bystander = server.servicePid('bystander')!;
    await call(server, 'POST', '/v1/checks', { action: 'start', checks: ['broken'] });
    for (let i = 0; i < 100 && (server.servicePid('sleeper') === first || server.servicePid('sleeper') === undefined); i++) await new Promise((done) => setTimeout(done, 20));
    const second = server.servicePid('sleeper');
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    expect(alive(first)).toBe(false);
    expect(server.servicePid('bystander')).toBe(bystander);
  }, 30_000);
  it('starts checks with startup enabled or unset as their layer is added (checkstate PlanChanged), up with no run yet when workloads do not run', async () => {
    const server = await pebble(false);
    await addLayer(server, 'base', 'checks:\n  alive:\n    override: replace\n    level: alive\n    tcp: {port: 1}\n  manual:\n    override: replace\n    startup: disabled\n    exec: {command: "true"}\n');
    const [alive, manual] = (await call(server, 'GET', '/v1/checks')).body.result as Record<string, unknown>[];
    expect(alive).toMatchObject({ name: 'alive', level: 'alive', startup: 'enabled', status: 'up', successes: 0, threshold: 3 });
    expect(alive!.failures).toBeUndefined();
    expect(alive!['change-id']).toMatch(/^\d+$/);
    expect(manual).toEqual({ name: 'manual', startup: 'disabled', status: 'inactive', successes: 0, threshold: 3 });
    expect((await call(server, 'POST', '/v1/checks', { action: 'stop', checks: ['alive'] })).body.result).toEqual({ changed: ['alive'] });
    expect(((await call(server, 'GET', '/v1/checks?names=alive')).body.result as Record<string, unknown>[])[0]).toMatchObject({ status: 'inactive' });
    // checkstate's Replan starts enabled checks that are not running.
    await waitChange(server, (await call(server, 'POST', '/v1/services', { action: 'replan' })).body.change as string);
    expect(((await call(server, 'GET', '/v1/checks?names=alive')).body.result as Record<string, unknown>[])[0]).toMatchObject({ status: 'up' });
    expect((await call(server, 'POST', '/v1/checks', { action: 'start', checks: ['manual', 'nope'] })).body.result).toEqual({ message: 'cannot start checks: cannot find checks in plan: nope' });
    expect((await call(server, 'POST', '/v1/checks', { action: 'start', checks: ['manual'] })).body.result).toEqual({ changed: ['manual'] });
  });

  it('runs checks on their period with runWorkloads and turns one down after threshold failures', async () => {
    const server = await pebble(true);
    await addLayer(server, 'base', 'checks:\n  broken:\n    override: replace\n    level: ready\n    period: 1s\n    threshold: 2\n    exec: {command: "false"}\n  fine:\n    override: replace\n    period: 1s\n    exec: {command: "true"}\n');
    await call(server, 'POST', '/v1/checks', { action: 'start', checks: ['broken', 'fine'] });
    // A period long enough for a workload sandbox to start on a busy machine (workload-sandbox.ts); polled, as runs take longer there.
    let [broken, fine] = (await call(server, 'GET', '/v1/checks')).body.result as Record<string, number | string>[];
    for (let waited = 0; waited < 20_000 && !(broken!.status === 'down' && Number(fine!.successes) >= 2); waited += 250) {
      await new Promise((done) => setTimeout(done, 250));
      [broken, fine] = (await call(server, 'GET', '/v1/checks')).body.result as Record<string, number | string>[];
    }
    expect(broken).toMatchObject({ name: 'broken', status: 'down' });
    expect(broken!.failures).toBeGreaterThanOrEqual(2);
    expect(fine).toMatchObject({ name: 'fine', status: 'up' });
    expect(fine!.successes).toBeGreaterThanOrEqual(2);
    const refreshed = await call(server, 'POST', '/v1/checks/refresh', { name: 'fine' });
    expect(refreshed.body.result).toMatchObject({ info: { name: 'fine', status: 'up' } });
    expect((refreshed.body.result as { error?: string }).error).toBeUndefined();
    expect((await call(server, 'POST', '/v1/checks/refresh', { name: 'broken' })).body.result).toMatchObject({ info: { name: 'broken', status: 'down' }, error: 'exit status 1' });
    expect((await call(server, 'POST', '/v1/checks/refresh', { name: 'nope' })).body.result).toEqual({ message: 'cannot find check with name "nope"' });
    const health = await call(server, 'GET', '/v1/health?level=ready');
    expect(health.status).toBe(502);
    expect(health.body.result).toEqual({ healthy: false });
  }, 30_000);
});
