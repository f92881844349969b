import { InvalidLayerError } from './errors.js';
import type { HandlerContext, ReactiveContext } from './context.js';
import type { HandlerSpec } from './handler.js';
import type { TriggerOptions } from './triggers.js';

/**
 * A callback run at the start or end of every (non-restricted) hook. `C` is the context
 * it receives: the {@link ReactiveContext} by default, or what a layer's handlers get
 * without their id (see {@link CallbackContext}).
 */
export type LifecycleCallback<C = ReactiveContext> = (context: C) => void | Promise<void>;

/**
 * The context lifecycle and trigger callbacks receive when handlers receive `C`: the
 * same members without `handlerId`, since no handler is running. For the runtime's
 * `CharmContext` it is the charm's callback context (hook tools, config, logging…).
 */
export type CallbackContext<C> = Omit<C, 'handlerId'>;

/**
 * A function handler: receives the handler context. `C` is the context type the
 * charm runs with (the runtime's `CharmContext` adds hook tools, config, logging).
 */
export type HandlerFunction<F extends string = string, C = HandlerContext<F>> = (context: C) => unknown;

/**
 * What a layer or charm uses to declare its handlers, triggers and lifecycle
 * callbacks. Everything is recorded in call order, and that order is the dispatch order.
 */
export interface Registrar<F extends string = string, C = HandlerContext<F>> {
  /**
   * Registers a handler function. Its id is `spec.id` or the function's name
   * (prefixed with `<layer>:` inside a layer).
   * @throws InvalidHandlerError, DuplicateHandlerError, InvalidFlagError
   */
  handle(spec: HandlerSpec<F>, handler: HandlerFunction<F, C>): this;
  /**
   * Registers the decorated methods of a class (instantiated with no arguments) or of
   * an instance, in declaration order. Ids are `<Class>.<method>`.
   * @throws InvalidHandlerError when nothing in it is decorated.
   */
  register(target: object | (new () => object)): this;
  /**
   * Registers a trigger at load time: it is in force from the start of every hook,
   * so it also sees the automatic flags set before dispatch.
   * @throws InvalidTriggerError (`INVALID_TRIGGER`)
   */
  registerTrigger(options: TriggerOptions<CallbackContext<C>>): this;
  /** Runs `callback` at the start of every non-restricted hook, before dispatch, in registration order. */
  atstart(callback: LifecycleCallback<CallbackContext<C>>): this;
  /** Runs `callback` at the end of every successful non-restricted hook, in reverse registration order. */
  atexit(callback: LifecycleCallback<CallbackContext<C>>): this;
}

/** A named bundle of registrations: what a layer package or a charm exports. */
export interface Layer<F extends string = string, C = HandlerContext<F>> {
  readonly name: string;
  readonly setup: (registrar: Registrar<F, C>) => void;
}

/**
 * Declares a layer. Nothing is registered until a reactor `use`s it, so importing a
 * layer module has no effect by itself and the include order decides dispatch order.
 *
 * @throws InvalidLayerError (`INVALID_LAYER`) for a name that cannot prefix handler ids.
 * @example
 * export default defineLayer('minio', (r) => {
 *   r.handle({ when: 'layer.docker-resource.oci-image.available', whenNot: 'charm.minio.started' },
 *     async function start(ctx) { ... });
 * });
 */
export function defineLayer<F extends string = string, C = HandlerContext<F>>(
  name: string,
  setup: (registrar: Registrar<F, C>) => void,
): Layer<F, C> {
  if (typeof name !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
    throw new InvalidLayerError(name);
  }
  return Object.freeze({ name, setup });
}
