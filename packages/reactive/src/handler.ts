import { InvalidFlagError, InvalidHandlerError } from './errors.js';
import { checkEffects, type FlagEffect, type FlagEffects } from './flag-effects.js';
import type { Predicate } from './predicates.js';

/** Flags for a `when*` option: one flag or a list of them. */
export type FlagList<F extends string = string> = F | readonly F[];

/**
 * The conditions of one handler, in the functional API. Each key applies the decorator
 * of the same name; all of them are AND-ed. An empty list means the key is not
 * applied; to apply a decorator with no flags (`@when()`), put it in `decorators`.
 *
 * @example { when: 'layer.docker-resource.oci-image.available', whenNot: 'charm.minio.started' }
 */
export interface HandlerSpec<F extends string = string> {
  /** The handler's id. Defaults to the function's name. Must be unique in the reactor. */
  readonly id?: string;
  readonly when?: FlagList<F>;
  readonly whenAll?: FlagList<F>;
  readonly whenAny?: FlagList<F>;
  readonly whenNot?: FlagList<F>;
  readonly whenNone?: FlagList<F>;
  readonly whenNotAll?: FlagList<F>;
  /** Hook name patterns, with `{a,b}` alternatives and `{role:interface}` relation names. */
  readonly hook?: string | readonly string[];
  readonly onlyOnce?: boolean;
  readonly collectMetrics?: boolean;
  readonly meterStatusChanged?: boolean;
  /**
   * Decorators in source order (top to bottom), for what the keys above cannot say:
   * the same decorator twice, or a decorator with no flags.
   * @example { decorators: [whenAny('a', 'b'), whenAny('c', 'd')] }
   */
  readonly decorators?: readonly { readonly predicate: Predicate }[];
  /**
   * Flags the handler may set, for tools (`charms lint`, `graph`): dispatch ignores it.
   * Declare what reading the handler's code cannot find, such as flags set inside a
   * library function or named after the charm's resources.
   * @example { sets: ['app.configured', (charm) => Object.keys(charm.metadata.resources ?? {}).map((r) => `app.${r}.ready`)] }
   */
  readonly sets?: FlagEffects<F>;
  /** Flags the handler may clear, as {@link HandlerSpec.sets}. */
  readonly clears?: FlagEffects<F>;
}

/**
 * A registered handler: its identity and its conditions. This record is also what
 * `Reactor.handlers` lists; the function it runs is kept beside it by the registry.
 */
export interface HandlerInfo {
  readonly id: string;
  /** Position in registration order; dispatch runs queued handlers by this. */
  readonly order: number;
  /** Predicates in the order the original would test them (bottom decorator first). */
  readonly predicates: readonly Predicate[];
  /** The union of every flag named by its `when*` predicates (what FlagWatch gates on). */
  readonly watched: readonly string[];
  /** The flags it declares it may set (`sets`, `@sets`); data for tools, never read by dispatch. */
  readonly sets: readonly FlagEffect[];
  /** The flags it declares it may clear (`clears`, `@clears`); data for tools only. */
  readonly clears: readonly FlagEffect[];
}

/** What a handler declares it changes, checked (see `checkEffects`). */
export type HandlerEffects = Pick<HandlerInfo, 'sets' | 'clears'>;

// The predicates of the boolean keys carry no data of their own, so every handler
// shares one object per kind (as every handler decorated with `@onlyOnce` does).
const ONLY_ONCE: Predicate = Object.freeze({ kind: 'onlyOnce' });
const COLLECT_METRICS: Predicate = Object.freeze({ kind: 'restrictedHook', hookName: 'collect-metrics' });
const METER_STATUS_CHANGED: Predicate = Object.freeze({ kind: 'restrictedHook', hookName: 'meter-status-changed' });
const NO_FLAGS: readonly string[] = Object.freeze([]);
// Most handlers declare nothing: they share one record of no effects.
const NO_EFFECTS: HandlerEffects = Object.freeze({ sets: Object.freeze([]), clears: Object.freeze([]) });

/** How error messages name the handler being registered. */
function where(id: unknown): string {
  return `handler '${String(id ?? '?')}'`;
}

/** A key is applied unless it is absent, null or false. */
function applied(value: unknown): boolean {
  return value != null && value !== false;
}

// The shorthand predicates of the spec being read, in source order. One list reused
// for every registration, so that registering many handlers leaves no half-empty
// list behind each of them (a list grown by push keeps room for 16 more).
const found: Predicate[] = [];

