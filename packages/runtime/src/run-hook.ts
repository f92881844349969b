import {
  isHookExit,
  UnitState,
  type DispatchResult,
  type HookRun,
  type LifecycleCallback,
  type ReactiveContext,
  type ReactiveEmitter,
  type Reactor,
  type RelationMetadata,
  type UnitStateSnapshot,
  type UnitStateStore,
} from '@charms/reactive';
import { CONFIG_SNAPSHOT_KEY, ConfigFlags, type ConfigOptions } from './config-flags.js';
import { hookEvents, type HookEvents } from './hook-events.js';
import { HOOK_ENDPOINTS, type HookEndpoints } from './hook-endpoints.js';

/** Hooks in which Juju forbids most tools; the original runs one restricted round. */
export const RESTRICTED_HOOKS: ReadonlySet<string> = new Set(['collect-metrics', 'meter-status-changed']);

/** The flag the original keeps set between `pre-series-upgrade` and `post-series-upgrade`. */
export const SERIES_UPGRADE_FLAG = 'upgrade.series.in-progress';

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
 * Runs one hook from start to commit, as layer-basic and `charms.reactive.main()` do:
 * build the charm, run the atstart callbacks (config flags, the series-upgrade flag,
 * the layers' own), dispatch, run the atexit callbacks in reverse order (layers',
 * config snapshot, trigger wipe, config flags cleared), then commit once.
 *
 * `collect-metrics` and `meter-status-changed` skip atstart and atexit but still commit.
 * On failure nothing is committed: the next hook starts from the last committed state.
 * `exitHook(0)` ends the stage it is in and the hook still succeeds, except inside an
 * atexit callback, where, as in the original, the process ends before the commit.
 * One thing outlives a failure late in atexit: the config snapshot, once saved (the
 * original keeps it in a file of its own), so the next hook does not see the change again.
 */
export async function runHook(options: RunHookOptions): Promise<HookOutcome> {
  const { hookName, store } = options;
  const restricted = RESTRICTED_HOOKS.has(hookName);
  const base = { hookName, restricted };
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
    if (isHookExit(error) && error.exitCode === 0) return commit(options, state, base, undefined);
    return failure(base, 'load', error);
  }

  try {
    return await runBuiltHook(options, { reactor, run, state, committed, atexit, base });
  } finally {
    observed.close();
  }
}

/** The hook once its charm is built: atstart, dispatch, atexit, commit. */
async function runBuiltHook(
  options: RunHookOptions,
  hook: {
    reactor: Reactor;
    run: HookRun;
    state: UnitState;
    committed: UnitStateSnapshot | undefined;
    atexit: LifecycleCallback[];
    base: { hookName: string; restricted: boolean };
  },
): Promise<HookOutcome> {
  const { reactor, run, state, committed, atexit, base } = hook;
  const { store } = options;
  const { restricted } = base;
  const layerBasic = options.configFlags !== false;
  return run.run(async () => {
    const context = run.context;
    const config = new ConfigFlags(state, options.config ?? {}, options.configOptions);
    atexit.push(
      ...(layerBasic ? [(ctx: ReactiveContext) => config.clear(ctx)] : []),
      () => run.clearTriggers(),
      ...reactor.atexitCallbacks,
    );
    // charm-helpers saves the snapshot to a file of its own, outside the transaction
    // that a failure rolls back; `snapshotSaved` lets a later failure keep it too.
    let snapshotSaved = false;
    const atstart: LifecycleCallback[] = [
      ...(layerBasic
        ? [
            (ctx: ReactiveContext) => {
              // Registered when config is first read, before any flag is set.
              atexit.push(() => {
                config.save(state);
                snapshotSaved = true;
              });
              config.set(ctx);
            },
          ]
        : []),
      seriesUpgradeFlag,
      ...(options.endpoints ? [(ctx: ReactiveContext) => options.endpoints!.startup(ctx)] : []),
      ...(options.startup ?? []),
      ...reactor.atstartCallbacks,
    ];

    let stage: 'atstart' | 'dispatch' = 'atstart';
    let result: DispatchResult | undefined;
    try {
      if (!restricted) for (const callback of atstart) await callback(context);
      stage = 'dispatch';
      result = await run.dispatch(restricted);
    } catch (error) {
      if (!isHookExit(error) || error.exitCode !== 0) return failure(base, stage, error);
    }

    if (!restricted) {
      try {
        for (const callback of [...atexit].reverse()) await callback(context);
      } catch (error) {
        if (snapshotSaved) await keepConfigSnapshot(store, committed, config.current);
        if (isHookExit(error) && error.exitCode === 0) return { ...base, ok: true, committed: false, exitCode: 0, dispatch: result };
        return failure(base, 'atexit', error);
      }
    }
    return commit(options, state, base, result);
  });
}

/**
 * After a failure late in atexit: commit the previous state with only the new config
 * snapshot, as the original's separate snapshot file would have kept it. Best effort:
 * the hook has failed already.
 */
async function keepConfigSnapshot(store: UnitStateStore, committed: UnitStateSnapshot | undefined, snapshot: unknown): Promise<void> {
  const previous = committed ?? { flags: {}, data: {} };
  await store.commit({ flags: previous.flags, data: { ...previous.data, [CONFIG_SNAPSHOT_KEY]: structuredClone(snapshot) } }).catch(() => undefined);
}

function seriesUpgradeFlag(context: ReactiveContext): void {
  if (context.hookName === 'pre-series-upgrade') context.setFlag(SERIES_UPGRADE_FLAG);
  else if (context.hookName === 'post-series-upgrade') context.clearFlag(SERIES_UPGRADE_FLAG);
}

async function commit(
  options: RunHookOptions,
  state: UnitState,
  base: { hookName: string; restricted: boolean },
  result: DispatchResult | undefined,
): Promise<HookOutcome> {
  try {
    await options.store.commit(state.snapshot());
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
