import { isHookExit, UnitState, type HookRun, type Reactor } from '@charms/reactive';
import type { ActionContext, ActionFunction } from './action-context.js';
import { ActionError } from './action-error.js';
import { ActionResults } from './action-results.js';
import { commitState } from './commit-state.js';
import { hookEvents } from './hook-events.js';
import { HookSession, type ConnectedHook } from './hook-session.js';
import type { CharmHookInput } from './run-charm-hook.js';

/** Everything one action of a charm needs: a hook's inputs, and the charm's actions by name. */
export interface CharmActionInput extends Omit<CharmHookInput, 'traceFile'> {
  /** Action name → function (the default exports of `actions/<name>.ts`). */
  readonly actions: Readonly<Record<string, ActionFunction>>;
}

/** How an action ended, and the exit code for Juju. */
export interface CharmActionResult {
  /** 0 on success and after `ctx.fail()`; non-zero after a throw (Juju: `failed`, `exit status N`). */
  readonly exitCode: number;
  /** The action returned without `fail()` and without throwing. */
  readonly ok: boolean;
  /** Its flags and unit data were committed (only when `ok`). */
  readonly committed: boolean;
  /** The results set, nested as Juju holds them. */
  readonly results: Readonly<Record<string, unknown>>;
  /** The message given to `action-fail`, when the action failed. */
  readonly failure?: string;
  /** Why it failed: the thrown error, or an `ActionError` (`ACTION_FAILED` after `fail()`, `UNKNOWN_ACTION`, …). */
  readonly error?: unknown;
}

// Juju's message when committing an action's changes fails (context.go finalizeAction).
const COMMIT_FAILED = 'committing requested changes failed';

/**
 * Runs the action Juju started (`JUJU_DISPATCH_PATH=actions/<name>`) instead of reactive
 * dispatch, as a Python reactive charm's action script runs without `main()`. The
 * action's function gets an {@link ActionContext} over the committed unit state; no
 * handler, atstart or atexit callback runs. When it returns without `fail()`, its flags
 * and unit data are committed at once (Python needs `unitdata.kv().flush()`), so the
 * next hook's dispatch reacts to them. After `fail()` nothing is committed and the exit
 * code is 0 (Juju: `failed` with that message); after a throw nothing is committed,
 * `action-fail` gets the error's message, and the exit code is 1 (or `exit(N)`'s N).
 *
 * @example
 * const tools = new MemoryHookTools({ action: { params: { target: 'nightly' } } });
 * const result = await runCharmAction({ juju: syntheticHookContext('backup', { action: true }), tools, store, charm, metadata, actions: { backup } });
 * result.results; // { backup: { path: '/srv/backups/nightly' } }
 */
export async function runCharmAction(input: CharmActionInput): Promise<CharmActionResult> {
  const { juju } = input;
  const name = juju.kind === 'action' ? juju.hookName : (juju.actionName ?? juju.hookName);
  const session = new HookSession(input);
  const results = new ActionResults();
  // Tool calls the action did not await: their failures fail the action at its end.
  const pending: Promise<unknown>[] = [];
  const track = <T>(call: Promise<T>): Promise<T> => {
    pending.push(call);
    call.catch(() => undefined);
    return call;
  };
  let failure: string | undefined;

  const fail = async (error: unknown, exitCode: number, message: string): Promise<CharmActionResult> => {
    failure = session.redactor.redact(message);
    await session.tools.actionFail(failure).catch(() => undefined);
    await session.fail(error, `action ${name} failed`);
    return { exitCode, ok: false, committed: false, results: results.values, failure, error };
  };

  let connected: ConnectedHook;
  try {
    connected = await session.connect();
  } catch (error) {
    return fail(error, 1, `cannot start action ${name}: ${(error as Error)?.message ?? String(error)}`);
  }

  const action = Object.hasOwn(input.actions, name) ? input.actions[name] : undefined;
  if (!action) {
    const known = Object.keys(input.actions).sort();
    const error = new ActionError(
      'UNKNOWN_ACTION',
      name,
      `the charm has no function for action "${name}"; it has: ${known.join(', ') || 'none'}. Add actions/${name}.ts (default-exporting the action) and rebuild the charm.`,
      known,
    );
    return fail(error, 1, error.message);
  }

  const store = typeof input.store === 'function' ? input.store(session.tools) : input.store;
  let state: UnitState;
  let reactor: Reactor;
  let params: Record<string, unknown>;
  try {
    params = await session.tools.actionGet();
    state = new UnitState(await store.load());
    reactor = typeof input.charm === 'function' ? input.charm() : input.charm;
  } catch (error) {
    return fail(error, 1, `cannot start action ${name}: ${(error as Error)?.message ?? String(error)}`);
  }

  const { tools, juju: hook, metadata, config, secret, layerOptions } = connected.services;
  const services = {
    tools,
    juju: hook,
    metadata,
    config,
    secret,
    layerOptions,
    actionName: name,
    actionId: juju.actionUuid,
    params: Object.freeze(params),
    results: results.values,
    setResult: (key: string, value: unknown) => {
      const pairs = results.set(name, key, value);
      if (Object.keys(pairs).length > 0) void track(session.tools.actionSet(pairs));
    },
    fail: (message?: string) => {
      failure = session.redactor.redact(message || 'action failed without reason given, check action for errors');
      void track(session.tools.actionFail(failure));
    },
    log: (message: string) => track(session.tools.actionLog(session.redactor.redact(message))),
    breakpoint: connected.services.breakpoint,
  };
  let run: HookRun;
  try {
    const { requires, provides, peers } = input.metadata;
    run = reactor.beginHook({ hookName: name, state, metadata: { requires, provides, peers }, services });
  } catch (error) {
    return fail(error, 1, `cannot start action ${name}: ${(error as Error)?.message ?? String(error)}`);
  }
  const observed = hookEvents(reactor.events);
  session.logger.follow(observed.events);

  // `exit(0)` ends the action as a return does; anything else thrown fails it.
  let thrown: { error: unknown } | undefined;
  try {
    await run.run(() => {
      // `all`, `hook` or the action's name: pause right before its function (ops pauses before an action's observer).
      session.debug.beforeHandler(name);
      return (action as (ctx: ActionContext) => unknown)(run.context as ActionContext);
    });
  } catch (error) {
    if (!isHookExit(error) || error.exitCode !== 0) thrown = { error };
  } finally {
    observed.close();
  }
  if (!thrown) {
    const rejected = (await Promise.allSettled(pending)).find((settled): settled is PromiseRejectedResult => settled.status === 'rejected');
    if (rejected) thrown = { error: rejected.reason };
  }
  if (thrown) {
    const { error } = thrown;
    const code = isHookExit(error) ? error.exitCode : 1;
    return fail(error, code, isHookExit(error) ? `action exited with code ${code}` : ((error as Error)?.message ?? String(error)));
  }

  if (failure !== undefined) {
    await session.end();
    const error = new ActionError('ACTION_FAILED', name, `action ${name} failed: ${failure}`);
    return { exitCode: 0, ok: false, committed: false, results: results.values, failure, error };
  }
  // The trigger lists are wiped as at a hook's exit, so the next hook registers them afresh.
  run.clearTriggers();
  try {
    await commitState(store, state);
  } catch (error) {
    return fail(error, 1, COMMIT_FAILED);
  }
  await session.end();
  return { exitCode: 0, ok: true, committed: true, results: results.values };
}