/**
 * Turns a spec into predicates in the order the original tests them: the bottom
 * decorator first, that is the reverse of the source order (`decorators` first, then
 * the keys in the documented order `hook`, `collectMetrics`, `meterStatusChanged`,
 * `when`, `whenAll`, `whenAny`, `whenNot`, `whenNone`, `whenNotAll`, `onlyOnce`).
 * Problems are looked for in source order, so the first one is reported. `id` only
 * names the handler in error messages, which are built only on failure.
 * @throws InvalidHandlerError (`INVALID_HANDLER`) for a malformed hook pattern or
 * decorator; InvalidFlagError (`INVALID_FLAG`) for a flag that is not a non-empty string.
 */
export function specPredicates(spec: HandlerSpec, id: unknown): Predicate[] {
  const decorators = spec.decorators;
  const listed: Predicate[] | undefined =
    decorators === undefined || decorators === null
      ? undefined
      : decorators.map((decorator) => {
          if (!decorator || (typeof decorator !== 'object' && typeof decorator !== 'function') || !('predicate' in decorator)) {
            throw new InvalidHandlerError(spec.id, `${where(id)}: 'decorators' holds something that is not a reactive decorator such as when('flag')`);
          }
          return decorator.predicate;
        });
  const { hook, collectMetrics, meterStatusChanged, when, whenAll, whenAny, whenNot, whenNone, whenNotAll, onlyOnce } = spec as { readonly [K in keyof HandlerSpec]: unknown };
  let count = 0;
  if (hook != null && hook !== false) {
    const patterns = typeof hook === 'string' ? [hook] : (hook as readonly unknown[]);
    // An empty pattern is allowed, as in the original: it matches no hook.
    if (!Array.isArray(patterns) || patterns.some((p) => typeof p !== 'string')) {
      throw new InvalidHandlerError(spec.id, `${where(id)}: 'hook' must be a hook name pattern or a list of them, got ${JSON.stringify(hook)}`);
    }
    if (patterns.length > 0) found[count++] = { kind: 'hook', patterns: typeof hook === 'string' ? patterns : [...patterns] };
  }
  if (collectMetrics != null && collectMetrics !== false) found[count++] = COLLECT_METRICS;
  if (meterStatusChanged != null && meterStatusChanged !== false) found[count++] = METER_STATUS_CHANGED;
  if (when != null && when !== false) count = addFlags(count, 'whenAll', when, id, 'when');
  if (whenAll != null && whenAll !== false) count = addFlags(count, 'whenAll', whenAll, id, 'whenAll');
  if (whenAny != null && whenAny !== false) count = addFlags(count, 'whenAny', whenAny, id, 'whenAny');
  if (whenNot != null && whenNot !== false) count = addFlags(count, 'whenNone', whenNot, id, 'whenNot');
  if (whenNone != null && whenNone !== false) count = addFlags(count, 'whenNone', whenNone, id, 'whenNone');
  if (whenNotAll != null && whenNotAll !== false) count = addFlags(count, 'whenNotAll', whenNotAll, id, 'whenNotAll');
  if (onlyOnce != null && onlyOnce !== false) found[count++] = ONLY_ONCE;
  // Array literals for the usual one or two keys: a list of just the right size, made
  // without the calls of slice and reverse, which thousands of registrations pay.
  const bottomUp = count === 1 ? [found[0]!] : count === 2 ? [found[1]!, found[0]!] : found.slice(0, count).reverse();
  found.fill(ONLY_ONCE, 0, count); // Keep nothing of this spec alive.
  return listed === undefined ? bottomUp : bottomUp.concat(listed.reverse());
}

/**
 * The `sets` and `clears` of a spec, checked.
 * @throws InvalidHandlerError (`INVALID_HANDLER`) for an entry that is neither a flag nor a function.
 */
export function specEffects(spec: HandlerSpec, id: unknown): HandlerEffects {
  const { sets, clears } = spec as { readonly sets?: unknown; readonly clears?: unknown };
  if (sets == null && clears == null) return NO_EFFECTS;
  return { sets: checkEffects(sets, id, 'sets'), clears: checkEffects(clears, id, 'clears') };
}

