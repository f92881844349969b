/**
 * The hook runner: runs a unit's next hook as Juju's unit agent does, as a child process
 * of the unit's copy of `dispatch`, with Juju's environment and the hook-tool shims on
 * PATH, and records the hook and each tool call in the timeline. What the hook's outcome
 * means for the model is the scheduler's to decide (`hook-exited`).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { StringDecoder } from 'node:string_decoder';
import { endpoints } from '@charms/manifest';
import { pathInside } from '@charms/manifest/internal';
import { noChanges, type JujucAction } from '@charms/hooktools/jujuc';
import { listenJujuc, type JujucListener } from '@charms/hooktools/internal';
import { endSession, inspectorUrl, openSession, shellInsteadOfHook, takeDebugRequest, type DebugRequest } from './debug-session.js';
import { recordHookContext, replayRecordFile, replayView, type HookReplayRecord } from './hook-replay.js';
import { runHookTool, type ToolContext } from './hook-tool-server.js';
import { modelTime, type ActionRecord, type AppRecord, type HookEvent, type ModelRecord, type PendingChanges, type UnitRecord } from './model-state.js';
import { maskSecrets, secretValues } from './log-masking.js';
import type { ModelStore } from './model-store.js';
import { thisProcess } from './process-groups.js';
import { ANSWER_POOL_SIZE, ShimServer, type ShimRequest } from './shim-server.js';
import { HookReaper } from './hook-reaper.js';
import { hookContextId, hookEnvironment, hookTraceFile } from './hook-environment.js';
import { hookToPrestart, PrestartSlot, type PrestartedHook } from './hook-prestart.js';
import type { ToolResult } from '@charms/hooktools/jujuc';

// Tools whose key=value arguments may be secrets: the timeline keeps the keys only.
const SECRET_VALUES = ['leader-set', 'action-set', 'relation-set', 'state-set'];

/** How one hook ended. */
export interface HookOutcome {
  readonly event: HookEvent;
  /** 0 for success; 127 when dispatch cannot start, 128 on a signal. */
  readonly exitCode: number;
  /** Real milliseconds, to 0.1. */
  readonly ms: number;
  /** What the hook's transactional tools asked for, to commit if it succeeded. */
  readonly pending: PendingChanges;
  /** A leader-set call of the hook changed the application's leader settings. */
  readonly leaderSettingsChanged: boolean;
  /** The hook set the unit's workload status. */
  readonly statusSet: boolean;
  /** For an action: its stdout and stderr, whole (Juju keeps them in the results). */
  readonly output?: { readonly stdout: string; readonly stderr: string };
}

/** An action to run instead of the unit's next hook: its record and what its action tools record. */
export interface RunningAction {
  readonly record: ActionRecord;
  readonly state: JujucAction;
}

/**
 * Runs hooks for one settling of the model: `open` starts the tool server behind the
 * shims, `run` runs one hook, `close` stops the server.
 */
export class HookRunner {
  readonly #store: ModelStore;
  readonly #hookEnv: Readonly<Record<string, string>> | undefined;
  readonly #contexts = new Map<string, ToolContext>();
  /** Units whose running hook a debug command waits for: told its end by `finished`, once the outcome is known. */
  readonly #debugged = new Set<string>();
  readonly #shims: ShimServer;
  /** Ends the process groups of this command's hooks if the command dies (hook-reaper.ts). */
  #reaperProcess: HookReaper | undefined;
  /**
   * The unit agent's hook-tool socket, as Juju 2.9 names it for a hook
   * (JUJU_AGENT_SOCKET_ADDRESS, an abstract unix socket): the runtime makes its tool
   * calls over it as jujuc does (`Jujuc.Main`), without a process per call; the shims
   * serve every other caller. Unique to this command, so two commands never share one.
   */
  readonly #agentSocket: string;
  /** The socket's listener once it serves; undefined when it could not be opened (callers fall back to the shims). */
  readonly #listening: Promise<JujucListener | undefined>;
  /** Whether the socket serves: when it could not be opened, hooks are not told of it and their tools run as processes (the shims). */
  #socketServed = false;
  /** The process of the hook expected next, waiting at its gate (hook-prestart.ts). */
  readonly #prestarted = new PrestartSlot(() => this.#reaper);

