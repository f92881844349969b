import type { HandlerContext, ReactiveContext } from './context.js';
import { runWithContext } from './context.js';
import { decoratedMethods } from './decorators.js';
import { dispatch, type DispatchResult } from './dispatch.js';
import { InvalidHandlerError } from './errors.js';
import { createEmitter, type ReactiveEmitter } from './events.js';
import { createHandler, specEffects, specPredicates, type HandlerInfo, type HandlerSpec } from './handler.js';
import type { RelationMetadata } from './hook-patterns.js';
import type { CallbackContext, HandlerFunction, Layer, LifecycleCallback, Registrar } from './layer.js';
import { HandlerRegistry } from './registry.js';
import { HookSession } from './session.js';
import { validateTrigger, type TriggerDefinition, type TriggerOptions } from './triggers.js';
import type { UnitState } from './unit-state.js';

/** Options for {@link Reactor.beginHook}. */
export interface BeginHookOptions {
  readonly hookName: string;
  /** The hook's working copy of unit state. */
  readonly state: UnitState;
  /** metadata.yaml, for `{role:interface}` hook patterns. */
  readonly metadata?: RelationMetadata;
  /** Extra members for every handler and callback context (hook tools, config, log…). */
  readonly services?: object;
}

/**
 * One hook in progress on a reactor: the load-time triggers are already registered in
 * its state. The runtime drives it: `run` the lifecycle inside it, `dispatch`, then
 * `clearTriggers` at exit.
 */
export interface HookRun {
  /** The context that callbacks receive and module-level functions reach. */
  readonly context: ReactiveContext;
  /** Runs `fn` so that module-level functions (`setFlag`, …) act on this hook. */
  run<T>(fn: () => T): T;
  /** Runs dispatch: one restricted round, or the hooks phase and the iterations. */
  dispatch(restricted: boolean): Promise<DispatchResult>;
  /** Wipes the trigger flag lists from unit state (callbacks stay), as at the original's atexit. */
  clearTriggers(): void;
}

/**
 * A set of registered handlers, triggers and lifecycle callbacks, and the means to run
 * one hook over them. Build a fresh one per process (or per test).
 */
export interface Reactor<F extends string = string> extends Registrar<F> {
  /**
   * Registers a layer's contents, with handler ids prefixed by `<layer>:`. The layer's
   * context type is the caller's promise: the runtime supplies the extra members.
   */
  use<C>(layer: Layer<F, C>): this;
  /** The typed event stream: dispatch rounds, handlers, flag changes, triggers. */
  readonly events: ReactiveEmitter;
  /** The registered handlers in dispatch order. */
  readonly handlers: readonly HandlerInfo[];
  /** The names of the layers `use`d, in include order (the charm's own layer last). */
  readonly layers: readonly string[];
  /** Load-time atstart callbacks, in registration order. */
  readonly atstartCallbacks: readonly LifecycleCallback[];
  /** Load-time atexit callbacks, in registration order (they run reversed). */
  readonly atexitCallbacks: readonly LifecycleCallback[];
  /** Starts one hook over `options.state`. */
  beginHook(options: BeginHookOptions): HookRun;
}

/**
 * Creates an empty reactor. `F` optionally narrows flag names to a union type.
 *
 * @example
 * const reactor = createReactor();
 * reactor.handle({ when: 'db.ready', whenNot: 'app.configured' }, async function configure(ctx) {
 *   ctx.setFlag('app.configured');
 * });
 */
export function createReactor<F extends string = string>(): Reactor<F> {
  return new ReactorImpl<F>();
}

class ReactorImpl<F extends string> implements Reactor<F> {
  readonly events = createEmitter();
  readonly atstartCallbacks: LifecycleCallback[] = [];
  readonly atexitCallbacks: LifecycleCallback[] = [];
  readonly layers: string[] = [];
  readonly #registry = new HandlerRegistry<HandlerContext>();
  readonly #triggers: TriggerDefinition<ReactiveContext>[] = [];

