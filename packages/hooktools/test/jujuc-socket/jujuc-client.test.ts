import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ToolRun } from '../../src/interpret-failure.js';
import { JujucClient, jujucSocketConfig } from '../../src/jujuc-socket/jujuc-client.js';
import { JUJUC_NO_STDIN } from '../../src/jujuc-socket/jujuc-messages.js';
import type { ToolCommand } from '../../src/tool-commands.js';
import { perCall, recorded } from './recorded-session.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function socketDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'jujuc-client-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function listen(path: string, onConnection: (socket: Socket) => void): Promise<Server> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => {
    sockets.push(socket);
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  return server;
}

const command = (tool: string, argv: string[] = [], stdin?: string): ToolCommand => ({ tool, argv, ...(stdin === undefined ? {} : { stdin }) });

describe('JujucClient against a replay of Go’s net/rpc server (test/fixtures/jujuc-rpc)', () => {
  it('sends the bytes Go’s client sent, call by call, and makes of each answer what jujuc prints and exits with', async () => {
    const requests = perCall(recorded.clientToServer);
    const answers = perCall(recorded.serverToClient);
    const path = join(socketDir(), 'agent.socket');
    let received = Buffer.alloc(0);
    const mismatches: number[] = [];
    await listen(path, (socket) => {
      let answered = 0;
      let expectedLength = 0;
      socket.on('data', (chunk) => {
        received = Buffer.concat([received, chunk]);
        // Answer each call once all of it has arrived, as the Go server did.
        while (answered < requests.length && received.length >= expectedLength + requests[answered]!.length) {
          if (!received.subarray(expectedLength, expectedLength + requests[answered]!.length).equals(requests[answered]!)) mismatches.push(answered);
          expectedLength += requests[answered]!.length;
          socket.write(answers[answered]!);
          answered += 1;
        }
      });
    });

    const first = recorded.calls[0]!.request;
    const client = new JujucClient({ address: path, contextId: first.ContextId, token: first.Token });
    const runs: Promise<ToolRun | undefined>[] = [];
    const expected: ToolRun[] = [];
    recorded.calls.forEach((call, index) => {
      const retried = recorded.calls[index + 1]?.request.CommandName === call.request.CommandName && call.error === JUJUC_NO_STDIN;
      // jujuc's second call after "requires stdin" is the client's own doing, not a call of ours.
      if (index > 0 && recorded.calls[index - 1]!.error === JUJUC_NO_STDIN) return;
      const stdin = call.request.StdinSet ? Buffer.from(call.request.Stdin ?? '', 'base64').toString('utf8') : undefined;
      const cmd = command(call.request.CommandName, call.request.Args ?? [], stdin);
      const final = retried ? recorded.calls[index + 1]! : call;
      expected.push({
        tool: cmd.tool,
        argv: cmd.argv,
        exitCode: final.error === '' ? final.code : 1,
        stdout: final.error === '' ? final.stdout : '',
        stderr: final.error === '' ? final.stderr : `ERROR ${final.error}\n`,
      });
      // Made at once: the client queues them, one call on the connection at a time.
      runs.push(client.call(cmd, call.request.Dir));
    });

    expect(await Promise.all(runs)).toEqual(expected);
    expect(mismatches).toEqual([]);
    expect(received.toString('hex')).toBe(recorded.clientToServer.toString('hex'));
    // What the session shows: a tool's own failure, an RPC error as jujuc prints it, stdin asked for and sent.
    expect(expected).toContainEqual(expect.objectContaining({ exitCode: 1, stderr: 'ERROR this unit is not the leader\n' }));
    expect(expected).toContainEqual(expect.objectContaining({ exitCode: 1, stderr: 'ERROR bad request: Dir is not absolute\n' }));
    expect(expected.find((run) => run.tool === 'state-set')?.stdout).toContain('"stdinSet":true');
  });
});

describe('JujucClient falls back to processes', () => {
  it('when nothing listens: that call and every later one, even once something does', async () => {
    const path = join(socketDir(), 'agent.socket');
    const client = new JujucClient({ address: path, contextId: 'c', token: '' });
    expect(await client.call(command('is-leader'), '/')).toBeUndefined();
    let connections = 0;
    await listen(path, () => (connections += 1));
    expect(await client.call(command('is-leader'), '/')).toBeUndefined();
    expect(connections).toBe(0);
  });

  it('when the agent closes the connection during a call', async () => {
    const path = join(socketDir(), 'agent.socket');
    let connections = 0;
    await listen(path, (socket) => {
      connections += 1;
      socket.once('data', () => socket.destroy());
    });
    const client = new JujucClient({ address: path, contextId: 'c', token: '' });
    expect(await client.call(command('is-leader'), '/')).toBeUndefined();
    expect(await client.call(command('is-leader'), '/')).toBeUndefined();
    expect(connections).toBe(1);
  });

  it('when the agent answers something that is not gob: a value of a type it never defined, or text and goodbye', async () => {
    const path = join(socketDir(), 'agent.socket');
    // One whole message: 3 bytes, a value of type 10, which no definition announced.
    await listen(path, (socket) => socket.once('data', () => socket.write(Uint8Array.of(3, 0x14, 0, 0))));
    const client = new JujucClient({ address: path, contextId: 'c', token: '' });
    expect(await client.call(command('is-leader'), '/')).toBeUndefined();

    const httpPath = join(socketDir(), 'agent.socket');
    await listen(httpPath, (socket) => socket.once('data', () => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n')));
    expect(await new JujucClient({ address: httpPath, contextId: 'c', token: '' }).call(command('is-leader'), '/')).toBeUndefined();
  });

  it('when the answer is for another call (Seq)', async () => {
    const answers = perCall(recorded.serverToClient);
    const path = join(socketDir(), 'agent.socket');
    // The Go server's second answer (Seq 1) to our first call (Seq 0).
    await listen(path, (socket) => socket.once('data', () => socket.write(Buffer.concat([answers[0]!.subarray(0, 0), answers[1]!]))));
    const client = new JujucClient({ address: path, contextId: 'c', token: '' });
    expect(await client.call(command('is-leader'), '/')).toBeUndefined();
  });
});

describe('jujucSocketConfig', () => {
  const socketEnv = { JUJU_AGENT_SOCKET_ADDRESS: '@/var/lib/juju/agents/unit-minio-0/agent.socket', JUJU_CONTEXT_ID: 'minio/0-install-1' };

  it('takes a unix socket, or one whose network is unset, with the token when Juju 3 gives one', () => {
    expect(jujucSocketConfig({ ...socketEnv, JUJU_AGENT_SOCKET_NETWORK: 'unix' })).toEqual({
      address: '@/var/lib/juju/agents/unit-minio-0/agent.socket',
      contextId: 'minio/0-install-1',
      token: '',
    });
    expect(jujucSocketConfig({ ...socketEnv, JUJU_AGENT_TOKEN: 's3cret' })?.token).toBe('s3cret');
  });

  it('leaves TCP (TLS to a remote agent) and incomplete environments to processes', () => {
    expect(jujucSocketConfig({ ...socketEnv, JUJU_AGENT_SOCKET_NETWORK: 'tcp' })).toBeUndefined();
    expect(jujucSocketConfig({ JUJU_AGENT_SOCKET_ADDRESS: socketEnv.JUJU_AGENT_SOCKET_ADDRESS })).toBeUndefined();
    expect(jujucSocketConfig({ JUJU_CONTEXT_ID: 'x' })).toBeUndefined();
  });
});
