import type { MemoryHookTools } from '@charms/hooktools';
import type { CharmMetadata } from '@charms/manifest';
import type { MemoryUnitStateStore, Reactor } from '@charms/reactive';
import { runCharmHook, type CharmHookResult } from './run-charm-hook.js';
import { syntheticHookContext } from './synthetic-hook-context.js';

/** One hook for {@link hookInMemory}: the hook, the unit, and for relation hooks the relation and remote unit. */
export interface InMemoryHook {
  readonly hookName: string;
  readonly unitName: string;
  readonly relationId?: string;
  readonly remoteUnit?: string;
  readonly departingUnit?: string;
}

/**
 * Runs one hook of a charm against `MemoryHookTools` and a memory store, as the tests of
 * layers and interface layers do: the tools' call log is emptied first, so it holds this
 * hook's calls afterwards, and the result carries the flags committed after it, sorted.
 */
export async function hookInMemory(
  hook: InMemoryHook,
  world: { readonly tools: MemoryHookTools; readonly store: MemoryUnitStateStore; readonly metadata: CharmMetadata; readonly charm: () => Reactor },
): Promise<CharmHookResult & { readonly flags: string[] }> {
  const { hookName, ...context } = hook;
  world.tools.calls.length = 0;
  const result = await runCharmHook({ juju: syntheticHookContext(hookName, context), tools: world.tools, store: world.store, charm: world.charm, metadata: world.metadata });
  return { ...result, flags: Object.keys(world.store.peek()?.flags ?? {}).sort() };
}
