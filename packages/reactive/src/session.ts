import type { ReactiveContext, UnitKeyValue } from './context.js';
import { dataHash } from './data-hash.js';
import { TriggerCycleError } from './errors.js';
import type { Phase, ReactiveEmitter } from './events.js';
import { assertFlag } from './flag-name.js';
import { FlagWatch } from './flag-watch.js';
import { HookExit } from './hook-exit.js';
import { expandHookPatterns, type RelationMetadata } from './hook-patterns.js';
import type { PredicateView } from './predicates.js';
import { TriggerTable, validateTrigger, type TriggerDefinition, type TriggerOptions } from './triggers.js';
import type { UnitState } from './unit-state.js';

/**
 * How deep triggers may fire each other before the engine calls it a cycle. Python
 * reaches its recursion limit at roughly this depth; acyclic chains of dozens or
 * hundreds of levels stay well inside it.
 */
export const MAX_TRIGGER_DEPTH = 1000;

const INVOKED_PREFIX = 'reactive.invoked.';
const DATA_CHANGED_PREFIX = 'reactive.data_changed.';

/** The ids of the `onlyOnce` handlers that have run, from a unit's committed data. */
export function invokedHandlerIds(data: Readonly<Record<string, unknown>>): string[] {
  return Object.keys(data)
    .filter((key) => key.startsWith(INVOKED_PREFIX) && data[key])
    .map((key) => key.slice(INVOKED_PREFIX.length));
}

/** Options for one hook's session. */
export interface HookSessionOptions {
  readonly hookName: string;
  readonly state: UnitState;
  readonly emitter: ReactiveEmitter;
  /** metadata.yaml content, for `{role:interface}` hook patterns. */
  readonly metadata?: RelationMetadata;
  /**
   * Extra members for every context of this hook (the runtime adds hook tools, config,
   * logging). The engine's own members take precedence over same-named ones.
   */
  readonly services?: object;
}

/**
 * The live state of one hook inside the engine: the flags and data being changed, the
 * flag watch, the triggers, the current phase. It implements the flag mutation rules
 * (§3 of the spec): only real transitions record a change and fire triggers; every
 * clear, real or not, marks the queue for a re-test.
 */
export class HookSession implements PredicateView {
  readonly hookName: string;
  readonly state: UnitState;
  readonly watch = new FlagWatch();
  readonly triggers: TriggerTable<ReactiveContext>;
  readonly emitter: ReactiveEmitter;
  /** The context handed to callbacks; handler contexts inherit from it. */
  readonly context: ReactiveContext;
  phase: Phase | undefined;
  /** Set by every `clearFlag` call; dispatch reads and resets it after each handler. */
  removedFlag = false;

  readonly #metadata: RelationMetadata;
  readonly #hookMatches = new WeakMap<readonly string[], boolean>();
  readonly #transitions: string[] = [];
  readonly #memos = new Map<object | symbol, unknown>();

  constructor(options: HookSessionOptions) {
    this.hookName = options.hookName;
    this.state = options.state;
    this.emitter = options.emitter;
    this.#metadata = options.metadata ?? {};
    this.triggers = new TriggerTable(options.state);
    this.context = this.#createContext(options.services ?? {});
  }

  isSet(flag: string): boolean {
    return this.state.flags.has(flag);
  }

  wasInvoked(handlerId: string): boolean {
    return Boolean(this.state.data.get(INVOKED_PREFIX + handlerId));
  }

  markInvoked(handlerId: string): void {
    this.state.data.set(INVOKED_PREFIX + handlerId, true);
  }

