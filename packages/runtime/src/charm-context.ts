import type { HookContext, HookTools, LogLevel } from '@charms/hooktools';
import type { CharmMetadata } from '@charms/manifest';
import type { HandlerContext, LifecycleCallback, ReactiveContext } from '@charms/reactive';
import type { Endpoint } from './endpoints.js';

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
  /** Logs through juju-log (secrets redacted); the line keeps its place among tool calls. */
  log(message: string, level?: LogLevel): Promise<void>;
  /** The options the built charm's layer.yaml gives for `layer` (`{}` if none). */
  layerOptions(layer: string): Readonly<Record<string, unknown>>;
  /**
   * A relation endpoint from metadata.yaml.
   * @throws Error naming the endpoints that exist, for an unknown name.
   */
  endpoint(name: string): Endpoint;
  /** Runs `callback` at the end of this hook if it succeeds, before earlier-registered ones. */
  atexit(callback: LifecycleCallback): void;
}

/** The context a charm's handlers receive under the runtime. */
export type CharmContext<F extends string = string> = HandlerContext<F> & CharmServices;

/** The context a charm's callbacks receive under the runtime. */
export type CharmCallbackContext<F extends string = string> = ReactiveContext<F> & CharmServices;
