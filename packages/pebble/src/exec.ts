import { connect } from 'node:net';
import WebSocket from 'ws';
import type { Change } from './change.js';
import { ChangeError, ConnectionError, PebbleError } from './errors.js';
import type { Send } from './files.js';
import { asyncResult, goDuration, readEnvelope } from './transport.js';

/**
 * Running a command in the container: `POST /v1/exec` starts an exec change whose task
 * serves three websockets, `control`, `stdio` and (with `split-stderr`) `stderr`, at
 * `/v1/tasks/{task-id}/websocket/{id}`. Binary messages carry the bytes; a text message
 * `{"command":"end"}` ends a stream (Pebble's `internals/wsutil/wsutil.go`, the barrier
 * both sides send). The exit code is the task's `exit-code` once the change is ready
 * (Pebble's `client/exec.go` Exec/Wait, ops' `ops/pebble.py` `Client.exec`).
 */

/** `exec` options (Pebble's `ExecOptions`). */
export interface ExecOptions {
  /** Sent to the command's standard input, then end of input. */
  readonly stdin?: string | Uint8Array;
  /** Variables added to the command's environment (or to the service context's). */
  readonly environment?: Readonly<Record<string, string>>;
  readonly workingDir?: string;
  /** Pebble kills the command after this long and the exec ends in a `ChangeError`. */
  readonly timeoutMs?: number;
  /** Run with this service's environment, user, group and working folder (overridden by the options above). */
  readonly serviceContext?: string;
  readonly userId?: number;
  readonly user?: string;
  readonly groupId?: number;
  readonly group?: string;
}

/** What a finished command printed and how it ended. */
export interface ExecResult {
  readonly stdout: string;
  readonly stderr: string;
  /** A non-zero code is returned here, not thrown: the caller decides what failure means. */
  readonly exitCode: number;
}

/** What exec needs from the client. */
export interface ExecTransport {
  readonly socketPath: string;
  readonly send: Send;
  readonly waitChange: (id: string, options: { timeoutMs?: number }) => Promise<Change>;
}

const END_OF_STREAM = JSON.stringify({ command: 'end' });

function execPayload(command: readonly string[], options: ExecOptions): Record<string, unknown> {
  // Empty fields are left out, as the Go client's `omitempty` does.
  const payload: Record<string, unknown> = { command, 'split-stderr': true };
  if (options.serviceContext) payload['service-context'] = options.serviceContext;
  if (options.environment && Object.keys(options.environment).length > 0) payload['environment'] = options.environment;
  if (options.workingDir) payload['working-dir'] = options.workingDir;
  if (options.timeoutMs !== undefined && options.timeoutMs > 0) payload['timeout'] = goDuration(options.timeoutMs);
  if (options.userId !== undefined) payload['user-id'] = options.userId;
  if (options.user) payload['user'] = options.user;
  if (options.groupId !== undefined) payload['group-id'] = options.groupId;
  if (options.group) payload['group'] = options.group;
  return payload;
}

/** Opens one of the task's websockets; a refused handshake becomes the error Pebble sent. */
function openTaskSocket(socketPath: string, taskId: string, id: string): Promise<WebSocket> {
  const path = `/v1/tasks/${encodeURIComponent(taskId)}/websocket/${id}`;
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://localhost${path}`, {
      createConnection: (() => connect(socketPath)) as unknown as WebSocket.ClientOptions['createConnection'],
      handshakeTimeout: 5000,
    });
    socket.once('open', () => {
      // Later failures end the streams through 'close'; this keeps them from being unhandled.
      socket.on('error', () => undefined);
      resolve(socket);
    });
    socket.once('unexpected-response', (_request, response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        socket.terminate();
        try {
          readEnvelope(Buffer.concat(chunks).toString('utf8'), `GET ${path}`);
          reject(new PebbleError(`Pebble refused the ${id} websocket of task ${taskId} (${response.statusCode})`, { code: 'PEBBLE_PROTOCOL', statusCode: response.statusCode ?? null }));
        } catch (error) {
          reject(error);
        }
      });
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === undefined ? error : new ConnectionError(socketPath, `the ${id} websocket of task ${taskId} failed: ${error.message}`, error));
    });
  });
}

