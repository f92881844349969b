/**
 * @charms/reactive: the flag engine of charms.reactive. No I/O: state, logging and
 * tracing come in through the store, the hook options and the event stream.
 */
export { createReactor } from './reactor.js';
export type { Reactor, HookRun, BeginHookOptions } from './reactor.js';
export { defineLayer } from './layer.js';
export type { Layer, Registrar, HandlerFunction, LifecycleCallback, CallbackContext } from './layer.js';
export type { HandlerSpec, HandlerInfo, FlagList } from './handler.js';
export { declaredFlags } from './flag-effects.js';
export type { FlagEffect, FlagEffects, DeclaredFlags, DeclaredCharm } from './flag-effects.js';
export type { Predicate } from './predicates.js';
export type { TriggerOptions } from './triggers.js';
export {
  when,
  whenAll,
  whenAny,
  whenNot,
  whenNone,
  whenNotAll,
  hook,
  onlyOnce,
  collectMetrics,
  meterStatusChanged,
  sets,
  clears,
} from './decorators.js';
export { decoratedMethods } from './decorators.js';
export type { ReactiveDecorator, OptionalCallDecorator, EffectDecorator, HandlerMethod, DecoratedMethod } from './decorators.js';
export {
  setFlag,
  clearFlag,
  toggleFlag,
  isFlagSet,
  allFlagsSet,
  anyFlagsSet,
  getFlags,
  getUnsetFlags,
  getFlagValue,
  registerTrigger,
  dataChanged,
  isDataChanged,
  exitHook,
  currentContext,
} from './context.js';
export type { ReactiveContext, HandlerContext, UnitKeyValue } from './context.js';
export { HookExit, isHookExit } from './hook-exit.js';
export { UnitState } from './unit-state.js';
export type { UnitStateSnapshot } from './unit-state.js';
export { MemoryUnitStateStore } from './state-store.js';
export type { UnitStateStore } from './state-store.js';
export type { RelationMetadata } from './hook-patterns.js';
export type { ReactiveEvents, ReactiveEmitter, Phase } from './events.js';
export type { DispatchResult } from './dispatch.js';
export { MAX_ITERATIONS } from './dispatch.js';
export { invokedHandlerIds } from './session.js';
export {
  ReactiveError,
  InvalidFlagError,
  InvalidHandlerError,
  InvalidLayerError,
  DuplicateHandlerError,
  InvalidTriggerError,
  TriggerCycleError,
  HandlerError,
  NoActiveDispatchError,
} from './errors.js';
export type { ReactiveErrorCode } from './errors.js';
