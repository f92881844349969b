/**
 * Hooks started ahead of their turn. Juju runs a unit's hooks one after the other, and so
 * does the model: a hook's charm code starts only when the hook before it has ended and
 * been committed. But most of a short hook is Node starting (on a small machine about
 * half of it), and nothing of the charm runs in that time. So while a hook runs, the
 * model starts the process of the hook it expects next with a gate on it: the charm's
 * start script (built by charms build; its gate is in @charms/build's
 * code-cache-loader.ts) waits on a pipe before it loads anything of the charm. When that
 * hook's turn comes and its environment is the one foreseen, the model opens the gate;
 * otherwise (another hook runs next, or none) it closes the pipe, and the process exits
 * without running anything. The hook's time is counted from the gate's opening.
 *
 * Only a charm whose start honours the gate is started early: its `dispatch` must be the
 * one charms build writes, byte for byte (its sha256 below: hook-prestart.test.ts builds
 * a charm and finds it honours the gate), with no embedded Node (`bin/charm`, which dispatch would run instead),
 * and its `dist/start.cjs` must say it has the gate. Any other charm's hooks start in
 * their turn, as before. Juju itself never sets the gate's variable.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HookReaper } from './hook-reaper.js';
import type { HookEvent, ModelRecord, UnitRecord } from './model-state.js';

/** The variable naming the gate's file descriptor (@charms/build's HOOK_GATE_VARIABLE). */
export const HOOK_GATE_VARIABLE = 'CHARMS_HOOK_GATE';

/** What a start script with the gate says of itself (@charms/build's HOOK_GATE_MARKER). */
export const HOOK_GATE_MARKER = 'charms-hook-gate/1';

/** The sha256 of the `dispatch` charms build writes (@charms/build's DISPATCH_SCRIPT). */
export const GATED_DISPATCH_SHA256 = '26e248446b4866939ed14d5094e3264eb27e9d9cc6816dd53e4fb50b6289adab';

/** The descriptor of the gate in the hook's process: the pipe after stdin, stdout and stderr. */
const GATE_FD = 3;

/** Whether the charm in `charmDir` waits at the gate when started with it (see the module's comment). */
export function honoursHookGate(charmDir: string): boolean {
  try {
    if (existsSync(join(charmDir, 'bin', 'charm'))) return false;
    const dispatch = readFileSync(join(charmDir, 'dispatch'));
    if (createHash('sha256').update(dispatch).digest('hex') !== GATED_DISPATCH_SHA256) return false;
    return readFileSync(join(charmDir, 'dist', 'start.cjs'), 'utf8').includes(HOOK_GATE_MARKER);
  } catch {
    return false;
  }
}

/** A hook's `dispatch` started with the gate closed. */
export class PrestartedHook {
  /** The process, its stdout and stderr not yet read. */
  readonly child: ChildProcess;
  /** The charm folder and environment it was started with: it runs only a hook that has exactly these. */
  readonly key: string;
  #exited = false;

  private constructor(child: ChildProcess, key: string) {
    this.child = child;
    this.key = key;
    child.once('exit', () => {
      this.#exited = true;
    });
    // A process that could not start is told of when it would have run: spawned again then.
    child.on('error', () => {
      this.#exited = true;
    });
    child.stdio[GATE_FD]?.on('error', () => undefined);
  }

  /**
   * Starts `dispatch` in `charmDir` with `env`, its own process group, and the gate closed.
   * @param started told the process group as it starts (the reaper's, see hook-reaper.ts)
   */
  static start(charmDir: string, env: NodeJS.ProcessEnv, started: (pgid: number) => void): PrestartedHook {
    const child = spawn(join(charmDir, 'dispatch'), [], {
      cwd: charmDir,
      env: { ...env, [HOOK_GATE_VARIABLE]: String(GATE_FD) },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    });
    if (child.pid !== undefined) started(child.pid);
    return new PrestartedHook(child, prestartKey(charmDir, env));
  }

