import { DuplicateHandlerError } from './errors.js';
import type { HandlerInfo } from './handler.js';
import type { Phase } from './events.js';

/**
 * Handlers by a flag. A flag that one handler uses (the usual case) maps to that
 * handler itself, so registering thousands of handlers makes no list per flag.
 */
type FlagIndex = Map<string, HandlerInfo | HandlerInfo[]>;

/**
 * The handlers of one reactor in registration order, indexed so that a round only
 * tests handlers that could pass in it. Testing every handler gives the same queue;
 * the index only skips tests that are bound to fail:
 *
 * - by phase: a `when*` predicate fails outside the other phase, `@hook` outside the
 *   hooks phase, `@collectMetrics`/`@meterStatusChanged` outside the restricted one;
 * - in other-phase iteration 0, by the flags that are set: a handler with `when(a, …)`
 *   needs `a` set, one with `whenAny(a, b)` needs `a` or `b` set; either way it watches
 *   a flag that is set, so the handlers that watch a set flag, and those that need no
 *   flag set at all, are all the candidates (some of them still fail their test);
 * - in later iterations, by the flags that changed (the flag-watch gate): a handler
 *   that watches flags passes only if one of them changed.
 *
 * One index by watched flag serves both: a flag a handler needs set is one it watches.
 * A handler's record is its public description ({@link HandlerInfo}); the function it
 * runs is kept in `#runs` at the record's `order`.
 */
export class HandlerRegistry<C> {
  readonly #handlers: HandlerInfo[] = [];
  readonly #runs: ((context: C) => unknown)[] = [];
  readonly #ids = new Set<string>();
  readonly #hooksPhase: HandlerInfo[] = [];
  readonly #restrictedPhase: HandlerInfo[] = [];
  /** Other-phase handlers that need no flag set (only negative predicates, or none). */
  readonly #otherUnrequired: HandlerInfo[] = [];
  /** Other-phase handlers that watch no flag, so the flag-watch gate never stops them. */
  readonly #otherUnwatched: HandlerInfo[] = [];
  /** Other-phase handlers by each flag they watch. */
  readonly #otherWatching: FlagIndex = new Map();
  /** How many handlers, from the first, are in the lists and the index above. */
  #indexed = 0;

  /**
   * Adds a handler built with `order` {@link nextOrder} and the function it runs.
   * @throws DuplicateHandlerError (`DUPLICATE_HANDLER`) when the id is taken.
   */
  add(handler: HandlerInfo, run: (context: C) => unknown): void {
    if (this.#ids.has(handler.id)) throw new DuplicateHandlerError(handler.id);
    this.#handlers.push(handler);
    this.#runs.push(run);
    this.#ids.add(handler.id);
  }

  /**
   * Files the handlers added since the last call into the phase lists and the flag
   * index. Done when a round first asks for candidates, not at each `add`: a process
   * that registers and never dispatches (explain, lint, graph) never pays for it, and
   * one loop over thousands of handlers costs less than as many separate calls.
   */
  #index(): void {
    const handlers = this.#handlers;
    for (let i = this.#indexed; i < handlers.length; i += 1) this.#file(handlers[i]!);
    this.#indexed = handlers.length;
  }

  #file(handler: HandlerInfo): void {
    let flagged = false;
    let hooked = false;
    let restricted = false;
    // Whether some flag must be set for the handler to pass in the other phase: a
    // non-empty `when` list, or a non-empty `whenAny` list.
    let requires = false;
    const predicates = handler.predicates;
    for (let i = 0; i < predicates.length; i += 1) {
      const predicate = predicates[i]!;
      if (predicate.kind === 'hook') hooked = true;
      else if (predicate.kind === 'restrictedHook') restricted = true;
      else if (predicate.kind !== 'onlyOnce') {
        flagged = true;
        if ((predicate.kind === 'whenAll' || predicate.kind === 'whenAny') && predicate.flags.length > 0) requires = true;
      }
    }
    if (!flagged && !restricted) this.#hooksPhase.push(handler);
    if (!flagged && !hooked) this.#restrictedPhase.push(handler);
    if (hooked || restricted) return;

    if (!requires) this.#otherUnrequired.push(handler);
    const watched = handler.watched;
    if (watched.length === 0) this.#otherUnwatched.push(handler);
    for (let i = 0; i < watched.length; i += 1) append(this.#otherWatching, watched[i]!, handler);
  }

  /** Every handler, in registration order. */
  get all(): readonly HandlerInfo[] {
    return this.#handlers;
  }

  /** The next order number to give a handler. */
  get nextOrder(): number {
    return this.#handlers.length;
  }

  /** The function a registered handler runs. */
  runOf(handler: HandlerInfo): (context: C) => unknown {
    return this.#runs[handler.order]!;
  }

  /**
   * In registration order, every handler that could pass a test in `phase`, given the
   * flags that are `set` (other-phase iteration 0) or that `changed` in the last round
   * (later iterations, `changed` given).
   */
  candidates(phase: Phase, set: Iterable<string>, changed?: ReadonlySet<string>): readonly HandlerInfo[] {
    if (this.#indexed < this.#handlers.length) this.#index();
    if (phase === 'hooks') return this.#hooksPhase;
    if (phase === 'restricted') return this.#restrictedPhase;
    return changed
      ? merge(this.#otherUnwatched, this.#otherWatching, changed)
      : merge(this.#otherUnrequired, this.#otherWatching, set);
  }
}

function append(index: FlagIndex, flag: string, handler: HandlerInfo): void {
  const entry = index.get(flag);
  if (entry === undefined) index.set(flag, handler);
  else if (Array.isArray(entry)) {
    if (entry.at(-1) !== handler) entry.push(handler);
  } else if (entry !== handler) index.set(flag, [entry, handler]);
}

function merge(base: readonly HandlerInfo[], index: FlagIndex, flags: Iterable<string>): HandlerInfo[] {
  const seen = new Set<HandlerInfo>(base);
  for (const flag of flags) {
    const entry = index.get(flag);
    if (entry === undefined) continue;
    if (Array.isArray(entry)) for (const handler of entry) seen.add(handler);
    else seen.add(entry);
  }
  const result = [...seen];
  // `order` is the registration position.
  result.sort((a, b) => a.order - b.order);
  return result;
}
