import {
  isHookExit,
  UnitState,
  type DispatchResult,
  type HookRun,
  type LifecycleCallback,
  type ReactiveEmitter,
  type Reactor,
  type RelationMetadata,
  type UnitStateSnapshot,
  type UnitStateStore,
} from '@charms/reactive';
import { commitState, keepConfigSnapshot } from './commit-state.js';
import type { ConfigOptions } from './config-flags.js';
import { hookEvents, type HookEvents } from './hook-events.js';
import { HOOK_ENDPOINTS, type HookEndpoints } from './hook-endpoints.js';
import { runPhases, type PhasesResult } from './hook-phases.js';

/** Hooks in which Juju forbids most tools; the original runs one restricted round. */
export const RESTRICTED_HOOKS: ReadonlySet<string> = new Set(['collect-metrics', 'meter-status-changed']);

/** Options for {@link runHook}. */
export interface RunHookOptions {
  readonly hookName: string;
  /** Committed unit state: read at the start, written once at the end of a successful hook. */
  readonly store: UnitStateStore;
  /**
   * The charm: a reactor, or a function that builds one. Building happens inside the
   * hook, so an error there (an invalid trigger, a duplicate id) fails the hook.
   */
  readonly charm: Reactor | (() => Reactor | Promise<Reactor>);
  /** What `config-get --all` prints: every option, `null` where unset. */
  readonly config?: Readonly<Record<string, unknown>>;
  /** config.yaml's options, in file order; without them (no config.yaml) no `config.*` flags are managed. */
  readonly configOptions?: ConfigOptions;
  /** metadata.yaml, for `{role:interface}` hook patterns. */
  readonly metadata?: RelationMetadata;
  /**
   * Manage layer-basic's `config.*` flags and config snapshot (default true). Off, the
   * hook runs as a charm without layer-basic would.
   */
  readonly configFlags?: boolean;
  /** Extra members for handler and callback contexts. */
  readonly services?: object;
  /**
   * Framework callbacks for the start of a non-restricted hook, run after the automatic
   * config and series flags and before the layers' atstart callbacks (where the
   * original manages relation and endpoint flags).
   */
  readonly startup?: readonly LifecycleCallback[];
  /**
   * The hook's endpoints: bound to the charm once it is built (the Endpoint classes'
   * handlers are registered after all others), started after the config and series
   * flags and before `startup`, and reachable from handlers through `endpointFromFlag`
   * and `endpointFromName`.
   */
  readonly endpoints?: HookEndpoints;
  /**
   * Called with the reactor's event stream once the charm is built, before anything
   * runs. What it subscribes is unsubscribed when the hook ends, so a reactor reused
   * for the next hook does not report to this hook's observers.
   */
  readonly observe?: (events: ReactiveEmitter, start: { committed: UnitStateSnapshot | undefined; handlers: Reactor['handlers'] }) => void;
}

/** What happened in one hook. */
export interface HookOutcome {
  readonly hookName: string;
  readonly restricted: boolean;
  /** The hook succeeded (Juju would see exit code 0). */
  readonly ok: boolean;
  /** The unit state was committed to the store. */
  readonly committed: boolean;
  /** The process exit code Juju would see: 0, 1 for an error, N for `exitHook(N)`. */
  readonly exitCode: number;
  /** Why the hook failed: a `HandlerError`, a `HookExit`, a load error, … */
  readonly error?: unknown;
  /** Where it failed. */
  readonly stage?: 'load' | 'atstart' | 'dispatch' | 'atexit' | 'commit';
  /** Dispatch figures, when dispatch ran to its end (or to `exitHook(0)`). */
  readonly dispatch?: DispatchResult;
}

/**
 * Runs one hook from start to commit, as layer-basic and `charms.reactive.main()` do,
 * one step after the other: load the committed state, build the charm, run the phases
 * (atstart, dispatch, atexit: `hook-phases.ts`), then commit once (`commit-state.ts`).
 *
 * `collect-metrics` and `meter-status-changed` skip atstart and atexit but still commit.
 * On failure nothing is committed: the next hook starts from the last committed state.
 * `exitHook(0)` ends the stage it is in and the hook still succeeds, except inside an
 * atexit callback, where, as in the original, the process ends before the commit.
 * One thing outlives a failure late in atexit: the config snapshot, once saved (the
 * original keeps it in a file of its own), so the next hook does not see the change again.
 *
 * @example
 * const outcome = await runHook({ hookName: 'install', store: new MemoryUnitStateStore(), charm: () => createReactor().use(myLayer) });
 * if (!outcome.ok) console.error(outcome.stage, outcome.error);
 */
export async function runHook(options: RunHookOptions): Promise<HookOutcome> {
  const { hookName, store } = options;
  const restricted = RESTRICTED_HOOKS.has(hookName);
  const base = { hookName, restricted };

  // 1. The committed state.
  let committed: UnitStateSnapshot | undefined;
  try {
    committed = await store.load();
  } catch (error) {
    return failure(base, 'load', error);
  }
  const state = new UnitState(committed);

  // atexit callbacks in the original's registration order; they run reversed. Handlers
  // add theirs through the `atexit` member of their context.
  const atexit: LifecycleCallback[] = [];

  // 2. The charm, built inside the hook so that an error there fails the hook.
  let reactor: Reactor;
  let run: HookRun;
  let observed: HookEvents | undefined;
  try {
    reactor = typeof options.charm === 'function' ? await options.charm() : options.charm;
    options.endpoints?.bind(reactor);
    observed = hookEvents(reactor.events);
    options.observe?.(observed.events, { committed, handlers: reactor.handlers });
    const services = {
      ...options.services,
      atexit: (callback: LifecycleCallback) => void atexit.push(callback),
      layers: reactor.layers,
      ...(options.endpoints ? { [HOOK_ENDPOINTS]: options.endpoints } : {}),
    };
    run = reactor.beginHook({ hookName, state, metadata: options.metadata, services });
  } catch (error) {
    observed?.close();
    if (isHookExit(error) && error.exitCode === 0) return commit(store, state, base, undefined);
    return failure(base, 'load', error);
  }

  // 3. atstart, dispatch, atexit.
  let phases: PhasesResult;
  try {
    phases = await runPhases(options, { reactor, run, state, atexit, restricted });
  } finally {
    observed.close();
  }
  if (phases.keepSnapshot !== undefined) await keepConfigSnapshot(store, committed, phases.keepSnapshot);
  if (!phases.ok) return failure(base, phases.stage, phases.error);
  if (!phases.commit) return { ...base, ok: true, committed: false, exitCode: 0, dispatch: phases.dispatch };

  // 4. The one commit.
  return commit(store, state, base, phases.dispatch);
}

async function commit(
  store: UnitStateStore,
  state: UnitState,
  base: { hookName: string; restricted: boolean },
  result: DispatchResult | undefined,
): Promise<HookOutcome> {
  try {
    await commitState(store, state);
  } catch (error) {
    return failure(base, 'commit', error);
  }
  return { ...base, ok: true, committed: true, exitCode: 0, dispatch: result };
}

function failure(
  base: { hookName: string; restricted: boolean },
  stage: NonNullable<HookOutcome['stage']>,
  error: unknown,
): HookOutcome {
  const exitCode = isHookExit(error) ? error.exitCode : 1;
  return { ...base, ok: false, committed: false, exitCode, error, stage };
}
