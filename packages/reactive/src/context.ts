import { AsyncLocalStorage } from 'node:async_hooks';
import { NoActiveDispatchError } from './errors.js';
import { HookExit } from './hook-exit.js';
import type { TriggerOptions } from './triggers.js';

/** Unit key-value data that handlers keep between hooks (the original's `unitdata.kv()`). */
export interface UnitKeyValue {
  get<T = unknown>(key: string): T | undefined;
  set(key: string, value: unknown): void;
  unset(key: string): void;
}

/**
 * What a trigger callback, an atstart/atexit callback and (through
 * {@link HandlerContext}) a handler can do while a hook runs. Every method may be
 * destructured: none depends on `this`.
 *
 * `F` narrows flag names for charms that declare them as a union type.
 */
export interface ReactiveContext<F extends string = string> {
  /** The hook being run, e.g. `config-changed`. */
  readonly hookName: string;
  /** Sets `flag` (with an optional JSON value). Only an unset→set change fires triggers. */
  setFlag(flag: F, value?: unknown): void;
  /** Clears `flag`; the rest of the current queue is then re-tested, even if it was not set. */
  clearFlag(flag: F): void;
  /** `setFlag(flag)` if `shouldSet` is truthy, else `clearFlag(flag)`. */
  toggleFlag(flag: F, shouldSet: unknown): void;
  isFlagSet(flag: F): boolean;
  /** True when every flag is set (true for no flags). */
  allFlagsSet(...flags: F[]): boolean;
  /** True when at least one flag is set (false for no flags). */
  anyFlagsSet(...flags: F[]): boolean;
  /** Every set flag, sorted. */
  getFlags(): string[];
  /** The given flags that are not set, sorted. */
  getUnsetFlags(...flags: F[]): string[];
  /** The value stored with a set flag (`null` if none was given; `undefined` if unset). */
  getFlagValue(flag: F): unknown;
  /** Registers a trigger for the rest of this hook. */
  registerTrigger(options: TriggerOptions<ReactiveContext<F>>): void;
  /** True when `data` differs from what was last recorded under `key`; records it. */
  dataChanged(key: string, data: unknown): boolean;
  /** Like `dataChanged`, without recording. */
  isDataChanged(key: string, data: unknown): boolean;
  /** Free-form unit data, committed with the hook. */
  readonly kv: UnitKeyValue;
  /**
   * A value that lives in memory for this hook only, created on first use: what a
   * Python layer kept in module globals (queued statuses, say). Keyed by an object or
   * symbol the layer owns, so layers cannot collide.
   */
  memo<T>(key: object | symbol, create: () => T): T;
  /**
   * Ends the hook now, like `sys.exit(code)`: 0 stops dispatch and still commits;
   * anything else fails the hook.
   */
  exit(code?: number): never;
}

/** The context a handler receives: the {@link ReactiveContext} plus its own id. */
export interface HandlerContext<F extends string = string> extends ReactiveContext<F> {
  readonly handlerId: string;
}

const active = new AsyncLocalStorage<ReactiveContext>();

/** Runs `fn` with `context` as the target of the module-level functions. */
export function runWithContext<T>(context: ReactiveContext, fn: () => T): T {
  return active.run(context, fn);
}

/**
 * The context of the hook running in this async call chain.
 * @throws NoActiveDispatchError (`NO_ACTIVE_DISPATCH`) outside a running hook.
 */
export function currentContext(functionName = 'currentContext'): ReactiveContext {
  const context = active.getStore();
  if (!context) throw new NoActiveDispatchError(functionName);
  return context;
}

/** Module-level {@link ReactiveContext.setFlag} for the running hook. @throws NoActiveDispatchError */
export function setFlag(flag: string, value?: unknown): void {
  currentContext('setFlag').setFlag(flag, value);
}
/** Module-level {@link ReactiveContext.clearFlag}. @throws NoActiveDispatchError */
export function clearFlag(flag: string): void {
  currentContext('clearFlag').clearFlag(flag);
}
/** Module-level {@link ReactiveContext.toggleFlag}. @throws NoActiveDispatchError */
export function toggleFlag(flag: string, shouldSet: unknown): void {
  currentContext('toggleFlag').toggleFlag(flag, shouldSet);
}
/** Module-level {@link ReactiveContext.isFlagSet}. @throws NoActiveDispatchError */
export function isFlagSet(flag: string): boolean {
  return currentContext('isFlagSet').isFlagSet(flag);
}
/** Module-level {@link ReactiveContext.allFlagsSet}. @throws NoActiveDispatchError */
export function allFlagsSet(...flags: string[]): boolean {
  return currentContext('allFlagsSet').allFlagsSet(...flags);
}
/** Module-level {@link ReactiveContext.anyFlagsSet}. @throws NoActiveDispatchError */
export function anyFlagsSet(...flags: string[]): boolean {
  return currentContext('anyFlagsSet').anyFlagsSet(...flags);
}
/** Module-level {@link ReactiveContext.getFlags}. @throws NoActiveDispatchError */
export function getFlags(): string[] {
  return currentContext('getFlags').getFlags();
}
/** Module-level {@link ReactiveContext.getUnsetFlags}. @throws NoActiveDispatchError */
export function getUnsetFlags(...flags: string[]): string[] {
  return currentContext('getUnsetFlags').getUnsetFlags(...flags);
}
/** Module-level {@link ReactiveContext.getFlagValue}. @throws NoActiveDispatchError */
export function getFlagValue(flag: string): unknown {
  return currentContext('getFlagValue').getFlagValue(flag);
}
/** Module-level {@link ReactiveContext.registerTrigger} (for the rest of this hook). @throws NoActiveDispatchError */
export function registerTrigger(options: TriggerOptions<ReactiveContext>): void {
  currentContext('registerTrigger').registerTrigger(options);
}
/** Module-level {@link ReactiveContext.dataChanged}. @throws NoActiveDispatchError */
export function dataChanged(key: string, data: unknown): boolean {
  return currentContext('dataChanged').dataChanged(key, data);
}
/** Module-level {@link ReactiveContext.isDataChanged}. @throws NoActiveDispatchError */
export function isDataChanged(key: string, data: unknown): boolean {
  return currentContext('isDataChanged').isDataChanged(key, data);
}

/**
 * Ends the hook now, like Python's `sys.exit(code)` in a handler: code 0 stops
 * dispatch and commits what was done; any other code fails the hook.
 * @throws HookExit always.
 */
export function exitHook(code = 0): never {
  throw new HookExit(code);
}
