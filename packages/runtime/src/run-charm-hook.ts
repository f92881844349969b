import { writeFileSync } from 'node:fs';
import type { HookContext, HookTools } from '@charms/hooktools';
import type { CharmConfigYaml, CharmMetadata, LayerYaml } from '@charms/manifest';
import type { Reactor, UnitStateStore } from '@charms/reactive';
import { recordTrace, type HookTraceRecord } from './hook-trace.js';
import type { HookTiming } from './hook-timing.js';
import { HookSession, type ConnectedHook } from './hook-session.js';
import { runHook, type HookOutcome } from './run-hook.js';

/** Everything one hook of a charm needs, already read: no environment, no files. */
export interface CharmHookInput {
  readonly juju: HookContext;
  /** The hook tools to reach Juju (real ones, the local model's, or `MemoryHookTools`). */
  readonly tools: HookTools;
  /**
   * Where unit state lives, or a function that makes the store from the hook tools it
   * should use (so that `state-get`/`state-set` keep their place among the other calls).
   */
  readonly store: UnitStateStore | ((tools: HookTools) => UnitStateStore);
  readonly charm: Reactor | (() => Reactor);
  readonly metadata: CharmMetadata;
  readonly configYaml?: CharmConfigYaml;
  /** The built charm's layer.yaml (for layer options). */
  readonly layerYaml?: LayerYaml;
  /** Also print a failure on stderr (a hook process does, for Juju's log; in-process runs need not). */
  readonly printErrors?: boolean;
  /** Write the hook's trace (for `charms explain`) to this file. */
  readonly traceFile?: string;
  /**
   * `JUJU_DEBUG_AT`, as Juju's `debug-code --at` sets it: `all` or `hook` pause before
   * every handler, a handler id before that handler, a name at `ctx.breakpoint(name)`.
   */
  readonly debugAt?: string;
  /**
   * Send DEBUG log lines through the hook's stdout, which Juju logs at DEBUG with the
   * same text, instead of one `juju-log` process each (see `stdout-log-line.ts`). `main`
   * does in a hook, unless `JUJU_DEBUG_AT` is set (under debug-code, stdout goes to the
   * debugging terminal, not to the log). Off, as in tests, every line is a `juju-log` call.
   */
  readonly debugToStdout?: boolean;
  /** Marks the hook's phases (`main` passes one when `CHARMS_HOOK_PHASES` is set). */
  readonly timing?: HookTiming;
}

/** What happened, and the exit code for Juju. */
export interface CharmHookResult {
  readonly exitCode: number;
  readonly outcome?: HookOutcome;
}

/**
 * Runs one hook of a charm against given inputs, in three steps: connect it to Juju
 * (`hook-session.ts`: the tool line, `juju-log` with secrets redacted, the config, the
 * charm services, the endpoints), run it (`runHook`: state, phases, commit), and report
 * how it ended. This is `main()` without the reading of the environment and the charm's
 * files, so tests of layers and charms can run hooks in-process. (The local model runs
 * the built charm's `dispatch` as a child process, as Juju does.)
 *
 * @example
 * const tools = new MemoryHookTools({ config: { port: 9000 } });
 * const { exitCode } = await runCharmHook({ juju: syntheticHookContext('install'), tools, store: new MemoryUnitStateStore(), charm, metadata });
 */
export async function runCharmHook(input: CharmHookInput): Promise<CharmHookResult> {
  const { juju } = input;
  const session = new HookSession(input);

  let connected: ConnectedHook;
  try {
    connected = await session.connect();
    input.timing?.mark('connect');
  } catch (error) {
    await session.fail(error, `cannot start hook ${juju.hookName}`);
    return { exitCode: 1 };
  }

  const { requires, provides, peers } = input.metadata;
  let trace: HookTraceRecord | undefined;
  const outcome = await runHook({
    hookName: juju.hookName,
    store: typeof input.store === 'function' ? input.store(session.tools) : input.store,
    charm: input.charm,
    config: connected.config,
    configOptions: input.configYaml?.options,
    metadata: { requires, provides, peers },
    services: connected.services,
    endpoints: connected.endpoints,
    observe: (events, start) => {
      session.logger.follow(events);
      input.timing?.follow(events);
      // Emitted right before the handler is called: a pause here is the handler's doorstep.
      if (session.debug.active) events.on('handler:start', ({ handlerId }) => session.debug.beforeHandler(handlerId));
      if (input.traceFile) trace = recordTrace(events, start, juju.hookName, juju.unitName);
    },
  });
  if (trace && input.traceFile) {
    const error = outcome.ok ? {} : { error: session.redactor.redact(String((outcome.error as Error)?.message ?? outcome.error)) };
    trace.outcome = { ok: outcome.ok, stage: outcome.stage, ...error };
    writeFileSync(input.traceFile, `${JSON.stringify(trace)}\n`);
  }

  if (!outcome.ok) {
    await session.fail(outcome.error, `hook ${juju.hookName} failed (${outcome.stage})`);
    return { exitCode: outcome.exitCode || 1, outcome };
  }
  await session.end();
  return { exitCode: outcome.exitCode, outcome };
}
