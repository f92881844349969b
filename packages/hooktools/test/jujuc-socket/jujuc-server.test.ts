import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { afterEach, describe, expect, it } from 'vitest';
import { PermissionDeniedError, ProcessHookTools, type HookToolError, type HookTools } from '@charms/hooktools';
import { JUJUC_NO_STDIN, listenJujuc, type JujucAnswer, type JujucCall, type JujucListener } from '@charms/hooktools/internal';
import { GobConnection } from '../../src/jujuc-socket/gob-connection.js';
import { JujucClient } from '../../src/jujuc-socket/jujuc-client.js';
import { JUJUC_REQUEST, RPC_REQUEST, readRpcHeader } from '../../src/jujuc-socket/jujuc-messages.js';
import { FakeJuju } from '../fixtures/fake-juju.js';
import { answerFakeCall, type FakeWorld } from '../fixtures/fake-world.js';
import { recorded } from './recorded-session.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

let counter = 0;
/** A fresh abstract socket address, as the local model uses (nothing to clean up on disk). */
function abstractAddress(): string {
  counter += 1;
  return `@/charms-test/${process.pid}/${counter}/agent.socket`;
}

async function serve(answer: (call: JujucCall) => Promise<JujucAnswer>): Promise<JujucListener> {
  const listener = await listenJujuc(abstractAddress(), answer);
  cleanups.push(() => listener.close());
  return listener;
}

/** The Go fixture's agent (test/fixtures/jujuc-rpc/main.go, Jujuc.Main), in TypeScript. */
async function goFixtureAgent(call: JujucCall): Promise<JujucAnswer> {
  if (call.token !== '') throw new Error('bad request: token does not match');
  if (!['config-get', 'relation-set', 'status-set', 'juju-log', 'is-leader', 'state-set'].includes(call.commandName)) {
    throw new Error(`bad request: unknown hook command: ${call.commandName}`);
  }
  if (call.args.some((arg, i) => arg === '--file' && call.args[i + 1] === '-') && call.stdin === undefined) throw new Error(JUJUC_NO_STDIN);
  if (call.commandName === 'status-set' && call.args[0] === '--application') {
    return { code: 1, stdout: '', stderr: 'ERROR this unit is not the leader\n' };
  }
  // encoding/json of a Go map: keys sorted, a nil slice as null.
  const echo = {
    args: call.args.length > 0 ? call.args : null,
    command: call.commandName,
    contextId: call.contextId,
    dir: call.dir,
    stdin: call.stdin ?? '',
    stdinSet: call.stdin !== undefined,
  };
  return { code: 0, stdout: `${JSON.stringify(echo)}\n`, stderr: '' };
}

describe('listenJujuc, fed what Go’s net/rpc client sent (test/fixtures/jujuc-rpc)', () => {
  it('answers byte for byte as Go’s net/rpc server did, errors and all', async () => {
    const listener = await serve(goFixtureAgent);
    const socket = createConnection({ path: `\0${listener.address.slice(1)}` });
    cleanups.push(() => void socket.destroy());
    let received = Buffer.alloc(0);
    const done = new Promise<void>((resolve) => {
      socket.on('data', (chunk) => {
        received = Buffer.concat([received, chunk]);
        if (received.length >= recorded.serverToClient.length) resolve();
      });
    });
    // All calls at once: the server answers them in order, one at a time.
    socket.write(recorded.clientToServer);
    await done;
    expect(received.toString('hex')).toBe(recorded.serverToClient.toString('hex'));
  });
});

