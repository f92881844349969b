import type { HandlerInfo } from './handler.js';
import { evaluatePredicate } from './predicates.js';
import type { HandlerRegistry } from './registry.js';
import type { HookSession } from './session.js';

/**
 * The pure half of dispatch: which handlers pass their test right now. Nothing here
 * changes state (the predicates are pure; `@whenFileChanged` does not exist here).
 */

/**
 * The original's `Handler.test()`: a handler that watches flags is considered only
 * when the flag watch lets it through (iteration 0, or one of its flags changed in the
 * last round); then every predicate must pass, tested in order.
 */
export function passes(handler: HandlerInfo, session: HookSession): boolean {
  if (handler.watched.length > 0 && !session.watch.watch(handler.watched)) return false;
  for (const predicate of handler.predicates) {
    if (!evaluatePredicate(predicate, session, handler.id)) return false;
  }
  return true;
}

/**
 * The queue at the start of a round, in registration order: the handlers the registry
 * says could pass in this phase and iteration, kept if they pass their test.
 */
export function roundQueue<C>(registry: HandlerRegistry<C>, session: HookSession): HandlerInfo[] {
  const phase = session.phase!;
  const changed = phase === 'other' && session.watch.iteration > 0 ? session.watch.changes : undefined;
  return registry.candidates(phase, session.state.flags.keys(), changed).filter((handler) => passes(handler, session));
}

/** After a clear: the rest of the queue, keeping only those that still pass. */
export function retestQueue(rest: readonly HandlerInfo[], session: HookSession): HandlerInfo[] {
  return rest.filter((handler) => passes(handler, session));
}
