/**
 * `charms debug-code` and `charms debug-hooks`: a command waits in one terminal while
 * another command runs the unit's next hook, as with Juju 2.9, where `juju debug-hooks`
 * and `debug-code` open a tmux session on the unit and the uniter runs the next matching
 * hook or action inside it (juju/juju 2.9 worker/uniter/runner/debug/: the hook waits
 * for the session, and the session's end is the hook's end).
 *
 * The two sides meet through files in the model's `run/debug/` (owner-only, written in
 * one step), one set per unit:
 * - `<unit>.request.json`: the waiting command asks (which hooks, which `JUJU_DEBUG_AT`);
 *   the hook runner takes it for the next matching hook, so it serves one hook;
 * - `<unit>.session.json`: the runner says which hook started, and for debug-code the
 *   inspector's URL, for debug-hooks the hook's environment for the shell;
 * - `<unit>.exit.json`: debug-hooks' shell ended with this status (the hook's);
 * - `<unit>.end.json`: the hook is over, with its exit status.
 * A request whose waiting process has died is stale and ignored.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isAlive, thisProcess, type ProcessIdentity } from './process-groups.js';

/** debug-code runs the hook under the inspector; debug-hooks opens a shell instead of it. */
export type DebugKind = 'code' | 'hooks';

/** What a waiting command asks for. */
export interface DebugRequest {
  readonly kind: DebugKind;
  readonly unit: string;
  /** Hook or action names to debug (Juju's `[hook or action names]`); empty: the next one, whatever it is. */
  readonly names: readonly string[];
  /** `JUJU_DEBUG_AT` for debug-code (Juju's `--at`, default `all`). */
  readonly at?: string;
  readonly waiter: ProcessIdentity;
}

/** The hook the runner started for a request. */
export interface DebugSession {
  readonly kind: DebugKind;
  readonly unit: string;
  /** The hook's name, or `actions/<name>` for an action. */
  readonly hook: string;
  /** debug-code: the inspector's WebSocket URL, from Node's `Debugger listening on ws://…` line. */
  readonly url?: string;
  /** debug-hooks: the hook's environment and folder, for the shell. */
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  /**
   * Set when the hook ended before any session opened (debug-code: no Node announced an
   * inspector, as for a charm whose dispatch is not Node), with the hook's exit status.
   */
  readonly endedWith?: number;
}

/** Node's line on stderr once the inspector listens (node/src/inspector_socket_server.cc). */
const LISTENING = /Debugger listening on (ws:\/\/\S+)/;

/** The inspector URL in a line of a hook's stderr, if the line is Node's announcement. */
export function inspectorUrl(line: string): string | undefined {
  return LISTENING.exec(line)?.[1];
}

/** The DevTools address for an inspector URL: what Chrome opens for it. */
export function devtoolsUrl(url: string): string {
  return `devtools://devtools/bundled/js_app.html?experiments=true&v8only=true&ws=${url.replace(/^ws:\/\//, '')}`;
}

/** A VS Code launch configuration that attaches to the inspector at `url`. */
export function vscodeAttach(url: string, unit: string): object {
  const { hostname, port } = new URL(url);
  return { type: 'node', request: 'attach', name: `charms debug-code ${unit}`, address: hostname, port: Number(port), continueOnAttach: false };
}

function debugFile(modelDir: string, unit: string, part: 'request' | 'session' | 'exit' | 'end'): string {
  return join(modelDir, 'run', 'debug', `${unit.replace('/', '-')}.${part}.json`);
}

function writeJson(path: string, value: unknown): void {
  mkdirSync(join(path, '..'), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  // debug-hooks' environment names the model's folders; owner-only, as the model's state.
  writeFileSync(temporary, `${JSON.stringify(value)}\n`, { mode: 0o600 });
  renameSync(temporary, path);
}

function readJson<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Asks for the unit's next matching hook to be debugged (replacing an earlier request
 * of this unit), by this process, which must then wait (`waitForSession`).
 */
export function requestDebug(modelDir: string, request: Omit<DebugRequest, 'waiter'>): void {
  for (const part of ['session', 'exit', 'end'] as const) rmSync(debugFile(modelDir, request.unit, part), { force: true });
  writeJson(debugFile(modelDir, request.unit, 'request'), { ...request, waiter: thisProcess() });
}

/** Withdraws this process's request for `unit`, if it is still there (Ctrl-C before the hook came). */
export function cancelDebug(modelDir: string, unit: string): void {
  const request = readJson<DebugRequest>(debugFile(modelDir, unit, 'request'));
  if (request && request.waiter.pid === process.pid) rmSync(debugFile(modelDir, unit, 'request'), { force: true });
}

/**
 * The runner's side, as a hook or action starts: the unit's request if it matches `name`
 * (a hook name, or an action's name) and its waiter lives; taken, so that it serves this
 * hook alone. A stale request is removed.
 */
export function takeDebugRequest(modelDir: string, unit: string, name: string): DebugRequest | undefined {
  const path = debugFile(modelDir, unit, 'request');
  const request = readJson<DebugRequest>(path);
  if (!request) return undefined;
  if (!isAlive(request.waiter)) {
    rmSync(path, { force: true });
    return undefined;
  }
  if (request.names.length > 0 && !request.names.includes(name)) return undefined;
  rmSync(path, { force: true });
  return request;
}