describe('ProcessHookTools over listenJujuc', { timeout: 60_000 }, () => {
  type Outcome = { value: unknown } | { error: Record<string, unknown> };
  const operations: [string, (tools: HookTools & { run: ProcessHookTools['run'] }) => Promise<unknown>][] = [
    ['status-set', (t) => t.statusSet('blocked', '-n is not a valid replica count')],
    ['status-set --application, not leader', (t) => t.statusSet('active', 'ready', { application: true })],
    ['config-get', (t) => t.configGet()],
    ['is-leader', (t) => t.isLeader()],
    ['relation-set with stdin', (t) => t.relationSet({ host: 'minio', port: '9000' }, { relationId: 'db:3' })],
    ['relation-get', (t) => t.relationGet({ relationId: 'db:3', unit: 'mariadb/0' })],
    ['relation-get of a gone relation', (t) => t.relationGet({ relationId: 'db:99', unit: 'mariadb/0' })],
    ['resource-get of a missing resource', (t) => t.resourceGet('oci-image')],
    ['juju-log', (t) => t.jujuLog('fetching ✓ resources', 'WARNING')],
    ['a usage error', (t) => t.run('status-get', ['--no-such-flag'])],
  ];
  const world: FakeWorld = {
    config: { 'access-key': 'minio', port: 9000, region: null },
    relations: { 'db:3': { endpoint: 'db', app: 'mariadb', units: { 'mariadb/0': { database: 'minio' } } } },
  };

  async function outcomes(tools: ProcessHookTools): Promise<[string, Outcome][]> {
    const results: [string, Outcome][] = [];
    for (const [name, operation] of operations) {
      try {
        results.push([name, { value: await operation(tools) }]);
      } catch (error) {
        const { name: kind, code, exitCode, stderr, message } = error as HookToolError;
        results.push([name, { error: { kind, code, exitCode, stderr, message } }]);
      }
    }
    return results;
  }

  it('gives every result and error the tool processes give, calling the agent once per tool and no process', async () => {
    const overProcesses = new FakeJuju(structuredClone(world));
    const processOutcomes = await outcomes(new ProcessHookTools({ env: overProcesses.env({ JUJU_UNIT_NAME: 'minio/0' }) }));

    const overSocket = new FakeJuju(structuredClone(world));
    const hookEnv = overSocket.env({ JUJU_UNIT_NAME: 'minio/0' });
    const calls: JujucCall[] = [];
    const listener = await serve(async (call) => {
      calls.push(call);
      const result = answerFakeCall({ tool: call.commandName, argv: [...call.args], ...(call.stdin === undefined ? {} : { stdin: call.stdin }), env: hookEnv, cwd: call.dir });
      return { code: result.exitCode, stdout: result.stdout, stderr: result.stderr };
    });
    // No PATH: a call that went to a process instead would fail with HOOK_TOOL_NOT_FOUND.
    const socketEnv = { JUJU_AGENT_SOCKET_ADDRESS: listener.address, JUJU_AGENT_SOCKET_NETWORK: 'unix', JUJU_CONTEXT_ID: 'minio/0-update-status-1', PATH: '/nonexistent' };
    const socketOutcomes = await outcomes(new ProcessHookTools({ env: socketEnv, cwd: tmpdir() }));

    expect(socketOutcomes).toEqual(processOutcomes);
    expect(overSocket.calls()).toEqual(overProcesses.calls());
    expect(overSocket.world()).toEqual(overProcesses.world());
    expect(calls).toHaveLength(operations.length);
    expect(calls[0]).toEqual({
      contextId: 'minio/0-update-status-1',
      dir: tmpdir(),
      commandName: 'status-set',
      args: ['blocked', '--', '-n is not a valid replica count'],
      stdin: undefined,
      token: '',
    });
    // The failures the comparison covers, or it proves less than it says.
    expect(processOutcomes.map(([, outcome]) => ('error' in outcome ? outcome.error.code : 'ok'))).toEqual([
      'ok',
      'NOT_LEADER',
      'ok',
      'ok',
      'ok',
      'ok',
      'RELATION_NOT_FOUND',
      'HOOK_TOOL_FAILED',
      'ok',
      'HOOK_TOOL_USAGE',
    ]);
  });

  it('an error the agent answers is `ERROR <text>` with exit 1, as jujuc prints it, narrowed by its text', async () => {
    const listener = await serve(async () => {
      throw new Error('cannot write relation settings');
    });
    const tools = new ProcessHookTools({ env: { JUJU_AGENT_SOCKET_ADDRESS: listener.address, JUJU_CONTEXT_ID: 'c', PATH: '/nonexistent' } });
    const error = await tools.relationSet({ a: 'b' }, { relationId: 'db:3' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect(error).toMatchObject({ code: 'PERMISSION_DENIED', exitCode: 1, stderr: 'ERROR cannot write relation settings\n' });
  });

  it('a tool that wants stdin the call did not bring is asked again with empty stdin, as jujuc reading /dev/null', async () => {
    const seen: (string | undefined)[] = [];
    const listener = await serve(async (call) => {
      seen.push(call.stdin);
      if (call.stdin === undefined) throw new Error(JUJUC_NO_STDIN);
      return { code: 0, stdout: `read ${call.stdin.length} bytes\n`, stderr: '' };
    });
    const tools = new ProcessHookTools({ env: { JUJU_AGENT_SOCKET_ADDRESS: listener.address, JUJU_CONTEXT_ID: 'c', PATH: '/nonexistent' } });
    expect(await tools.run('state-set', ['--file', '-'])).toBe('read 0 bytes\n');
    expect(await tools.run('state-set', ['--file', '-'], '{"a":"b"}')).toBe('read 9 bytes\n');
    expect(seen).toEqual([undefined, '', '{"a":"b"}']);
  });

  it('refuses a relative Dir and an empty command before asking, with Jujuc.Main’s texts', async () => {
    const asked: JujucCall[] = [];
    const listener = await serve(async (call) => {
      asked.push(call);
      return { code: 0, stdout: '', stderr: '' };
    });
    const client = new JujucClient({ address: listener.address, contextId: 'c', token: '' });
    expect(await client.call({ tool: 'is-leader', argv: [] }, 'charm')).toMatchObject({ exitCode: 1, stderr: 'ERROR bad request: Dir is not absolute\n' });
    expect(await client.call({ tool: '', argv: [] }, '/')).toMatchObject({ exitCode: 1, stderr: 'ERROR bad request: command not specified\n' });
    expect(asked).toEqual([]);
  });

  it('answers a method it does not have as net/rpc does, and goes on serving the connection', async () => {
    const listener = await serve(async () => ({ code: 0, stdout: 'true\n', stderr: '' }));
    const socket = createConnection({ path: `\0${listener.address.slice(1)}` });
    cleanups.push(() => void socket.destroy());
    const connection = new GobConnection(socket);
    const request = { ContextId: 'c', Dir: '/', CommandName: 'is-leader' };
    connection.send([RPC_REQUEST, { ServiceMethod: 'Jujuc.Other', Seq: 0 }], [JUJUC_REQUEST, request]);
    expect(readRpcHeader(await connection.next())).toEqual({ serviceMethod: 'Jujuc.Other', seq: 0, error: "rpc: can't find method Jujuc.Other" });
    await connection.next();
    connection.send([RPC_REQUEST, { ServiceMethod: 'Jujuc.Main', Seq: 1 }], [JUJUC_REQUEST, request]);
    expect(readRpcHeader(await connection.next())).toEqual({ serviceMethod: 'Jujuc.Main', seq: 1, error: '' });
  });

  it('runs programs that are not Juju hook tools as processes', async () => {
    const asked: JujucCall[] = [];
    const listener = await serve(async (call) => {
      asked.push(call);
      return { code: 0, stdout: '', stderr: '' };
    });
    const tools = new ProcessHookTools({ env: { JUJU_AGENT_SOCKET_ADDRESS: listener.address, JUJU_CONTEXT_ID: 'c', PATH: '/usr/bin:/bin' } });
    expect(await tools.run('printf', ['%s', 'a process'])).toBe('a process');
    expect(asked).toEqual([]);
  });

  it('falls back to the tool processes once the agent goes away, for that call and the rest', async () => {
    const juju = new FakeJuju({ leader: true });
    let answered = 0;
    const listener = await listenJujuc(abstractAddress(), async () => {
      answered += 1;
      return { code: 0, stdout: 'false\n', stderr: '' };
    });
    const tools = new ProcessHookTools({ env: juju.env({ JUJU_UNIT_NAME: 'minio/0', JUJU_AGENT_SOCKET_ADDRESS: listener.address, JUJU_CONTEXT_ID: 'c' }) });
    expect(await tools.isLeader()).toBe(false);
    await listener.close();
    expect(await tools.isLeader()).toBe(true);
    expect(await tools.isLeader()).toBe(true);
    expect(answered).toBe(1);
    expect(juju.calls()).toEqual([
      { tool: 'is-leader', argv: ['--format=json'] },
      { tool: 'is-leader', argv: ['--format=json'] },
    ]);
  });

  it('leaves no handle that keeps the hook’s process alive between calls', async () => {
    const listener = await serve(async () => ({ code: 0, stdout: 'true\n', stderr: '' }));
    const dir = mkdtempSync(join(tmpdir(), 'jujuc-exit-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const entry = join(dir, 'hook.ts');
    const source = fileURLToPath(new URL('../../src/process-hook-tools.ts', import.meta.url));
    writeFileSync(
      entry,
      `import { ProcessHookTools } from ${JSON.stringify(source)};\n` +
        `const tools = new ProcessHookTools({ env: { JUJU_AGENT_SOCKET_ADDRESS: ${JSON.stringify(listener.address)}, JUJU_CONTEXT_ID: 'c', PATH: '/nonexistent' } });\n` +
        `console.log(await tools.isLeader(), await tools.isLeader());\n`,
    );
    const bundle = join(dir, 'hook.mjs');
    buildSync({ entryPoints: [entry], outfile: bundle, bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'silent' });
    const started = Date.now();
    const stdout = await new Promise<string>((resolve, reject) => {
      // Killed after 20 s: a connection still referenced would keep it running until then.
      execFile(process.execPath, [bundle], { timeout: 20_000 }, (error, out) => (error ? reject(error) : resolve(out)));
    });
    expect(stdout).toBe('true true\n');
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
