import { DuplicateHandlerError } from './errors.js';
import type { Handler } from './handler.js';
import type { Phase } from './events.js';

/**
 * The handlers of one reactor in registration order, indexed so that a round only
 * tests handlers that could pass in it. Testing every handler gives the same queue;
 * the index only skips tests that are bound to fail:
 *
 * - by phase: a `when*` predicate fails outside the other phase, `@hook` outside the
 *   hooks phase, `@collectMetrics`/`@meterStatusChanged` outside the restricted one;
 * - in other-phase iteration 0, by the flags that are set: a handler with `when(a, …)`
 *   needs `a` set, one with `whenAny(a, b)` needs `a` or `b` set;
 * - in later iterations, by the flags that changed (the flag-watch gate): a handler
 *   that watches flags passes only if one of them changed.
 */
export class HandlerRegistry<C> {
  readonly #handlers: Handler<C>[] = [];
  readonly #ids = new Set<string>();
  readonly #hooksPhase: Handler<C>[] = [];
  readonly #restrictedPhase: Handler<C>[] = [];
  /** Other-phase handlers that no set flag is required for. */
  readonly #otherUnrequired: Handler<C>[] = [];
  /** Other-phase handlers by a flag that must be set for them to pass. */
  readonly #otherRequiring = new Map<string, Handler<C>[]>();
  /** Other-phase handlers that watch no flag, so the flag-watch gate never stops them. */
  readonly #otherUnwatched: Handler<C>[] = [];
  /** Other-phase handlers by each flag they watch. */
  readonly #otherWatching = new Map<string, Handler<C>[]>();

  /** @throws DuplicateHandlerError (`DUPLICATE_HANDLER`) when the id is taken. */
  add(handler: Handler<C>): void {
    if (this.#ids.has(handler.id)) throw new DuplicateHandlerError(handler.id);
    this.#handlers.push(handler);
    this.#ids.add(handler.id);

    let flagged = false;
    let hooked = false;
    let restricted = false;
    for (const predicate of handler.predicates) {
      if (predicate.kind === 'hook') hooked = true;
      else if (predicate.kind === 'restrictedHook') restricted = true;
      else if (predicate.kind !== 'onlyOnce') flagged = true;
    }
    if (!flagged && !restricted) this.#hooksPhase.push(handler);
    if (!flagged && !hooked) this.#restrictedPhase.push(handler);
    if (hooked || restricted) return;

    const required = requiredFlags(handler);
    if (required.length === 0) this.#otherUnrequired.push(handler);
    for (const flag of required) append(this.#otherRequiring, flag, handler);
    if (handler.watched.length === 0) this.#otherUnwatched.push(handler);
    for (const flag of handler.watched) append(this.#otherWatching, flag, handler);
  }

  /** Every handler, in registration order. */
  get all(): readonly Handler<C>[] {
    return this.#handlers;
  }

  /** The next order number to give a handler. */
  get nextOrder(): number {
    return this.#handlers.length;
  }

  /**
   * In registration order, every handler that could pass a test in `phase`, given the
   * flags that are `set` (other-phase iteration 0) or that `changed` in the last round
   * (later iterations, `changed` given).
   */
  candidates(phase: Phase, set: Iterable<string>, changed?: ReadonlySet<string>): readonly Handler<C>[] {
    if (phase === 'hooks') return this.#hooksPhase;
    if (phase === 'restricted') return this.#restrictedPhase;
    return changed
      ? merge(this.#otherUnwatched, this.#otherWatching, changed)
      : merge(this.#otherUnrequired, this.#otherRequiring, set);
  }
}

/**
 * Flags of which at least one must be set for the handler to pass in the other phase:
 * one flag of a `when` list (all of them are needed), else every flag of a `whenAny`
 * list. Empty when only negative predicates apply.
 */
function requiredFlags<C>(handler: Handler<C>): readonly string[] {
  let any: readonly string[] | undefined;
  for (const predicate of handler.predicates) {
    if (predicate.kind === 'whenAll' && predicate.flags.length > 0) return [predicate.flags[0]!];
    if (predicate.kind === 'whenAny' && any === undefined) any = predicate.flags;
  }
  return any ?? [];
}

function append<C>(index: Map<string, Handler<C>[]>, flag: string, handler: Handler<C>): void {
  const list = index.get(flag);
  if (list) {
    if (list.at(-1) !== handler) list.push(handler);
  } else {
    index.set(flag, [handler]);
  }
}

function merge<C>(base: readonly Handler<C>[], index: Map<string, Handler<C>[]>, flags: Iterable<string>): Handler<C>[] {
  const seen = new Set<Handler<C>>(base);
  for (const flag of flags) {
    const handlers = index.get(flag);
    if (handlers) for (const handler of handlers) seen.add(handler);
  }
  const result = [...seen];
  // `order` is the registration position.
  result.sort((a, b) => a.order - b.order);
  return result;
}