/** Adds the predicate of one `when*` key to `found`, unless its list is empty; the list is copied. */
function addFlags(count: number, kind: 'whenAll' | 'whenAny' | 'whenNone' | 'whenNotAll', value: unknown, id: unknown, key: string): number {
  let flags: string[];
  if (typeof value === 'string') {
    if (value.length === 0) throw new InvalidFlagError(value, `${where(id)} '${key}'`);
    flags = [value];
  } else {
    if (!Array.isArray(value)) throw new InvalidFlagError(value, `${where(id)} '${key}'`);
    if (value.length === 0) return count;
    flags = value.slice();
    for (let i = 0; i < flags.length; i += 1) {
      // `i in flags`: a hole is kept as it is, as Array.prototype.map does.
      const flag: unknown = flags[i];
      if ((typeof flag !== 'string' || flag.length === 0) && i in flags) throw new InvalidFlagError(flag, `${where(id)} '${key}'`);
    }
  }
  found[count] = { kind, flags };
  return count + 1;
}

/**
 * Builds the handler record. `bottomUp` holds the predicates in the order the original
 * tests them (the bottom decorator first); the record keeps that array as it is.
 * @throws InvalidHandlerError (`INVALID_HANDLER`) without an id, with a `run` that is
 * not a function, or without predicates.
 */
export function createHandler(id: unknown, order: number, bottomUp: readonly Predicate[], run: unknown, effects: HandlerEffects = NO_EFFECTS): HandlerInfo {
  if (typeof id !== 'string' || id.length === 0) {
    throw new InvalidHandlerError(
      undefined,
      'a handler has no name or id: pass a named function (async function install() {…}) or set { id: "…" }',
    );
  }
  if (typeof run !== 'function') {
    throw new InvalidHandlerError(id, `handler '${id}' is not a function, got ${typeof run}`);
  }
  if (bottomUp.length === 0) {
    throw new InvalidHandlerError(
      id,
      `handler '${id}' has no conditions, so it would run in every round of every hook. ` +
        `Give it at least one of when, whenNot, hook, onlyOnce, … (use decorators: [when()] if that is really meant).`,
    );
  }
  return new HandlerRecord(id, order, bottomUp, watchedFlags(bottomUp), effects.sets, effects.clears);
}

/** A registered handler's {@link HandlerInfo}. */
class HandlerRecord implements HandlerInfo {
  // Declared, not initialised, fields: the constructor's plain assignments are the only
  // stores (an initialised class field is defined once more before them). Read-only to
  // everyone else through HandlerInfo.
  declare id: string;
  declare order: number;
  declare predicates: readonly Predicate[];
  declare watched: readonly string[];
  declare sets: readonly FlagEffect[];
  declare clears: readonly FlagEffect[];

  constructor(id: string, order: number, predicates: readonly Predicate[], watched: readonly string[], sets: readonly FlagEffect[], clears: readonly FlagEffect[]) {
    this.id = id;
    this.order = order;
    this.predicates = predicates;
    this.watched = watched;
    this.sets = sets;
    this.clears = clears;
  }
}

/**
 * Every flag the predicates name, first occurrence first. One flag predicate without
 * repeats (the usual case) lends its own list, so nothing is copied.
 */
function watchedFlags(predicates: readonly Predicate[]): readonly string[] {
  let watched: readonly string[] = NO_FLAGS;
  let owned: string[] | undefined;
  // Index loops here and in the registry: a for…of over an array makes an iterator and
  // a result object per step until the code is optimised, which registering thousands
  // of handlers at start-up pays in full.
  for (let p = 0; p < predicates.length; p += 1) {
    const predicate = predicates[p]!;
    if (!('flags' in predicate)) continue;
    const flags = predicate.flags;
    if (watched === NO_FLAGS && isDenseWithoutRepeats(flags)) {
      watched = flags;
      continue;
    }
    owned ??= watched.slice();
    // A hole in a list names no flag.
    for (let i = 0; i < flags.length; i += 1) if (i in flags && !owned.includes(flags[i]!)) owned.push(flags[i]!);
    watched = owned;
  }
  return watched;
}

function isDenseWithoutRepeats(flags: readonly string[]): boolean {
  if (flags.length === 1) return 0 in flags;
  for (let i = 0; i < flags.length; i += 1) {
    if (!(i in flags) || (i > 0 && flags.lastIndexOf(flags[i]!, i - 1) !== -1)) return false;
  }
  return true;
}

/** True if the handler carries `@onlyOnce`, so its run is marked in the unit data. */
export function isOnlyOnce(handler: HandlerInfo): boolean {
  for (const predicate of handler.predicates) if (predicate.kind === 'onlyOnce') return true;
  return false;
}
