import type { LifecycleCallback, ReactiveContext } from '@charms/reactive';
import { START, type Endpoint } from './endpoint.js';

/**
 * Starts the given endpoints for a hook, as the runtime does for every endpoint: the
 * automatic flags `endpoint.<name>.joined`, `.departed`, `.changed` and
 * `.changed.<key>` (see {@link Endpoint}), `manageFlags`, and the sending of their
 * `toPublish` bags at the end of the hook. For a `startup` callback of `runHook`
 * without the runtime's endpoints; `runCharmHook` needs none of it.
 */
export async function manageEndpointFlags(
  context: ReactiveContext & { atexit?: (callback: LifecycleCallback) => void },
  endpoints: Iterable<Endpoint>,
  departingUnit: string | undefined,
): Promise<void> {
  for (const endpoint of endpoints) {
    await endpoint[START](context, { hookName: context.hookName, unitName: '', appName: '', departingUnit });
  }
}
