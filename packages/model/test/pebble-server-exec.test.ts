import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { pebbleSocketDir, pebbleSocketPath, startPebble, type PebbleServer } from '@charms/model/internal';
import { temporaryFolders } from './helpers/temp-folders.js';

// Exec on the local Pebble server (canonical/pebble internals/daemon/api_exec.go and
// internals/overlord/cmdstate/handlers.go): POST /v1/exec, then the task's control and
// stdio websockets; output arrives as binary messages ended by {"command":"end"}, and
// the exit code is the task's data once the change is ready.

const folder = temporaryFolders('pebble-exec');
const servers: PebbleServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function pebble(runWorkloads: boolean): Promise<PebbleServer> {
  const dir = folder();
  const server = await startPebble({ socketPath: pebbleSocketPath(pebbleSocketDir(dir, 'app/0'), 'workload'), container: 'workload', rootDir: join(dir, 'root'), runWorkloads });
  servers.push(server);
  return server;
}

function call(server: PebbleServer, method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const req = request({ socketPath: server.socketPath, method, path, headers: text ? { 'Content-Type': 'application/json' } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end(text);
  });
}

/** Opens a task websocket, collecting its binary output until the server's {"command":"end"} from the start (the end may come with the handshake). */
function socket(server: PebbleServer, taskId: string, id: string): Promise<{ ws: WebSocket; output: Promise<string> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws+unix://${server.socketPath}:/v1/tasks/${taskId}/websocket/${id}`);
    const chunks: Buffer[] = [];
    const output = new Promise<string>((done) => {
      ws.on('message', (data, isBinary) => {
        if (isBinary) chunks.push(data as Buffer);
        else if ((JSON.parse((data as Buffer).toString('utf8')) as { command?: string }).command === 'end') done(Buffer.concat(chunks).toString('utf8'));
      });
    });
    ws.once('open', () => resolve({ ws, output }));
    ws.once('error', reject);
  });
}

async function exec(server: PebbleServer, payload: Record<string, unknown>, stdin?: string): Promise<{ out: string; err?: string; change: Record<string, unknown> & { status: string; err?: string; tasks: { data?: { 'exit-code': number }; log?: string[] }[] } }> {
  const started = await call(server, 'POST', '/v1/exec', payload);
  expect(started.status).toBe(202);
  const taskId = (started.body.result as { 'task-id': string })['task-id'];
  const control = await socket(server, taskId, 'control');
  const stdio = await socket(server, taskId, 'stdio');
  const stderr = payload['split-stderr'] ? await socket(server, taskId, 'stderr') : undefined;
  if (stdin !== undefined) stdio.ws.send(Buffer.from(stdin), { binary: true });
  stdio.ws.send(JSON.stringify({ command: 'end' }));
  const result = { out: await stdio.output, ...(stderr ? { err: await stderr.output } : {}) };
  const change = (await call(server, 'GET', `/v1/changes/${started.body.change as string}/wait?timeout=10s`)).body.result as never;
  control.ws.close();
  stdio.ws.close();
  stderr?.ws.close();
  return { ...result, change };
}