  private constructor(store: ModelStore, hookEnv: Readonly<Record<string, string>> | undefined) {
    this.#store = store;
    this.#hookEnv = hookEnv;
    // Files of tool calls whose shim was killed: no hook runs now, so none is in use.
    for (const name of readdirSync(store.file('run'))) if (name.startsWith('tool.')) rmSync(store.file('run', name), { force: true });
    this.#shims = new ShimServer(store.file('run', 'tools.fifo'), (request) => this.#answer(request), { dir: store.file('run'), size: ANSWER_POOL_SIZE });
    this.#agentSocket = agentSocketAddress(store.dir);
    this.#listening = listenJujuc(this.#agentSocket, async (call) => {
      // As Juju's server: an unknown context is a bad request, which jujuc prints as ERROR.
      if (!this.#contexts.has(call.contextId)) throw new Error(`bad request: wrong context ID; got "${call.contextId}"`);
      const result = await this.#answer({ contextId: call.contextId, tool: call.commandName, argv: call.args, stdin: call.stdin ?? '', cwd: call.dir });
      return { code: result.exitCode, stdout: result.stdout, stderr: result.stderr };
    }).catch(() => undefined);
  }

  /** Answers one tool call, from a shim or over the agent socket, and records it in the timeline. */
  async #answer(request: ShimRequest): Promise<ToolResult> {
    const ctx = this.#contexts.get(request.contextId);
    if (!ctx) return { stdout: '', stderr: `ERROR bad request: wrong context ID; got "${request.contextId}"\n`, exitCode: 1 };
    const started = performance.now();
    const result = runHookTool(request.tool, request.argv, request.stdin, { ...ctx, cwd: request.cwd });
    const argv = SECRET_VALUES.includes(request.tool) ? request.argv.map((arg) => (/^[^-][^=]*=/.test(arg) ? `${arg.slice(0, arg.indexOf('='))}=***` : arg)) : request.argv;
    this.#store.timeline({ time: ctx.now(), unit: ctx.unit.name, hook: ctx.event.hook, kind: 'tool', tool: request.tool, argv, exitCode: result.exitCode, ms: round(performance.now() - started) });
    return result;
  }

  /** Clears the files of killed tool calls and starts answering the shims. */
  static open(store: ModelStore, hookEnv?: Readonly<Record<string, string>>): HookRunner {
    return new HookRunner(store, hookEnv);
  }

  /**
   * Runs `unit`'s first queued hook, which the scheduler has just started (`hook-started`),
   * or, given one, an action the scheduler has started (`action-started`): then the event
   * is named `actions/<name>` in the log and timeline, and the action tools answer.
   * Tool calls see and change `model` (the live record) while the hook runs.
   */
  async run(model: ModelRecord, unitName: string, action?: RunningAction, replay?: HookReplayRecord): Promise<HookOutcome> {
    const app = model.apps[unitName.split('/')[0]!]!;
    const unit = app.units.find((u) => u.name === unitName)!;
    const event = action ? { hook: `actions/${action.record.name}` } : unit.queue[0]!;
    // A replay reads the recorded config and relation data; its writes reach the live records.
    const seen = replay ? replayView(model, app, replay) : { model, app };
    // charms debug-code / debug-hooks waiting for this unit's next hook (or this action).
    const debug = takeDebugRequest(this.#store.dir, unit.name, action ? action.record.name : event.hook);
    // The uniter's context id: <unit>-<hook or action name>-<random>.
    const contextId = hookContextId(unit.name, action ? action.record.name : event.hook, model.hookCounter);
    const pending = noChanges();
    // Juju's settings watcher fires only for a write that changed something.
    let settings = canonical(app.leaderSettings);
    let leaderSettingsChanged = false;
    const ctx = this.#context(seen.model, seen.app, unit, event, pending, () => {
      const now = canonical(app.leaderSettings);
      if (now !== settings) leaderSettingsChanged = true;
      settings = now;
    }, action?.state);
    this.#contexts.set(contextId, ctx);
    // status-set gives the unit a new workload record; the one the scheduler set before the hook does not count.
    const workload = unit.workload;
    const trace = hookTraceFile(model.hookCounter);
    this.#socketServed = (await this.#listening) !== undefined;
    const env = this.#dispatchEnv(seen.model, seen.app, unit, event, contextId, this.#store.file(trace), action?.record, debug);
    // The process started for this hook ahead of its turn, when it is this one
    // (hook-prestart.ts); any other is ended unrun.
    const prestarted = debug?.kind === 'hooks' ? this.#prestarted.discard() : this.#prestarted.match(join(this.#store.unitDir(unit.name), 'charm'), env);
    // Saved before the hook starts: the hook counter, so that a hook run again after this
    // command died gets a context id of its own, and the agent's `executing` for `status`.
    this.#store.save(model, { durable: false });
    this.#store.timeline({
      time: modelTime(model),
      unit: unit.name,
      hook: event.hook,
      kind: 'hook-start',
      trace,
      ...(action ? { action: action.record.id } : {}),
      ...(prestarted ? { prestarted: true } : {}),
    });
    const started = performance.now();
    mkdirSync(this.#store.file('traces'), { recursive: true });
    // What the hook sees as it starts, for charms replay (hook-replay.ts).
    if (!action) recordHookContext(this.#store.file(replayRecordFile(trace)), seen.model, seen.app, unit.name, event);
    const output = action ? { stdout: '', stderr: '' } : undefined;
    // The answer FIFOs its tool calls will take (the last hook's, swept when it closed, made again).
    this.#shims.fill(this.#store.file('run'), ANSWER_POOL_SIZE);
    // While this hook runs, the next one's process starts (not for an action, a replay or a debugged hook).
    const prestartNext = action || replay || debug ? undefined : () => this.#prestartNext(model, app, unit);
    const exitCode = await this.#spawnDispatch(seen.model, unit, event, contextId, pending, env, prestarted, action?.record, output, debug, prestartNext);
    if (debug) this.#debugged.add(unit.name);
    const ms = round(performance.now() - started);
    this.#contexts.delete(contextId);
    return { event, exitCode, ms, pending, leaderSettingsChanged, statusSet: unit.workload !== workload, ...(output ? { output } : {}) };
  }

  /** Records how a hook ended, once the scheduler has applied it (the clock has moved on). */
  finished(model: ModelRecord, unit: string, outcome: HookOutcome, commitError?: string): void {
    const { event, exitCode, ms } = outcome;
    // A failed action is the action's failure, not the unit's: Juju logs no hook error.
    if (exitCode !== 0 && !outcome.output) this.#log(model, unit, event.hook, 'ERROR', `hook "${event.hook}" failed: exit status ${exitCode}`);
    // It exited 0 but Juju refuses its changes: the hook (or action) fails with the reason.
    if (commitError !== undefined) this.#log(model, unit, event.hook, 'ERROR', `${outcome.output ? 'action' : 'hook'} "${event.hook}" failed: ${commitError}`);
    this.#store.timeline({ time: modelTime(model), unit, hook: event.hook, kind: exitCode === 0 && commitError === undefined ? 'commit' : 'discard', exitCode, ...(commitError !== undefined ? { commitError } : {}), ms });
    // A debug command waiting for this hook hears how it ended: a refused commit fails it too.
    if (this.#debugged.delete(unit)) endSession(this.#store.dir, unit, exitCode === 0 && commitError !== undefined ? 1 : exitCode);
  }

  /** Waits for pending answers and stops the tool server. */
  async close(): Promise<void> {
    this.#prestarted.discard();
    this.#reaperProcess?.close();
    await this.#shims.close();
    await (await this.#listening)?.close();
  }

  /** The reaper, started with the first hook. */
  get #reaper(): HookReaper {
    this.#reaperProcess ??= HookReaper.start();
    return this.#reaperProcess;
  }

  #context(model: ModelRecord, app: AppRecord, unit: UnitRecord, event: HookEvent, pending: PendingChanges, leaderSet: () => void, action?: JujucAction): ToolContext {
    const metadata = this.#store.metadata(app);
    return {
      ...(action ? { action } : {}),
      modelDir: this.#store.dir,
      model,
      app,
      unit,
      event,
      pending,
      configYaml: this.#store.configYaml(app),
      metadata: { resources: metadata.resources, endpoints: endpoints(metadata).map((e) => e.name) },
      now: () => modelTime(model),
      writeResource: (name, content) => {
        // The tool server has checked the name; the path is checked again where it is built.
        const path = pathInside(join(this.#store.unitDir(unit.name), 'resources'), name, 'content.yaml');
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, content, { mode: 0o600 });
        return path;
      },
      log: (level, message) => this.#log(model, unit.name, event.hook, level, message),
      // leader-set applies at once; the scheduler queues the other units' hooks when this one exits.
      leaderSettingsChanged: leaderSet,
      checkPodSpec: (spec, k8sResources) => {
        try {
          this.#store.render(app, spec, k8sResources);
          return undefined;
        } catch (error) {
          return (error as Error).message;
        }
      },
    };
  }

  #log(model: ModelRecord, unit: string, hook: string, level: string, message: string): void {
    this.#store.log({ time: modelTime(model), unit, hook, level, message });
  }

  /** The environment of a hook's `dispatch` (hook-environment.ts). */
  #dispatchEnv(model: ModelRecord, app: AppRecord, unit: UnitRecord, event: HookEvent, contextId: string, traceFile: string, action?: ActionRecord, debug?: DebugRequest): NodeJS.ProcessEnv {
    return hookEnvironment({
      modelDir: this.#store.dir,
      charmDir: join(this.#store.unitDir(unit.name), 'charm'),
      toolTmp: this.#store.file('run'),
      given: this.#hookEnv,
      agentSocket: this.#socketServed ? this.#agentSocket : undefined,
      model,
      app,
      unit,
      event,
      contextId,
      traceFile,
      ...(action ? { action } : {}),
      ...(debug ? { debug } : {}),
    });
  }

  /**
   * Runs the hook's `dispatch` (a prestarted one let through its gate) and resolves with its exit code.
   * @param started called once the process runs (the next hook's prestart)
   */
  #spawnDispatch(
    model: ModelRecord,
    unit: UnitRecord,
    event: HookEvent,
    contextId: string,
    pending: PendingChanges,
    env: NodeJS.ProcessEnv,
    prestarted: PrestartedHook | undefined,
    action?: ActionRecord,
    output?: { stdout: string; stderr: string },
    debug?: DebugRequest,
    started?: () => void,
  ): Promise<number> {
    const charmDir = join(this.#store.unitDir(unit.name), 'charm');
    const dir = this.#store.dir;
    // charms debug-hooks: the hook does not run; a shell in its environment does, in the
    // waiting command's terminal, and its exit status is the hook's (Juju's debug-hooks).
    if (debug?.kind === 'hooks') {
      const hook = action ? `actions/${action.name}` : event.hook;
      const shellEnv = Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
      return shellInsteadOfHook(dir, debug, { kind: 'hooks', unit: unit.name, hook, env: shellEnv, cwd: charmDir });
    }
    return new Promise((done) => {
      // The hook gets a process group of its own (detached), recorded and announced to the
      // reaper as it starts, so that it ends if this process dies (hook-reaper.ts).
      const child = prestarted ? this.#prestarted.open(prestarted) : spawn(join(charmDir, 'dispatch'), [], { cwd: charmDir, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      const pgid = child.pid;
      if (pgid !== undefined) {
        this.#store.recordHook({ contextId, unit: unit.name, hook: event.hook, pgid, owner: thisProcess() });
        if (!prestarted) this.#reaper.started(pgid);
      }
      // Juju logs a hook's stdout at DEBUG and its stderr at WARNING; secrets are masked as
      // the runtime masks what it logs (the values are looked up again as the hook changes them).
      const configYamls = Object.fromEntries(Object.values(model.apps).map((a) => [a.name, this.#store.configYaml(a)]));
      const logLine = (level: string, line: string): void => {
        if (!line.trim()) return;
        this.#log(model, unit.name, event.hook, level, maskSecrets(line, secretValues(model, configYamls, pending)));
        // Node announces its inspector on stderr: the waiting debug-code command prints it.
        const url = debug?.kind === 'code' && level === 'WARNING' ? inspectorUrl(line) : undefined;
        if (url) openSession(dir, { kind: 'code', unit: unit.name, hook: action ? `actions/${action.name}` : event.hook, url }, debug!.waiter);
      };
      // Whole lines, as Juju's hook logger reads them (worker/common/charmrunner/logger.go,
      // a bufio.Reader): a line that arrives in two chunks is one line; the last one, without
      // its newline, when the stream ends.
      const lines = (stream: NodeJS.ReadableStream, level: string): void => {
        const decoder = new StringDecoder('utf8');
        let partial = '';
        const take = (text: string, ended: boolean): void => {
          if (output) output[level === 'DEBUG' ? 'stdout' : 'stderr'] += text;
          const parts = (partial + text).split('\n');
          partial = ended ? '' : parts.pop()!;
          for (const line of parts) logLine(level, line);
        };
        stream.on('data', (chunk: Buffer) => take(decoder.write(chunk), false));
        stream.on('end', () => take(decoder.end(), true));
      };
      lines(child.stdout!, 'DEBUG');
      lines(child.stderr!, 'WARNING');
      child.on('error', (error) => {
        if (pgid !== undefined) this.#store.forgetHook(pgid);
        this.#log(model, unit.name, event.hook, 'ERROR', `cannot run dispatch: ${error.message}`);
        done(127);
      });
      // The hook is over: the reaper lets its group be (background processes the hook
      // started live on, as under Juju).
      child.on('exit', () => {
        if (pgid !== undefined) this.#reaper.ended(pgid);
      });
      child.on('close', (code, signal) => {
        if (pgid !== undefined) this.#store.forgetHook(pgid);
        // The hook's tool calls are over: their files can go.
        this.#shims.sweep();
        done(code ?? (signal ? 128 : 1));
      });
      started?.();
    });
  }

  /** Starts the process of the hook `unit` is expected to run next, behind its gate (hook-prestart.ts), while its current hook runs. */
  #prestartNext(model: ModelRecord, app: AppRecord, unit: UnitRecord): void {
    const charmDir = join(this.#store.unitDir(unit.name), 'charm');
    const next = hookToPrestart(model, unit, charmDir, this.#hookEnv);
    if (next === undefined) return;
    // As run() names it: the scheduler counts the hook as it starts it.
    const counter = model.hookCounter + 1;
    this.#prestarted.start(charmDir, this.#dispatchEnv(model, app, unit, next, hookContextId(unit.name, next.hook, counter), this.#store.file(hookTraceFile(counter))));
  }
}

/** A settings map as text that does not depend on the order of its keys. */
function canonical(settings: Readonly<Record<string, string>>): string {
  return JSON.stringify(Object.entries(settings).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/**
 * This command's agent socket for the hooks of the model in `dir`: Juju's form
 * (`@<agent dir>/agent.socket`, abstract), with the process id, since another command may
 * run hooks of the same model; a short hashed name where the path would pass the 107
 * bytes an abstract socket name may have.
 */
function agentSocketAddress(dir: string): string {
  // The runner's number too: a process may open two runners on one model, one after the other.
  const name = `${process.pid}-${(runnersOpened += 1)}`;
  const address = `@${dir}/run/agent.${name}.socket`;
  if (Buffer.byteLength(address) <= 107) return address;
  return `@charms-agent-${createHash('sha256').update(dir).digest('hex').slice(0, 16)}.${name}.socket`;
}

/** Hook runners this process has opened. */
let runnersOpened = 0;
