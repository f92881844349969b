import {
  HandlerError,
  InvalidTriggerError,
  isHookExit,
  MemoryUnitStateStore,
  TriggerCycleError,
  type RelationMetadata,
} from '@charms/reactive';
import { effectiveConfig } from '@charms/manifest/queries';
import { ConfigError, EndpointError, HookEndpoints, runHook, type HookOutcome } from '@charms/runtime';
import { FixtureRaise, fixtureCharm, type EndpointRun } from './fixture-charm.js';
import type { Fixture, FixtureRelation, FixtureResult, HookResult, RoundResult } from './fixture-schema.js';
import { FixtureToolError, FixtureWorld } from './fixture-world.js';

interface HookEntry {
  readonly hook: string;
  readonly config: Record<string, unknown>;
  readonly relations?: Record<string, FixtureRelation>;
  readonly leader?: boolean;
  readonly relation_id?: string;
  readonly remote_unit?: string | null;
}

/**
 * Runs every hook of a fixture as the original's harness did: one fresh charm per
 * hook over one persistent in-memory store, and builds the result in the fixture
 * format (rounds from the engine's event stream, flags from the committed store).
 */
export async function runFixture(fixture: Fixture, options: { configOptionOrder?: readonly string[] } = {}): Promise<FixtureResult> {
  const initialFlags = Object.fromEntries((fixture.initial_flags ?? []).map((flag) => [flag, null]));
  const store = new MemoryUnitStateStore({ flags: initialFlags, data: {} });
  const entries: HookEntry[] = (fixture.hooks ?? [fixture.hook!]).map((entry) =>
    typeof entry === 'string' ? { hook: entry, config: {} } : { ...entry, config: entry.config ?? {} },
  );
  // Endpoint fixtures (shared/endpoints/): a world of relations, and Endpoint classes.
  const metadata = fixture.metadata as RelationMetadata | undefined;
  const world = fixture.endpoint_classes
    ? new FixtureWorld(fixture.relations, fixture.leader, Object.keys((metadata?.peers as object | undefined) ?? {}))
    : undefined;
  // A Map keeps config.yaml order even for integer-like option names. A null option
  // stays null: layer-basic fails on it, and so does the runtime.
  const declared = fixture.config_options;
  const order = options.configOptionOrder?.length ? options.configOptionOrder : Object.keys(declared ?? {});
  const configOptions = declared
    ? new Map(order.map((name) => [name, declared[name] === null ? null : { default: declared[name]?.default ?? null }]))
    : undefined;

  const undefinedOption = [...(configOptions?.values() ?? [])].includes(null);

  let userConfig: Record<string, unknown> = { ...(fixture.config ?? {}) };
  const hooks: HookResult[] = [];
  for (const entry of entries) {
    userConfig = { ...userConfig, ...entry.config };
    const rounds: RoundResult[] = [];
    const invoked: string[] = [];
    world?.enter(entry);
    const hookInfo = world?.hookInfo(entry.hook, entry);
    const { tools, calls } = world?.tools() ?? { tools: undefined, calls: [] };
    const run: EndpointRun | undefined = world ? { records: [], by: '<startup>', relationName: hookInfo?.relationName } : undefined;
    const endpoints =
      world && tools && hookInfo
        ? new HookEndpoints({ tools, hook: hookInfo, metadata: metadata ?? {}, defaultClass: null, originalQuirks: true })
        : undefined;
    const outcome = await runHook({
      hookName: entry.hook,
      store,
      charm: () => fixtureCharm(fixture, run),
      endpoints,
      // What `config-get --all` prints.
      config: effectiveConfig(declared, userConfig),
      configOptions,
      configFlags: fixture.layer_basic !== false,
      metadata,
      observe: (events) => {
        events.on('round', ({ phase, iteration, queue }) => {
          if (queue.length > 0) rounds.push({ phase, iteration, queued: [...queue], invoked: [] });
        });
        events.on('handler:start', ({ handlerId }) => {
          rounds.at(-1)?.invoked.push(handlerId);
          invoked.push(handlerId);
        });
      },
    });
    const result: HookResult = {
      hook: entry.hook,
      invoked,
      final_flags: Object.keys(store.peek()?.flags ?? {}).sort(),
      error: hookError(outcome, undefinedOption),
      rounds,
    };
    if (!outcome.ok && !isHookExit(outcome.error)) result.error_detail = errorMessage(outcome.error).slice(0, 500);
    if (world && run) {
      result.relation_set = calls;
      result.records = run.records;
      // Juju keeps relation settings only when the hook succeeds.
      if (result.error === null || result.error === 'loop') world.commit(calls);
    }
    hooks.push(result);
  }

  const firstError = hooks.findIndex((h) => h.error !== null);
  return {
    name: fixture.name,
    invoked: hooks.flatMap((h) => h.invoked),
    final_flags: hooks.at(-1)?.final_flags ?? [],
    error: firstError === -1 ? null : `${firstError}:${hooks[firstError]!.hook}:${hooks[firstError]!.error}`,
    hooks,
  };
}

/**
 * The fixture's error value. The original's Python class names stand for the port's
 * own errors: a handler's raise → HandlerError, a rejected trigger → ValueError, a
 * trigger cycle → RecursionError, and the runtime refusing a config.yaml option
 * without a definition at atstart (a plain Error, when the fixture has such an option)
 * → AttributeError, which layer-basic raises reading that option's default. Anything
 * else keeps its own name (`exception:TypeError`), so it matches nothing in the data.
 */
function hookError(outcome: HookOutcome, undefinedOption: boolean): string | null {
  if (outcome.ok) return outcome.dispatch?.capReached ? 'loop' : null;
  const error = outcome.error instanceof HandlerError ? outcome.error.cause : outcome.error;
  if (isHookExit(error)) return `exit:${error.exitCode}`;
  if (error instanceof TriggerCycleError) return 'exception:RecursionError';
  if (error instanceof InvalidTriggerError) return 'exception:ValueError';
  if (error instanceof FixtureRaise) return 'exception:HandlerError';
  // charm-helpers runs hook tools with check_output / check_call.
  if (error instanceof FixtureToolError) return 'exception:CalledProcessError';
  // An Endpoint handler called without the endpoint it needs: Python's missing `self`.
  if (error instanceof EndpointError && error.code === 'NO_ENDPOINT') return 'exception:TypeError';
  if (error instanceof EndpointError && error.code === 'RELATION_NOT_FOUND') return 'exception:KeyError';
  if (undefinedOption && outcome.stage === 'atstart' && error instanceof ConfigError && error.code === 'OPTION_UNDEFINED') return 'exception:AttributeError';
  return `exception:${error instanceof Error ? error.name : 'Error'}`;
}

function errorMessage(error: unknown): string {
  const cause = error instanceof HandlerError ? error.cause : error;
  return cause instanceof Error ? cause.message : String(cause);
}
