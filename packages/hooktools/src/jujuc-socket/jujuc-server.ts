import type { Server, Socket } from 'node:net';
import { isAbsolute } from 'node:path';
import { GobConnection } from './gob-connection.js';
import {
  EXEC_RESPONSE,
  INVALID_REQUEST,
  JUJUC_METHOD,
  JUJUC_REQUEST,
  RPC_RESPONSE,
  readJujucRequest,
  readRpcHeader,
  type JujucRequest,
} from './jujuc-messages.js';
import { socketPath } from './socket-address.js';

/** One hook-tool call as a unit agent receives it. */
export interface JujucCall {
  readonly contextId: string;
  /** The caller's working folder (absolute). */
  readonly dir: string;
  readonly commandName: string;
  readonly args: readonly string[];
  /** What the caller sent as stdin, or undefined when it sent none (StdinSet false). */
  readonly stdin: string | undefined;
  /** JUJU_AGENT_TOKEN as the caller sent it ('' when it had none). */
  readonly token: string;
}

/** What a tool printed and how it ended (exec.ExecResponse). */
export interface JujucAnswer {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A listening hook-tool server. */
export interface JujucListener {
  /** The address it listens on, as given ('@…' for an abstract socket). */
  readonly address: string;
  /** Stops listening and closes every open connection. */
  close(): Promise<void>;
}

/**
 * Serves `Jujuc.Main` on a unix socket as a Juju 2.9 unit agent does (Go's net/rpc with
 * gob), so that jujuc, a Go net/rpc client, or `ProcessHookTools` can call hook tools
 * on it. `address` starting with '@' is an abstract socket. Calls run one at a time
 * across all connections, as the agent's Jujuc.Main holds a mutex.
 *
 * Before `answer` is asked, the server refuses what Jujuc.Main refuses itself: an empty
 * command (`bad request: command not specified`) and a relative Dir (`bad request: Dir
 * is not absolute`); the token and the context id are `answer`'s to check. When
 * `answer` throws, its message becomes the RPC error the caller sees (jujuc prints
 * `ERROR <message>` and exits 1); a tool that needs stdin the call did not bring
 * throws `hook tool requires stdin, none supplied`, and jujuc asks again with it.
 *
 * @throws Error (Node's, e.g. EADDRINUSE) when it cannot listen on `address`.
 * @example
 * const listener = await listenJujuc('@/tmp/model/run/agent.socket', async (call) => ({ code: 0, stdout: 'true\n', stderr: '' }));
 * // … hooks run with JUJU_AGENT_SOCKET_ADDRESS=@/tmp/model/run/agent.socket …
 * await listener.close();
 */
export async function listenJujuc(address: string, answer: (call: JujucCall) => Promise<JujucAnswer>): Promise<JujucListener> {
  const { createServer } = await import('node:net');
  const sockets = new Set<Socket>();
  let line: Promise<unknown> = Promise.resolve();
  const oneAtATime = <T>(task: () => Promise<T>): Promise<T> => {
    const result = line.then(task, task);
    line = result.catch(() => undefined);
    return result;
  };
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    void serveConnection(new GobConnection(socket), answer, oneAtATime);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath(address), () => {
      server.off('error', reject);
      // Once listening, a failure to accept (too many open files) must not end the
      // process that serves: a caller that cannot connect runs its tools another way.
      server.on('error', () => undefined);
      resolve();
    });
  });
  return {
    address,
    close: () => closeServer(server, sockets),
  };
}

async function serveConnection(
  connection: GobConnection,
  answer: (call: JujucCall) => Promise<JujucAnswer>,
  oneAtATime: <T>(task: () => Promise<T>) => Promise<T>,
): Promise<void> {
  try {
    for (;;) {
      const header = readRpcHeader(await connection.next());
      const body = await connection.next();
      const methodError = unknownMethod(header.serviceMethod);
      let error: string;
      let result: JujucAnswer | undefined;
      if (methodError) {
        error = methodError;
      } else {
        const request = readJujucRequest(body);
        const refused = refusal(request);
        if (refused) {
          error = refused;
        } else {
          try {
            result = await oneAtATime(() => answer(toCall(request)));
            error = '';
          } catch (thrown) {
            error = thrown instanceof Error ? thrown.message : String(thrown);
            // net/rpc cannot send an empty error: Go would send the answer as a success.
            if (error === '') error = 'hook tool failed';
          }
        }
      }
      const responseHeader = { ServiceMethod: header.serviceMethod, Seq: header.seq, Error: error };
      connection.send(
        [RPC_RESPONSE, responseHeader],
        result && error === ''
          ? [EXEC_RESPONSE, { Code: result.code, Stdout: Buffer.from(result.stdout, 'utf8'), Stderr: Buffer.from(result.stderr, 'utf8') }]
          : [INVALID_REQUEST, {}],
      );
    }
  } catch {
    // The peer went away or sent what is not a net/rpc gob stream: as Go's ServeConn, drop the connection.
    connection.socket.destroy();
  }
}

/** net/rpc's own refusal of a method this server does not have (net/rpc server.go readRequestHeader). */
function unknownMethod(serviceMethod: string): string | undefined {
  if (serviceMethod === JUJUC_METHOD) return undefined;
  const dot = serviceMethod.lastIndexOf('.');
  if (dot < 0) return `rpc: service/method request ill-formed: ${serviceMethod}`;
  if (serviceMethod.slice(0, dot) !== 'Jujuc') return `rpc: can't find service ${serviceMethod}`;
  return `rpc: can't find method ${serviceMethod}`;
}

/** What Jujuc.Main refuses before running anything (worker/uniter/runner/jujuc/server.go). */
function refusal(request: JujucRequest): string | undefined {
  if (request.commandName === '') return 'bad request: command not specified';
  if (!isAbsolute(request.dir)) return 'bad request: Dir is not absolute';
  return undefined;
}

function toCall(request: JujucRequest): JujucCall {
  return {
    contextId: request.contextId,
    dir: request.dir,
    commandName: request.commandName,
    args: request.args,
    stdin: request.stdinSet ? Buffer.from(request.stdin).toString('utf8') : undefined,
    token: request.token,
  };
}

function closeServer(server: Server, sockets: ReadonlySet<Socket>): Promise<void> {
  return new Promise((resolve) => {
    for (const socket of sockets) socket.destroy();
    server.close(() => resolve());
  });
}
