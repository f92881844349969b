import { DuplicateHandlerError } from './errors.js';
import type { Handler } from './handler.js';

/**
 * The handlers of one reactor in registration order, indexed by the flags they watch.
 *
 * The index is what keeps an iteration cheap: after iteration 0 a handler with
 * watched flags can only pass if one of them changed, so only the watchers of the
 * changed flags, plus the handlers that watch nothing, need a test.
 */
export class HandlerRegistry<C> {
  readonly #handlers: Handler<C>[] = [];
  readonly #byId = new Map<string, Handler<C>>();
  readonly #watchers = new Map<string, Handler<C>[]>();
  readonly #unwatched: Handler<C>[] = [];

  /** @throws DuplicateHandlerError (`DUPLICATE_HANDLER`) when the id is taken. */
  add(handler: Handler<C>): void {
    if (this.#byId.has(handler.id)) throw new DuplicateHandlerError(handler.id);
    this.#handlers.push(handler);
    this.#byId.set(handler.id, handler);
    if (handler.watched.length === 0) this.#unwatched.push(handler);
    for (const flag of handler.watched) {
      const list = this.#watchers.get(flag);
      if (list) list.push(handler);
      else this.#watchers.set(flag, [handler]);
    }
  }

  /** Every handler, in registration order. */
  get all(): readonly Handler<C>[] {
    return this.#handlers;
  }

  get size(): number {
    return this.#handlers.length;
  }

  get(id: string): Handler<C> | undefined {
    return this.#byId.get(id);
  }

  /** The next order number to give a handler. */
  get nextOrder(): number {
    return this.#handlers.length;
  }

  /**
   * The handlers that could pass a test when only `changed` flags made transitions:
   * their watchers and every handler that watches nothing, in registration order.
   */
  candidates(changed: ReadonlySet<string>): Handler<C>[] {
    if (changed.size === 0) return [...this.#unwatched];
    const seen = new Set<Handler<C>>(this.#unwatched);
    for (const flag of changed) {
      const watchers = this.#watchers.get(flag);
      if (watchers) for (const handler of watchers) seen.add(handler);
    }
    const result = [...seen];
    // Handlers are added in order, so `order` is their registration position.
    result.sort((a, b) => a.order - b.order);
    return result;
  }
}
