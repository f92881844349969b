/**
 * Pebble's exec (canonical/pebble internals/daemon/api_exec.go, api_tasks.go and
 * internals/overlord/cmdstate/handlers.go): `POST /v1/exec` answers with an async change
 * whose one task owns up to three websockets, `control`, `stdio` and (with
 * `split-stderr`) `stderr`, at `/v1/tasks/<task-id>/websocket/<id>`. The command starts
 * once the I/O websockets are connected (5 seconds at most, as cmdstate's
 * connectTimeout); stdin arrives as binary messages on `stdio`, ended by the text message
 * `{"command":"end"}`; stdout (and stderr) leave as binary messages ended the same way;
 * `control` takes `{"command":"signal","signal":{"name":"SIGTERM"}}`. The exit code is
 * the task's `data["exit-code"]`. The command runs as a local process only when the
 * model runs workloads; otherwise the task ends in Error once the client is connected.
 */
import type { IncomingMessage } from 'node:http';
import { existsSync } from 'node:fs';
import { posix } from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { finishTask, type PebbleChange, type PebbleChanges, type PebbleTask } from './pebble-changes.js';
import { formatDuration, parseDuration } from './pebble-durations.js';
import { workloadBaseEnvironment } from './pebble-environment.js';
import type { PebbleProcessRecord } from './pebble-leftovers.js';
import type { PebblePlan } from './pebble-plan-merge.js';
import type { ContainerFilesystem } from './container-filesystem.js';
import { signalExitCode, signalGroup, spawnWorkload } from './workload-sandbox.js';

/** cmdstate's connectTimeout: how long the I/O websockets have to connect. */
const CONNECT_TIMEOUT_MS = 5000;
const END = JSON.stringify({ command: 'end' });

/** The body of `POST /v1/exec` (api_exec.go's execPayload). */
export interface ExecPayload {
  command?: unknown;
  'service-context'?: string;
  environment?: Record<string, string>;
  'working-dir'?: string;
  timeout?: string;
  terminal?: boolean;
  interactive?: boolean;
  'split-stderr'?: boolean;
  width?: number;
  height?: number;
}

/** A refusal of `POST /v1/exec` before any change exists: a 400 with Pebble's text. */
export class ExecRefused extends Error {}

interface Execution {
  readonly task: PebbleTask;
  readonly command: readonly string[];
  readonly environment: Record<string, string>;
  /** Container path. */
  readonly workingDir: string;
  readonly timeoutMs: number;
  readonly splitStderr: boolean;
  readonly sockets: Map<string, WebSocket | null>;
  ioConnected: () => void;
  readonly ioReady: Promise<void>;
  /** Messages received per websocket before its reader was set. */
  readonly inboxes: Map<string, { data: Buffer; isBinary: boolean }[]>;
  /** Who reads each websocket's messages once the command runs. */
  readonly readers: Map<string, (data: Buffer, isBinary: boolean) => void>;
  pid?: number;
}

export interface ExecOptions {
  readonly changes: PebbleChanges;
  readonly runWorkloads: boolean;
  /** The container's files: the command runs inside them (workload-sandbox.ts). */
  readonly container: ContainerFilesystem;
  readonly log: (line: string) => void;
  /** Where the process groups it starts are recorded, for the next server to end after a crash. */
  readonly record?: PebbleProcessRecord;
}

/** The exec tasks of one Pebble server and their websockets. */
export class PebbleExec {
  private readonly executions = new Map<string, Execution>();
  private readonly server = new WebSocketServer({ noServer: true });
  private readonly running = new Set<Promise<void>>();
  private closing = false;

  constructor(private readonly options: ExecOptions) {}