/**
 * The runner's side: the hook has started (debug-code: its inspector listens). Given the
 * waiting command, a debug-code session lets the hook go on if that command dies before
 * the hook ends (Ctrl-C, a closed terminal): `--inspect-brk` would otherwise hold the hook,
 * and the operation running it holds the model's lock, for ever.
 */
export function openSession(modelDir: string, session: DebugSession, waiter?: ProcessIdentity): void {
  writeJson(debugFile(modelDir, session.unit, 'session'), session);
  if (session.kind === 'code' && session.url !== undefined && waiter !== undefined) void releaseWhenWaiterDies(modelDir, session.unit, session.url, waiter);
}

/** Watches the waiting command while the hook runs; if it dies, releases the paused hook. */
async function releaseWhenWaiterDies(modelDir: string, unit: string, url: string, waiter: ProcessIdentity): Promise<void> {
  const ended = () => existsSync(debugFile(modelDir, unit, 'end'));
  while (!ended() && isAlive(waiter)) await sleep(WATCH_MS);
  if (ended()) return;
  // Nobody will read the session: it goes, and the hook runs on. A release that comes
  // before Node has begun to wait is lost (seen on a busy machine), so it is sent again
  // until the hook is over.
  rmSync(debugFile(modelDir, unit, 'session'), { force: true });
  while (!ended()) {
    await releaseInspector(url);
    await sleep(RELEASE_AGAIN_MS);
  }
}

/**
 * Lets a process that waits for a debugger (`--inspect-brk`) run: attaches to its
 * inspector, asks it to run (the DevTools protocol's `Runtime.runIfWaitingForDebugger`)
 * and detaches, after which its `debugger` statements pause nothing. Never throws: a
 * process already gone needs nothing.
 */
export async function releaseInspector(url: string): Promise<void> {
  const { default: WebSocket } = await import('ws');
  await new Promise<void>((done) => {
    const socket = new WebSocket(url);
    socket.on('open', () => socket.send(JSON.stringify({ id: 1, method: 'Runtime.runIfWaitingForDebugger' })));
    // The answer to the one call: detach.
    socket.on('message', () => socket.close());
    socket.on('close', () => done());
    socket.on('error', () => done());
  });
}

/** The runner's side: the hook is over, with this exit status. */
export function endSession(modelDir: string, unit: string, exitCode: number): void {
  writeJson(debugFile(modelDir, unit, 'end'), { exitCode });
}

/** debug-hooks' side: the shell ended with `exitCode`, which becomes the hook's. */
export function shellExited(modelDir: string, unit: string, exitCode: number): void {
  writeJson(debugFile(modelDir, unit, 'exit'), { exitCode });
}

const POLL_MS = 50;
/** How often a running debug-code hook checks that its waiting command lives. */
const WATCH_MS = 250;
/** How often a hook whose waiting command died is told again to run on. */
const RELEASE_AGAIN_MS = 1000;

/**
 * The waiting command's side: the session once the runner opens it, or undefined when
 * `signal` aborts first.
 */
export async function waitForSession(modelDir: string, unit: string, signal?: AbortSignal): Promise<DebugSession | undefined> {
  const path = debugFile(modelDir, unit, 'session');
  while (!signal?.aborted) {
    const session = readJson<DebugSession>(path);
    if (session) return session;
    // The hook came and went without a session: say how it ended rather than wait for ever.
    const end = readJson<{ exitCode: number }>(debugFile(modelDir, unit, 'end'));
    if (end) {
      rmSync(debugFile(modelDir, unit, 'end'), { force: true });
      return { kind: 'code', unit, hook: '', endedWith: end.exitCode };
    }
    await sleep(POLL_MS, undefined, { signal }).catch(() => undefined);
  }
  return undefined;
}

/** The waiting command's side: the hook's exit status once it is over (undefined if `signal` aborts first). */
export async function waitForEnd(modelDir: string, unit: string, signal?: AbortSignal): Promise<number | undefined> {
  const path = debugFile(modelDir, unit, 'end');
  while (!signal?.aborted) {
    const end = readJson<{ exitCode: number }>(path);
    if (end) {
      for (const part of ['session', 'end'] as const) rmSync(debugFile(modelDir, unit, part), { force: true });
      return end.exitCode;
    }
    await sleep(POLL_MS, undefined, { signal }).catch(() => undefined);
  }
  return undefined;
}

/**
 * The runner's side of debug-hooks: the hook does not run; the waiting command opens a
 * shell in its environment, and the shell's exit status is the hook's. A waiter that
 * dies before it says one fails the hook (status 1), as the hook did not run to an end.
 */
export async function shellInsteadOfHook(modelDir: string, request: DebugRequest, session: DebugSession): Promise<number> {
  const exitPath = debugFile(modelDir, request.unit, 'exit');
  rmSync(exitPath, { force: true });
  openSession(modelDir, session);
  for (;;) {
    const exit = readJson<{ exitCode: number }>(exitPath);
    if (exit) {
      rmSync(exitPath, { force: true });
      return exit.exitCode;
    }
    if (!isAlive(request.waiter)) {
      // The session (the hook's environment) was for the shell that will not come.
      rmSync(debugFile(modelDir, request.unit, 'session'), { force: true });
      return 1;
    }
    await sleep(POLL_MS);
  }
}

/** Whether the model has a request waiting for `unit` (for status lines and tests). */
export function debugRequested(modelDir: string, unit: string): boolean {
  return existsSync(debugFile(modelDir, unit, 'request'));
}