describe('exec (api_exec.go, cmdstate)', () => {
  it('runs `echo hi` as a local process, streaming its output over the stdio websocket', async () => {
    const server = await pebble(true);
    const started = await call(server, 'POST', '/v1/exec', { command: ['echo', 'hi'] });
    expect(started.body).toMatchObject({ type: 'async', 'status-code': 202, result: { 'working-dir': '/' } });
    expect((started.body.result as { 'task-id': string })['task-id']).toMatch(/^\d+$/);
    const { out, change } = await exec(server, { command: ['echo', 'hi'] });
    expect(out).toBe('hi\n');
    expect(change).toMatchObject({ kind: 'exec', summary: 'Execute command "echo"', status: 'Done' });
    expect(change.tasks[0]!.data).toEqual({ 'exit-code': 0 });
  }, 20_000);

  it('feeds stdin, splits stderr, passes the environment, and reports a non-zero exit code', async () => {
    const server = await pebble(true);
    const { out, err, change } = await exec(server, { command: ['sh', '-c', 'cat; echo "$GREETING" >&2; exit 7'], environment: { GREETING: 'hello' }, 'split-stderr': true }, 'from stdin');
    expect(out).toBe('from stdin');
    expect(err).toBe('hello\n');
    expect(change.status).toBe('Done');
    expect(change.tasks[0]!.data).toEqual({ 'exit-code': 7 });
  }, 20_000);

  it('refuses a missing executable with 400 (api_exec.go LookPath)', async () => {
    const server = await pebble(true);
    const answer = await call(server, 'POST', '/v1/exec', { command: ['no-such-program-anywhere'] });
    expect(answer.status).toBe(400);
    expect(answer.body.result).toEqual({ message: 'cannot find executable "no-such-program-anywhere"' });
    expect((await call(server, 'POST', '/v1/exec', { command: [] })).body.result).toEqual({ message: 'must specify command' });
  });

  it('ends the exec change in Error without runWorkloads, once the client is connected', async () => {
    const server = await pebble(false);
    const { out, change } = await exec(server, { command: ['echo', 'hi'] });
    expect(out).toBe('');
    expect(change.status).toBe('Error');
    expect(change.err).toContain('the local model runs no workloads');
    expect(change.tasks[0]!.data).toEqual({ 'exit-code': -1 });
  }, 20_000);

  it('takes stdin sent right after the handshake, and forwards a control signal (exit code 128 + signal, reaper.go)', async () => {
    const server = await pebble(true);
    const started = await call(server, 'POST', '/v1/exec', { command: ['sh', '-c', 'read line; echo "got $line"; exec sleep 30'] });
    const taskId = (started.body.result as { 'task-id': string })['task-id'];
    const control = await socket(server, taskId, 'control');
    const stdio = await socket(server, taskId, 'stdio');
    stdio.ws.send(Buffer.from('early\n'), { binary: true });
    // Wait for the command's answer, then stop it through the control websocket.
    await new Promise<void>((resolve) => stdio.ws.on('message', (data, isBinary) => isBinary && (data as Buffer).toString().includes('got early') && resolve()));
    control.ws.send(JSON.stringify({ command: 'signal', signal: { name: 'SIGTERM' } }));
    expect(await stdio.output).toBe('got early\n');
    const change = (await call(server, 'GET', `/v1/changes/${started.body.change as string}/wait?timeout=10s`)).body.result as { status: string; tasks: { data: unknown }[] };
    expect(change.status).toBe('Done');
    expect(change.tasks[0]!.data).toEqual({ 'exit-code': 143 });
    control.ws.close();
    stdio.ws.close();
  }, 20_000);

  it("runs in a service's context: its environment and working-dir, under the request's (plan.MergeServiceContext)", async () => {
    const server = await pebble(true);
    const layer = 'services:\n  web:\n    override: replace\n    command: sleep 30\n    working-dir: /srv\n    environment: {FROM_SERVICE: "yes", BOTH: service}\n';
    expect((await call(server, 'POST', '/v1/layers', { action: 'add', label: 'base', format: 'yaml', layer })).status).toBe(200);
    expect((await call(server, 'POST', '/v1/files', { action: 'make-dirs', dirs: [{ path: '/srv' }] })).status).toBe(200);
    const { out, change } = await exec(server, { command: ['sh', '-c', 'echo "$FROM_SERVICE $BOTH $(basename "$PWD")"'], 'service-context': 'web', environment: { BOTH: 'request' } });
    expect(out).toBe('yes request srv\n');
    expect(change.status).toBe('Done');
    expect((await call(server, 'POST', '/v1/exec', { command: ['true'], 'service-context': 'nope' })).body.result).toEqual({ message: 'context service "nope" not found' });
  }, 20_000);

  it('kills a command that outlives its timeout', async () => {
    const server = await pebble(true);
    const { change } = await exec(server, { command: ['sleep', '30'], timeout: '200ms' });
    expect(change.status).toBe('Error');
    expect(change.err).toContain('timed out after 200ms');
  }, 20_000);

  it("answers a websocket of an unknown task with Pebble's 404", async () => {
    const server = await pebble(true);
    const refused = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`ws+unix://${server.socketPath}:/v1/tasks/99/websocket/stdio`);
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode!));
      ws.once('error', () => resolve(-1));
    });
    expect(refused).toBe(404);
  });
});
