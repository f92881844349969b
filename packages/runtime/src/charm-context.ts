import type { HookContext, HookTools, LogLevel } from '@charms/hooktools';
import type { CharmMetadata } from '@charms/manifest';
import type { HandlerContext, LifecycleCallback, ReactiveContext } from '@charms/reactive';
import type { Endpoint } from './endpoint.js';

/** What the runtime adds to every handler and callback context of a charm under Juju. */
export interface CharmServices {
  /** The hook tools; calls run one at a time, in order. */
  readonly tools: HookTools;
  /** The hook environment, read once. */
  readonly juju: HookContext;
  /** metadata.yaml. */
  readonly metadata: CharmMetadata;
  /** The charm's config (`config-get --all`, defaults from config.yaml filled in), frozen. */
  readonly config: Readonly<Record<string, unknown>>;
  /**
   * Marks a value as secret for the rest of the hook: it is replaced by `***` in every
   * log line and in stderr (registry passwords, tokens read from resources).
   */
  secret(value: string): void;
  /** Logs through juju-log (secrets redacted); the line keeps its place among tool calls. */
  log(message: string, level?: LogLevel): Promise<void>;
  /** The options the built charm's layer.yaml gives for `layer` (`{}` if none). */
  layerOptions(layer: string): Readonly<Record<string, unknown>>;
  /**
   * A relation endpoint from metadata.yaml: an instance of the Endpoint class an
   * interface layer bound to its interface and role, else of `Endpoint`. Its relation
   * data is read on `await endpoint.load()`.
   * @throws EndpointError `UNKNOWN_ENDPOINT`, naming the endpoints that exist, for an unknown name.
   */
  endpoint(name: string): Endpoint;
  /** Runs `callback` at the end of this hook if it succeeds, before earlier-registered ones. */
  atexit(callback: LifecycleCallback): void;
  /** The charm's layers in include order, the charm's own layer last. */
  readonly layers: readonly string[];
  /**
   * Routes this hook's calls of one hook-tool method through `handler`, which gets the
   * arguments and the tool itself (`direct`) to call when it wants to. layer-status
   * uses it to catch other code's `status-set` calls, as its `patch-hookenv` option
   * did in Python. The last interceptor registered for a method wins.
   */
  interceptTool<M extends ToolMethod>(method: M, handler: ToolInterceptor<M>): void;
  /**
   * The same tools as `tools`, in the same queue, but never intercepted: for the layer
   * that intercepts a method to reach Juju itself (layer-status sending its status).
   */
  readonly directTools: HookTools;
  /**
   * Pauses here for an attached debugger when `JUJU_DEBUG_AT` lists `all` or `name`, as
   * ops' `framework.breakpoint(name)` does (a nameless breakpoint only for `all`); else
   * does nothing (a named one skipped is logged at WARNING). Names are like `foo` or
   * `foo-bar`; `all` and `hook` are reserved.
   * @throws RangeError for a name ops would refuse.
   */
  breakpoint(name?: string): void;
}

/** A method of {@link HookTools}. */
export type ToolMethod = {
  [K in keyof HookTools]: HookTools[K] extends (...args: never[]) => Promise<unknown> ? K : never;
}[keyof HookTools];

/** Handles an intercepted call: the call's arguments, and the tool to reach Juju. */
export type ToolInterceptor<M extends ToolMethod> = (
  args: Parameters<HookTools[M]>,
  direct: HookTools[M],
) => ReturnType<HookTools[M]>;

/** The context a charm's handlers receive under the runtime. */
export type CharmContext<F extends string = string> = HandlerContext<F> & CharmServices;

/** The context a charm's callbacks receive under the runtime. */
export type CharmCallbackContext<F extends string = string> = ReactiveContext<F> & CharmServices;
