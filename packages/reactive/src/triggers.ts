import { InvalidTriggerError } from './errors.js';
import { assertFlag } from './flag-name.js';
import type { UnitState } from './unit-state.js';

/**
 * A trigger: when `when` becomes set (or `whenNot` becomes unset), set `setFlag`,
 * clear `clearFlag` and call `callback`, synchronously, before anything else runs.
 * Exactly one of `when` / `whenNot`, and at least one of the three effects.
 */
export interface TriggerOptions<C = unknown> {
  readonly when?: string;
  readonly whenNot?: string;
  readonly setFlag?: string;
  readonly clearFlag?: string;
  /** Runs synchronously inside the flag change that fired it. */
  readonly callback?: (context: C) => void;
}

/** A trigger after validation. */
export interface TriggerDefinition<C = unknown> {
  readonly on: 'set' | 'clear';
  readonly flag: string;
  readonly setFlag: string | undefined;
  readonly clearFlag: string | undefined;
  readonly callback: ((context: C) => void) | undefined;
}

/**
 * Checks trigger options in the original's order.
 * @throws InvalidTriggerError (`INVALID_TRIGGER`); InvalidFlagError (`INVALID_FLAG`).
 */
export function validateTrigger<C>(options: TriggerOptions<C>): TriggerDefinition<C> {
  if (!options || typeof options !== 'object') {
    throw new InvalidTriggerError('registerTrigger needs an options object such as { when: "a", setFlag: "b" }', options);
  }
  const { when, whenNot, setFlag, clearFlag, callback } = options;
  if (!when && !whenNot) throw new InvalidTriggerError('Must provide one of when or whenNot', options);
  if (when && whenNot) throw new InvalidTriggerError('Only one of when or whenNot can be provided', options);
  if (!setFlag && !clearFlag && !callback) {
    throw new InvalidTriggerError('Must provide at least one of setFlag, clearFlag, or callback', options);
  }
  if (callback && typeof callback !== 'function') {
    throw new InvalidTriggerError(`registerTrigger: callback must be a function, got ${typeof callback}`, options);
  }
  // As in the original, the checks above use truthiness but the kind is chosen by
  // presence: `{ when: '', whenNot: 'a' }` is a trigger on the flag '' (it never fires).
  const on = when !== undefined && when !== null ? 'set' : 'clear';
  const flag = on === 'set' ? when : whenNot;
  return {
    on,
    flag: flag === '' ? '' : assertFlag(flag, 'registerTrigger'),
    setFlag: setFlag ? assertFlag(setFlag, 'registerTrigger setFlag') : undefined,
    clearFlag: clearFlag ? assertFlag(clearFlag, 'registerTrigger clearFlag') : undefined,
    callback: callback || undefined,
  };
}

/** What fires on one transition: flag lists from unit state, callbacks from memory (live). */
export interface FiredTrigger<C> {
  readonly setFlags: readonly string[];
  readonly clearFlags: readonly string[];
  /** The live list: a callback registered while these run is still reached. */
  readonly callbacks: readonly ((context: C) => void)[];
}

const SET_PREFIX = 'reactive.flag_set_triggers.';
const CLEAR_PREFIX = 'reactive.flag_clear_triggers.';
const LEGACY_PREFIX = 'reactive.flag_triggers.';

interface StoredLists {
  set_flag: string[];
  clear_flag: string[];
}

/**
 * Where triggers live, as in the original: the flag lists in unit state (so they are
 * committed or rolled back with the hook, and wiped by `clearLists()` at hook exit),
 * the callbacks in this object's memory (so they outlive that wipe until the process
 * ends — a quirk the conformance data pins).
 */
export class TriggerTable<C> {
  readonly #state: UnitState;
  readonly #callbacks = new Map<string, ((context: C) => void)[]>();

  constructor(state: UnitState) {
    this.#state = state;
  }

  /** Adds a validated trigger; flag names and callbacks are kept once each. */
  add(trigger: TriggerDefinition<C>): void {
    const key = (trigger.on === 'set' ? SET_PREFIX : CLEAR_PREFIX) + trigger.flag;
    if (trigger.setFlag || trigger.clearFlag) {
      const lists = this.#lists(key);
      if (trigger.setFlag && !lists.set_flag.includes(trigger.setFlag)) lists.set_flag.push(trigger.setFlag);
      if (trigger.clearFlag && !lists.clear_flag.includes(trigger.clearFlag)) lists.clear_flag.push(trigger.clearFlag);
      this.#state.data.set(key, lists);
    }
    if (trigger.callback) {
      const callbacks = this.#liveCallbacks(key);
      if (!callbacks.includes(trigger.callback)) callbacks.push(trigger.callback);
    }
  }

  /** What fires when `flag` becomes set (`on: 'set'`) or unset (`on: 'clear'`). */
  lookup(on: 'set' | 'clear', flag: string): FiredTrigger<C> {
    const key = (on === 'set' ? SET_PREFIX : CLEAR_PREFIX) + flag;
    const stored = this.#state.data.get(key) as StoredLists | undefined;
    return {
      // Copies: the original iterates lists freshly read from storage.
      setFlags: stored ? [...stored.set_flag] : [],
      clearFlags: stored ? [...stored.clear_flag] : [],
      callbacks: this.#liveCallbacks(key),
    };
  }

  /**
   * The callbacks of `key`, created empty if there are none: the original hands the
   * firing loop this very list, so a callback registered on the same flag while it
   * fires still runs in that firing.
   */
  #liveCallbacks(key: string): ((context: C) => void)[] {
    let callbacks = this.#callbacks.get(key);
    if (!callbacks) {
      callbacks = [];
      this.#callbacks.set(key, callbacks);
    }
    return callbacks;
  }

  /** Deletes every stored flag list (the original's atexit `_clear_triggers`). */
  clearLists(): void {
    for (const key of [...this.#state.data.keys()]) {
      if (key.startsWith(SET_PREFIX) || key.startsWith(CLEAR_PREFIX) || key.startsWith(LEGACY_PREFIX)) {
        this.#state.data.delete(key);
      }
    }
  }

  #lists(key: string): StoredLists {
    const stored = this.#state.data.get(key) as StoredLists | undefined;
    return { set_flag: [...(stored?.set_flag ?? [])], clear_flag: [...(stored?.clear_flag ?? [])] };
  }
}
