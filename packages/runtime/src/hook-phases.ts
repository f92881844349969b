import {
  isHookExit,
  type DispatchResult,
  type HookRun,
  type LifecycleCallback,
  type ReactiveContext,
  type Reactor,
  type UnitState,
} from '@charms/reactive';
import { ConfigFlags } from './config-flags.js';
import type { RunHookOptions } from './run-hook.js';

/** The flag the original keeps set between `pre-series-upgrade` and `post-series-upgrade`. */
export const SERIES_UPGRADE_FLAG = 'upgrade.series.in-progress';

/** How the phases of one hook ended; `runHook` decides from it what to commit. */
export type PhasesResult =
  | {
      /** The phases ended as a successful hook ends. */
      readonly ok: true;
      /** The atexit callbacks ran to their end; false after `exitHook(0)` in one of them. */
      readonly commit: boolean;
      readonly dispatch?: DispatchResult;
      readonly keepSnapshot?: unknown;
    }
  | {
      readonly ok: false;
      readonly stage: 'atstart' | 'dispatch' | 'atexit';
      readonly error: unknown;
      /**
       * The config snapshot atexit saved before the hook stopped there: the one thing a
       * failed hook keeps, as the original keeps it in a file of its own.
       */
      readonly keepSnapshot?: unknown;
    };

/** The hook once its charm is built. */
export interface BuiltHook {
  readonly reactor: Reactor;
  readonly run: HookRun;
  readonly state: UnitState;
  /** The hook's atexit list, in registration order; handlers may still add to it. */
  readonly atexit: LifecycleCallback[];
  readonly restricted: boolean;
}

/**
 * Runs the phases of a built hook inside the engine, in order: atstart (config flags,
 * the series-upgrade flag, endpoints, `startup`, the layers' callbacks), dispatch, and
 * atexit in reverse registration order (handlers', config snapshot, layers', trigger
 * wipe, config flags cleared). Commits nothing: that is the next step's job.
 */
export async function runPhases(options: RunHookOptions, hook: BuiltHook): Promise<PhasesResult> {
  const { reactor, run, state, atexit, restricted } = hook;
  const layerBasic = options.configFlags !== false;
  return run.run(async (): Promise<PhasesResult> => {
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
      if (!isHookExit(error) || error.exitCode !== 0) return { ok: false, stage, error };
    }

    if (!restricted) {
      try {
        for (const callback of [...atexit].reverse()) await callback(context);
      } catch (error) {
        const keepSnapshot = snapshotSaved ? config.current : undefined;
        if (isHookExit(error) && error.exitCode === 0) return { ok: true, commit: false, dispatch: result, keepSnapshot };
        return { ok: false, stage: 'atexit', error, keepSnapshot };
      }
    }
    return { ok: true, commit: true, dispatch: result };
  });
}

function seriesUpgradeFlag(context: ReactiveContext): void {
  if (context.hookName === 'pre-series-upgrade') context.setFlag(SERIES_UPGRADE_FLAG);
  else if (context.hookName === 'post-series-upgrade') context.clearFlag(SERIES_UPGRADE_FLAG);
}