  /** Whether it is still waiting at the gate (it has neither exited nor failed to start). */
  get waiting(): boolean {
    return !this.#exited && this.child.pid !== undefined;
  }

  /** Lets the hook run. */
  open(): void {
    const gate = this.child.stdio[GATE_FD] as NodeJS.WritableStream;
    gate.end('g');
  }

  /** Ends it unrun: with the gate's pipe closed, the process exits by itself, before any of the charm's code has run. */
  discard(): void {
    const gate = this.child.stdio[GATE_FD] as NodeJS.WritableStream | null;
    gate?.end();
    this.child.stdout?.resume();
    this.child.stderr?.resume();
  }
}

/** What a prestarted hook must match to be used: its charm folder and its whole environment. */
export function prestartKey(charmDir: string, env: NodeJS.ProcessEnv): string {
  const entries = Object.entries(env).filter(([, value]) => value !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([charmDir, entries]);
}

/**
 * The hook `unit` is expected to run after the one it is running (the first of its
 * queue), to start ahead: the next in its queue, when no other unit has hooks queued (the
 * scheduler would pick among them), `hookEnv` sets no `NODE_OPTIONS` (an inspector or a
 * `--require` would act in two hook processes at once: the one running and the one
 * waiting) and the charm honours the gate; undefined otherwise.
 */
export function hookToPrestart(model: ModelRecord, unit: UnitRecord, charmDir: string, hookEnv: Readonly<Record<string, string>> | undefined): HookEvent | undefined {
  const next = unit.queue[1];
  if (next === undefined || hookEnv?.NODE_OPTIONS) return undefined;
  for (const app of Object.values(model.apps)) for (const other of app.units) if (other !== unit && other.queue.length > 0) return undefined;
  return honoursHookGate(charmDir) ? next : undefined;
}

/**
 * A hook runner's one process waiting at its gate, if any: started ahead, let through
 * when its hook's turn comes, or ended unrun. Each process is told to the reaper as it
 * starts and as it exits (hook-reaper.ts), so that none outlives the command.
 */
export class PrestartSlot {
  readonly #reaper: () => Pick<HookReaper, 'started' | 'ended'>;
  #waiting: PrestartedHook | undefined;

  /** @param reaper the runner's reaper (started on first use) */
  constructor(reaper: () => Pick<HookReaper, 'started' | 'ended'>) {
    this.#reaper = reaper;
  }

  /**
   * The waiting process, when it was started for a hook with `env` in `charmDir`; any
   * other is ended. It stays the slot's until it is let through, so that `discard()` (the
   * runner closing) still ends it if the run fails before.
   */
  match(charmDir: string, env: NodeJS.ProcessEnv): PrestartedHook | undefined {
    const waiting = this.#waiting;
    if (waiting?.waiting && waiting.key === prestartKey(charmDir, env)) return waiting;
    return this.discard();
  }

  /** Lets `hook` through its gate; the slot is free for the next. */
  open(hook: PrestartedHook): ChildProcess {
    hook.open();
    if (this.#waiting === hook) this.#waiting = undefined;
    return hook.child;
  }

  /** Ends the waiting process unrun, if there is one. */
  discard(): undefined {
    this.#waiting?.discard();
    this.#waiting = undefined;
    return undefined;
  }

  /** Starts the process of a hook with `env` in `charmDir`, at its gate, in place of any waiting. */
  start(charmDir: string, env: NodeJS.ProcessEnv): void {
    this.discard();
    try {
      const hook = PrestartedHook.start(charmDir, env, (pgid) => this.#reaper().started(pgid));
      this.#waiting = hook;
      hook.child.on('exit', () => {
        if (hook.child.pid !== undefined) this.#reaper().ended(hook.child.pid);
      });
    } catch {
      // Out of processes or descriptors: the hook starts in its turn, as without this.
      this.discard();
    }
  }
}