  /**
   * Starts an exec as `POST /v1/exec`: returns the change and the async result
   * (`task-id`, `environment`, `working-dir`).
   * @throws ExecRefused with Pebble's text for a bad payload or a missing executable.
   */
  create(payload: ExecPayload, plan: PebblePlan): { change: PebbleChange; result: Record<string, unknown> } {
    const command = payload.command;
    if (!Array.isArray(command) || command.length < 1 || !command.every((word) => typeof word === 'string')) throw new ExecRefused('must specify command');
    const timeoutMs = payload.timeout ? parseDuration(payload.timeout) : 0;
    if (timeoutMs === undefined) throw new ExecRefused(`invalid timeout: time: invalid duration ${JSON.stringify(payload.timeout)}`);
    if (payload.terminal || payload.interactive) {
      throw new ExecRefused('the local model cannot give an exec a terminal (terminal and interactive need a pty); run the command without them');
    }
    // plan.MergeServiceContext: the service's environment and working-dir under the payload's.
    let environment = { ...(payload.environment ?? {}) };
    let workingDir = payload['working-dir'] ?? '';
    const context = payload['service-context'];
    if (context) {
      const service = plan.services[context];
      if (service === undefined) throw new ExecRefused(`context service ${JSON.stringify(context)} not found`);
      environment = { ...(service.environment ?? {}), ...environment };
      workingDir = workingDir || service['working-dir'] || '';
    }
    const fullEnvironment = { ...workloadBaseEnvironment(), ...environment };
    const containerDir = workingDir ? posix.normalize(workingDir) : '/';
    if (!containerDir.startsWith('/')) throw new ExecRefused(`working-dir must be absolute, got ${JSON.stringify(workingDir)}`);
    let executable = command[0] as string;
    if (this.options.runWorkloads) {
      const found = this.options.container.findExecutable(executable, fullEnvironment.PATH ?? '', containerDir);
      if (typeof found !== 'string') throw new ExecRefused(`cannot find executable ${JSON.stringify(command[0])}`);
      executable = found;
    }
    const change = this.options.changes.newChange('exec', `Execute command ${JSON.stringify(command[0])}`, [
      { kind: 'exec', summary: `Execute command ${JSON.stringify(command[0])}` },
    ]);
    const task = change.tasks[0]!;
    let ioConnected!: () => void;
    const ioReady = new Promise<void>((resolve) => (ioConnected = resolve));
    const execution: Execution = {
      task,
      command: [executable, ...(command as string[]).slice(1)],
      environment: fullEnvironment,
      workingDir: containerDir,
      timeoutMs,
      splitStderr: payload['split-stderr'] === true,
      sockets: new Map<string, WebSocket | null>([['control', null], ['stdio', null], ...(payload['split-stderr'] ? [['stderr', null] as [string, null]] : [])]),
      ioConnected,
      ioReady,
      inboxes: new Map(),
      readers: new Map(),
    };
    this.executions.set(task.id, execution);
    const run = this.run(execution, change).finally(() => {
      this.executions.delete(task.id);
      this.running.delete(run);
    });
    this.running.add(run);
    return { change, result: { environment: fullEnvironment, 'task-id': task.id, 'working-dir': containerDir } };
  }