  get handlers(): HandlerInfo[] {
    return this.#registry.all.slice();
  }

  handle(spec: HandlerSpec<F>, handler: HandlerFunction<F>): this {
    return this.#handle(spec, handler, '');
  }

  register(target: object | (new () => object)): this {
    return this.#register(target, '');
  }

  #handle(spec: HandlerSpec<F>, handler: HandlerFunction<F>, prefix: string): this {
    const id = spec?.id ?? (typeof handler === 'function' ? handler.name : undefined);
    const fullId = typeof id === 'string' && id.length > 0 ? prefix + id : id;
    const predicates = specPredicates((spec ?? {}) as HandlerSpec, fullId);
    const effects = specEffects((spec ?? {}) as HandlerSpec, fullId);
    const run = handler as (context: HandlerContext) => unknown;
    this.#registry.add(createHandler(fullId, this.#registry.nextOrder, predicates, run, effects), run);
    return this;
  }

  #register(target: object | (new () => object), prefix: string): this {
    const instance = typeof target === 'function' ? new (target as new () => object)() : target;
    const className = (instance as { constructor?: { name?: string } }).constructor?.name || 'anonymous';
    const methods = decoratedMethods(instance);
    if (methods.length === 0) {
      throw new InvalidHandlerError(undefined, `register(${className}): no method of it has a reactive decorator such as @when('flag')`);
    }
    for (const method of methods) {
      const bound = method.get(instance);
      const run = (context: HandlerContext) => bound.call(instance, context);
      const bottomUp = [...method.predicates].reverse();
      const effects = { sets: method.sets ?? [], clears: method.clears ?? [] };
      this.#registry.add(createHandler(`${prefix}${className}.${method.name}`, this.#registry.nextOrder, bottomUp, run, effects), run);
    }
    return this;
  }

  // The context types of callbacks are the registering layer's promise (see `use`): the
  // engine stores them all as callbacks of the plain reactive context.
  registerTrigger(options: TriggerOptions<CallbackContext<HandlerContext<F>>>): this {
    this.#triggers.push(validateTrigger(options as TriggerOptions<ReactiveContext>));
    return this;
  }

  atstart(callback: LifecycleCallback<CallbackContext<HandlerContext<F>>>): this {
    this.atstartCallbacks.push(callback as LifecycleCallback);
    return this;
  }

  atexit(callback: LifecycleCallback<CallbackContext<HandlerContext<F>>>): this {
    this.atexitCallbacks.push(callback as LifecycleCallback);
    return this;
  }

  use<C>(layer: Layer<F, C>): this {
    const prefix = `${layer.name}:`;
    this.layers.push(layer.name);
    const reactor = this;
    const registrar: Registrar<F, C> = {
      handle(spec, handler) {
        reactor.#handle(spec, handler as HandlerFunction<F>, prefix);
        return this;
      },
      register(target) {
        reactor.#register(target, prefix);
        return this;
      },
      registerTrigger(options) {
        reactor.registerTrigger(options as unknown as TriggerOptions<ReactiveContext>);
        return this;
      },
      atstart(callback) {
        reactor.atstart(callback as unknown as LifecycleCallback);
        return this;
      },
      atexit(callback) {
        reactor.atexit(callback as unknown as LifecycleCallback);
        return this;
      },
    };
    layer.setup(registrar);
    return this;
  }

  beginHook(options: BeginHookOptions): HookRun {
    const session = new HookSession({ ...options, emitter: this.events });
    // The original registers module-level triggers while importing the charm, into
    // the hook's uncommitted state: they are part of the hook's transaction.
    for (const trigger of this.#triggers) session.addTrigger(trigger);
    const registry = this.#registry;
    return {
      context: session.context,
      run: (fn) => runWithContext(session.context, fn),
      dispatch: (restricted) => dispatch(registry, session, restricted),
      clearTriggers: () => session.triggers.clearLists(),
    };
  }
}