  hookMatches(patterns: readonly string[]): boolean {
    let matches = this.#hookMatches.get(patterns);
    if (matches === undefined) {
      matches = expandHookPatterns(patterns, this.#metadata).includes(this.hookName);
      this.#hookMatches.set(patterns, matches);
    }
    return matches;
  }

  /** set_flag: write the value; on an unset→set transition record it and fire triggers. */
  setFlag(flag: string, value: unknown = null): void {
    assertFlag(flag, 'setFlag');
    const wasSet = this.state.flags.has(flag);
    this.state.flags.set(flag, value === undefined ? null : value);
    if (wasSet) return;
    this.emitter.emit('flag:set', { flag, value });
    this.watch.change(flag);
    this.#fire('set', flag);
  }

  /** clear_flag: delete; always mark the re-test; on a set→unset transition fire triggers. */
  clearFlag(flag: string): void {
    assertFlag(flag, 'clearFlag');
    const wasSet = this.state.flags.delete(flag);
    this.removedFlag = true;
    if (!wasSet) return;
    this.emitter.emit('flag:clear', { flag });
    this.watch.change(flag);
    this.#fire('clear', flag);
  }

  toggleFlag(flag: string, shouldSet: unknown): void {
    if (shouldSet) this.setFlag(flag);
    else this.clearFlag(flag);
  }

  /** Registers a validated trigger for the rest of this hook. */
  addTrigger(trigger: TriggerDefinition<ReactiveContext>): void {
    this.triggers.add(trigger);
  }

  #fire(on: 'set' | 'clear', flag: string): void {
    const fired = this.triggers.lookup(on, flag);
    if (fired.setFlags.length === 0 && fired.clearFlags.length === 0 && fired.callbacks.length === 0) return;
    this.#transitions.push(`${on}:${flag}`);
    try {
      if (this.#transitions.length > MAX_TRIGGER_DEPTH) {
        throw new TriggerCycleError([...this.#transitions], this.#transitions.length);
      }
      this.emitter.emit('trigger:fired', {
        on,
        flag,
        setFlags: fired.setFlags,
        clearFlags: fired.clearFlags,
        callbacks: fired.callbacks.length,
      });
      for (const target of fired.setFlags) this.setFlag(target);
      for (const target of fired.clearFlags) this.clearFlag(target);
      for (const callback of fired.callbacks) callback(this.context);
    } finally {
      this.#transitions.pop();
    }
  }

  #createContext(services: object): ReactiveContext {
    const flags = this.state.flags;
    const data = this.state.data;
    const kv: UnitKeyValue = {
      get: <T>(key: string) => data.get(key) as T | undefined,
      set: (key, value) => {
        data.set(key, value === undefined ? null : value);
      },
      unset: (key) => {
        data.delete(key);
      },
    };
    const isDataChanged = (key: string, value: unknown): boolean =>
      data.get(DATA_CHANGED_PREFIX + key) !== dataHash(value);
    return Object.freeze({
      ...services,
      hookName: this.hookName,
      setFlag: (flag: string, value?: unknown) => this.setFlag(flag, value),
      clearFlag: (flag: string) => this.clearFlag(flag),
      toggleFlag: (flag: string, shouldSet: unknown) => this.toggleFlag(flag, shouldSet),
      isFlagSet: (flag: string) => flags.has(assertFlag(flag, 'isFlagSet')),
      allFlagsSet: (...names: string[]) => names.every((flag) => flags.has(assertFlag(flag, 'allFlagsSet'))),
      anyFlagsSet: (...names: string[]) => names.some((flag) => flags.has(assertFlag(flag, 'anyFlagsSet'))),
      getFlags: () => [...flags.keys()].sort(),
      getUnsetFlags: (...names: string[]) => names.filter((flag) => !flags.has(assertFlag(flag, 'getUnsetFlags'))).sort(),
      getFlagValue: (flag: string) => flags.get(flag),
      registerTrigger: (options: TriggerOptions<ReactiveContext>) => this.addTrigger(validateTrigger(options)),
      dataChanged: (key: string, value: unknown) => {
        const changed = isDataChanged(key, value);
        data.set(DATA_CHANGED_PREFIX + key, dataHash(value));
        return changed;
      },
      isDataChanged,
      kv,
      memo: <T>(key: object | symbol, create: () => T): T => {
        if (!this.#memos.has(key)) this.#memos.set(key, create());
        return this.#memos.get(key) as T;
      },
      exit: (code = 0): never => {
        throw new HookExit(code);
      },
    });
  }
}