  /**
   * Takes the HTTP upgrade of `/v1/tasks/<task-id>/websocket/<id>`; answers Pebble's
   * 404 envelope for an unknown task or websocket.
   */
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer, taskId: string, websocketId: string, refuse: (status: number, message: string) => void): void {
    const execution = this.executions.get(taskId);
    if (execution === undefined) {
      const task = this.options.changes.task(taskId);
      if (task === undefined) return refuse(404, `cannot find task ${JSON.stringify(taskId)}`);
      if (task.kind !== 'exec') return refuse(400, `${JSON.stringify(task.kind)} tasks do not have websockets`);
      return refuse(404, `cannot find ${websocketId} websocket for task ${JSON.stringify(taskId)}`);
    }
    if (!execution.sockets.has(websocketId)) return refuse(404, `cannot find ${websocketId} websocket for task ${JSON.stringify(taskId)}`);
    if (execution.sockets.get(websocketId) !== null) return refuse(500, `${websocketId} websocket already connected`);
    this.server.handleUpgrade(request, socket, head, (ws) => {
      execution.sockets.set(websocketId, ws);
      // Messages can arrive before the command starts (stdin sent right after the handshake): keep them until then.
      const inbox = execution.inboxes.get(websocketId) ?? [];
      execution.inboxes.set(websocketId, inbox);
      ws.on('message', (data, isBinary) => {
        const reader = execution.readers.get(websocketId);
        if (reader) reader(data as Buffer, isBinary);
        else inbox.push({ data: data as Buffer, isBinary });
      });
      if (execution.sockets.get('stdio') && (!execution.splitStderr || execution.sockets.get('stderr'))) execution.ioConnected();
    });
  }

  /** Ends every running exec (the server is closing) and waits for their tasks. */
  async close(): Promise<void> {
    this.closing = true;
    for (const execution of this.executions.values()) {
      signalGroup(execution.pid, 'SIGKILL');
      execution.ioConnected();
    }
    await Promise.all([...this.running]);
    for (const client of this.server.clients) client.terminate();
    this.server.close();
  }

  private async run(execution: Execution, change: PebbleChange): Promise<void> {
    const { task } = execution;
    task.status = 'Doing';
    let timer: NodeJS.Timeout | undefined;
    const connected = await Promise.race([
      execution.ioReady.then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), CONNECT_TIMEOUT_MS))),
    ]);
    clearTimeout(timer);
    try {
      if (this.closing) {
        finishTask(task, 'exec aborted: the Pebble server is closing');
        return;
      }
      if (!connected) {
        finishTask(task, `exec ${task.id}: timeout waiting for websocket connections: context deadline exceeded`);
        return;
      }
      const error = await this.runCommand(execution);
      finishTask(task, error);
    } finally {
      this.closeSockets(execution);
      change.markReady();
    }
  }

  /** Runs the command with its streams on the websockets; returns an error text, or undefined with the exit code set. */
  private runCommand(execution: Execution): Promise<string | undefined> {
    const { task, command } = execution;
    const stdio = execution.sockets.get('stdio')!;
    const stderrSocket = execution.splitStderr ? execution.sockets.get('stderr')! : stdio;
    const outputs = execution.splitStderr ? [stdio, stderrSocket] : [stdio];
    const setExitCode = (code: number): void => {
      task.data = { 'exit-code': code };
    };
    if (!this.options.runWorkloads) {
      for (const socket of outputs) sendText(socket, END);
      setExitCode(-1);
      return Promise.resolve(`cannot run ${JSON.stringify(command[0])}: the local model runs no workloads (deploy with --run-workloads to run exec commands as local processes)`);
    }
    if (!existsSync(this.options.container.resolve(execution.workingDir).host)) {
      for (const socket of outputs) sendText(socket, END);
      setExitCode(-1);
      return Promise.resolve(`chdir ${execution.workingDir}: no such file or directory`);
    }
    return new Promise((resolve) => {
      this.options.log(`Exec ${task.id}: running ${JSON.stringify(command[0])}`);
      // Setsid as Pebble's exec: the command and its children are one group to signal.
      const child = spawnWorkload(this.options.container, { command, workingDir: execution.workingDir, environment: execution.environment, stdin: 'pipe' });
      execution.pid = child.pid;
      if (child.pid !== undefined) this.options.record?.add(child.pid);
      let timedOut = false;
      const timeout = execution.timeoutMs > 0 ? setTimeout(() => {
        timedOut = true;
        signalGroup(child.pid, 'SIGKILL');
      }, execution.timeoutMs) : undefined;
      child.stdin.on('error', () => undefined);
      const read = (id: string, reader: (data: Buffer, isBinary: boolean) => void): void => {
        for (const message of execution.inboxes.get(id)?.splice(0) ?? []) reader(message.data, message.isBinary);
        execution.readers.set(id, reader);
      };
      read('stdio', (data, isBinary) => {
        if (isBinary) {
          child.stdin.write(data);
        } else if (parseCommandMessage(data)?.command === 'end') {
          child.stdin.end();
        }
      });
      stdio.on('close', () => child.stdin.end());
      read('control', (data) => {
        const message = parseCommandMessage(data);
        if (message?.command === 'signal' && typeof message.signal?.name === 'string' && child.pid !== undefined) {
          try {
            // To the group: the command runs under the sandbox's unshare, which forwards nothing.
            process.kill(-child.pid, message.signal.name as NodeJS.Signals);
          } catch (error) {
            this.options.log(`Exec ${task.id}: control command "signal" cannot forward ${message.signal.name}: ${(error as Error).message}`);
          }
        }
      });
      child.stdout.on('data', (chunk: Buffer) => sendBinary(stdio, chunk));
      child.stderr.on('data', (chunk: Buffer) => sendBinary(stderrSocket, chunk));
      child.on('error', (error) => {
        clearTimeout(timeout);
        for (const socket of outputs) sendText(socket, END);
        setExitCode(-1);
        resolve(`cannot start command: ${error.message}`);
      });
      // 'close' comes after stdout and stderr have ended, so every byte has been sent.
      child.on('exit', () => {
        if (child.pid !== undefined) this.options.record?.remove(child.pid);
      });
      child.on('close', (code, signal) => {
        clearTimeout(timeout);
        execution.pid = undefined;
        for (const socket of outputs) sendText(socket, END);
        if (timedOut) {
          setExitCode(-1);
          resolve(`timed out after ${formatDuration(execution.timeoutMs)}: context deadline exceeded`);
          return;
        }
        // Pebble's reaper reports 128 + the signal for a process a signal ended.
        setExitCode(code ?? (signal ? signalExitCode(signal) : 128));
        resolve(undefined);
      });
    });
  }

  private closeSockets(execution: Execution): void {
    for (const socket of execution.sockets.values()) {
      if (socket && socket.readyState === socket.OPEN) socket.close(1000);
    }
  }
}

function parseCommandMessage(data: Buffer): { command?: string; signal?: { name?: unknown } } | undefined {
  try {
    return JSON.parse(data.toString('utf8')) as { command?: string; signal?: { name?: unknown } };
  } catch {
    return undefined;
  }
}

function sendBinary(socket: WebSocket, chunk: Buffer): void {
  if (socket.readyState === socket.OPEN) socket.send(chunk, { binary: true });
}

function sendText(socket: WebSocket, text: string): void {
  if (socket.readyState === socket.OPEN) socket.send(text, { binary: false });
}