/** Collects a stream's binary messages until Pebble's end barrier or the socket's close. */
function receiveStream(socket: WebSocket): Promise<Buffer> {
  const chunks: Buffer[] = [];
  return new Promise((resolve) => {
    const finish = () => resolve(Buffer.concat(chunks));
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) {
        chunks.push(Buffer.from(data));
        return;
      }
      try {
        if ((JSON.parse(data.toString('utf8')) as { command?: unknown }).command === 'end') finish();
      } catch {
        // A text message that is no command: Pebble's recvLoop ignores it too.
      }
    });
    socket.on('close', finish);
  });
}

function sendStdin(socket: WebSocket, stdin: string | Uint8Array | undefined): void {
  const bytes = stdin === undefined ? undefined : typeof stdin === 'string' ? Buffer.from(stdin, 'utf8') : Buffer.from(stdin);
  if (bytes !== undefined && bytes.length > 0) socket.send(bytes, { binary: true });
  socket.send(END_OF_STREAM, { binary: false });
}

/**
 * Runs `command` in the container and waits for it to end.
 *
 * @throws {PebbleError} Pebble's refusal (`PEBBLE_API_ERROR`, such as `cannot find executable`).
 * @throws {ChangeError} `PEBBLE_CHANGE_FAILED` when the exec change ends in `Error` (the command timed out).
 * @throws {ConnectionError} `PEBBLE_CONNECTION` when the socket cannot be reached.
 */
export async function runExec(transport: ExecTransport, command: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
  if (command.length === 0) throw new PebbleError('exec needs a command: give at least the program, as exec(["echo", "hi"])', { code: 'PEBBLE_USAGE' });
  const what = `POST /v1/exec (${command[0]})`;
  const started = asyncResult(await transport.send({ method: 'POST', path: '/v1/exec', json: execPayload(command, options) }), what);
  const taskId = (started.result as { 'task-id'?: unknown } | null)?.['task-id'];
  if (typeof taskId !== 'string') throw new PebbleError(`Pebble answered ${what} with no task-id`, { code: 'PEBBLE_PROTOCOL' });

  const sockets: WebSocket[] = [];
  try {
    // Connected in the order Pebble's client and ops use: control, then stdio, then stderr.
    for (const id of ['control', 'stdio', 'stderr']) sockets.push(await openTaskSocket(transport.socketPath, taskId, id));
    const [, stdio, stderrSocket] = sockets as [WebSocket, WebSocket, WebSocket];
    const stdout = receiveStream(stdio);
    const stderr = receiveStream(stderrSocket);
    sendStdin(stdio, options.stdin);
    // A little more than the command's own timeout, so Pebble's timeout is the one that fires (as ops does).
    // Without a timeout the command may run as long as it needs, and so does the wait.
    const waitOptions = { timeoutMs: options.timeoutMs !== undefined && options.timeoutMs > 0 ? options.timeoutMs + 1000 : Number.POSITIVE_INFINITY };
    const change = await transport.waitChange(started.change, waitOptions);
    const [out, err] = await Promise.all([stdout, stderr]);
    if (change.err !== undefined || change.status === 'Error') throw new ChangeError(change);
    const exitCode = change.tasks[0]?.data['exit-code'];
    if (typeof exitCode !== 'number') throw new PebbleError(`exec change ${change.id} is ready but its task holds no exit-code`, { code: 'PEBBLE_PROTOCOL' });
    return { stdout: out.toString('utf8'), stderr: err.toString('utf8'), exitCode };
  } finally {
    for (const socket of sockets) socket.terminate();
  }
}
