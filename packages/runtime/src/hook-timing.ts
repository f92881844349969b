import { appendFileSync } from 'node:fs';
import { ProcessHookTools, type RunToolOptions } from '@charms/hooktools';
import type { ReactiveEmitter, UnitStateSnapshot, UnitStateStore } from '@charms/reactive';

/**
 * The variable that switches the timing on: the file each hook appends its record to.
 * `main` reads it once; without it nothing is measured and nothing is written.
 */
export const HOOK_PHASES_VARIABLE = 'CHARMS_HOOK_PHASES';

/**
 * The ends of a hook's phases, in the order they happen. Each mark is the time (ms since
 * `performance.timeOrigin`, the start of the process) at which that phase ended:
 *
 * - `node`: Node's own start, up to its bootstrap (`performance.nodeTiming.bootstrapComplete`)
 * - `bundle`: loading and evaluating the charm's bundle, up to the call of `main`
 * - `context`: reading the hook's environment and the charm's files, choosing the store
 * - `connect`: the first log line and `config-get`
 * - `state`: loading the committed unit state (`state-get` on Kubernetes)
 * - `build`: building the charm (the reactor and its handlers)
 * - `atstart`: config flags, endpoints, the layers' atstart callbacks
 * - `dispatch`: the handlers
 * - `atexit`: the atexit callbacks
 * - `commit`: writing the unit state
 * - `end`: the last log lines, every queued call finished
 * - `exit`: Node's `exit` event (what follows it is outside the process's own clock)
 *
 * A phase a hook does not reach (a restricted hook has no dispatch) has no mark.
 */
export type HookPhase = 'node' | 'bundle' | 'context' | 'connect' | 'state' | 'build' | 'atstart' | 'dispatch' | 'atexit' | 'commit' | 'end' | 'exit';

/** One hook's record, one JSON line in the file. */
export interface HookTimingRecord {
  readonly format: 'charms.hook-phases/1';
  readonly hook: string;
  readonly unit: string;
  readonly marks: { readonly phase: HookPhase; readonly at: number }[];
  /** Each tool call: its name, when it started and how long it took (ms). */
  readonly tools: { readonly tool: string; readonly at: number; readonly ms: number }[];
  /**
   * A hook the local model started ahead of its turn: how long (ms) it waited at its
   * start script's gate, inside the `bundle` phase, while the hook before it ran.
   */
  readonly gateWait?: number;
}

/**
 * Where one hook's time goes, measured inside the hook process when
 * `CHARMS_HOOK_PHASES=<file>` is set, and appended to that file as the process exits.
 * The hook pays for it only then: `main` looks the variable up once and makes none of
 * this without it. (`performance` is Node's global, loaded when first used: importing
 * `node:perf_hooks` would load it in every hook.)
 */
export class HookTiming {
  readonly #file: string;
  readonly #record: HookTimingRecord;

  /**
   * @param file the file to append the record to
   * @param mainEntered `performance.now()` when `main` was called: the end of `bundle`
   */
  constructor(file: string, mainEntered: number) {
    this.#file = file;
    // Set by the start script of a hook that waited at the local model's gate.
    const gateWait = (globalThis as Record<symbol, unknown>)[Symbol.for('charms.hook-gate-wait')];
    this.#record = { format: 'charms.hook-phases/1', hook: '', unit: '', marks: [], tools: [], ...(typeof gateWait === 'number' ? { gateWait } : {}) };
    this.#record.marks.push({ phase: 'node', at: performance.nodeTiming.bootstrapComplete }, { phase: 'bundle', at: mainEntered });
  }

  /** Marks the end of `phase` now. */
  readonly mark = (phase: HookPhase): void => {
    this.#record.marks.push({ phase, at: performance.now() });
  };

  /**
   * Writes the record when the process exits, for this hook and unit. Written
   * synchronously in the `exit` event, the last moment the process's own code runs.
   */
  writeAtExit(hook: string, unit: string): void {
    Object.assign(this.#record, { hook, unit });
    process.once('exit', () => {
      this.mark('exit');
      appendFileSync(this.#file, `${JSON.stringify(this.#record)}\n`);
    });
  }

  /** The real hook tools, each call timed. */
  tools(options: RunToolOptions): ProcessHookTools {
    return new TimedProcessHookTools(options, (tool, at, ms) => void this.#record.tools.push({ tool, at, ms }));
  }

  /** The store, its load and commit marking `state` and `atexit`/`commit`. */
  store(inner: UnitStateStore): UnitStateStore {
    const { mark } = this;
    return {
      async load(): Promise<UnitStateSnapshot | undefined> {
        const loaded = await inner.load();
        mark('state');
        return loaded;
      },
      async commit(snapshot: UnitStateSnapshot): Promise<void> {
        mark('atexit');
        await inner.commit(snapshot);
        mark('commit');
      },
    };
  }

  /** Marks `build`, `atstart` and `dispatch` from the engine's events. */
  follow(events: ReactiveEmitter): void {
    this.mark('build');
    events.on('dispatch:start', () => this.mark('atstart'));
    events.on('dispatch:end', () => this.mark('dispatch'));
  }
}

class TimedProcessHookTools extends ProcessHookTools {
  readonly #record: (tool: string, at: number, ms: number) => void;

  constructor(options: RunToolOptions, record: (tool: string, at: number, ms: number) => void) {
    super(options);
    this.#record = record;
  }

  protected override async execute(command: Parameters<ProcessHookTools['execute']>[0]): ReturnType<ProcessHookTools['execute']> {
    const at = performance.now();
    try {
      return await super.execute(command);
    } finally {
      this.#record(command.tool, at, performance.now() - at);
    }
  }
}
