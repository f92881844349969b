import { InvalidHandlerError } from './errors.js';
import { assertFlags } from './flag-name.js';
import { predicateFlags, type Predicate } from './predicates.js';

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
}

/** A registered handler: its identity, its conditions and what it runs. */
export interface Handler<C = unknown> {
  readonly id: string;
  /** Position in registration order; dispatch runs queued handlers by this. */
  readonly order: number;
  /** Predicates in the order the original would test them (bottom decorator first). */
  readonly predicates: readonly Predicate[];
  /** The union of every flag named by its `when*` predicates (what FlagWatch gates on). */
  readonly watched: readonly string[];
  readonly onlyOnce: boolean;
  readonly run: (context: C) => unknown;
  /** The handler's own code (for lint and graph), when known. */
  readonly source?: string;
}

/** The public description of a handler, for tools such as explain and graph. */
export interface HandlerInfo {
  readonly id: string;
  readonly order: number;
  readonly predicates: readonly Predicate[];
  readonly watched: readonly string[];
  /** The handler's own code, as written (tools read the flags it sets from it). */
  readonly source?: string;
}

// Source order of the shorthand keys, top to bottom, as documented for fixtures.
const SHORTHAND_ORDER = [
  'hook',
  'collectMetrics',
  'meterStatusChanged',
  'when',
  'whenAll',
  'whenAny',
  'whenNot',
  'whenNone',
  'whenNotAll',
  'onlyOnce',
] as const;

const FLAG_KIND = {
  when: 'whenAll',
  whenAll: 'whenAll',
  whenAny: 'whenAny',
  whenNot: 'whenNone',
  whenNone: 'whenNone',
  whenNotAll: 'whenNotAll',
} as const;

/**
 * Turns a spec into predicates in source order (top to bottom).
 * @throws InvalidHandlerError (`INVALID_HANDLER`) for a malformed hook pattern;
 * InvalidFlagError (`INVALID_FLAG`) for a flag that is not a string.
 */
export function specPredicates(spec: HandlerSpec, where: string): Predicate[] {
  const predicates: Predicate[] = (spec.decorators ?? []).map((decorator) => {
    if (!decorator || (typeof decorator !== 'object' && typeof decorator !== 'function') || !('predicate' in decorator)) {
      throw new InvalidHandlerError(spec.id, `${where}: 'decorators' holds something that is not a reactive decorator such as when('flag')`);
    }
    return decorator.predicate;
  });
  for (const key of SHORTHAND_ORDER) {
    const value = spec[key];
    if (value === undefined || value === null || value === false) continue;
    if (key === 'hook') {
      const patterns = typeof value === 'string' ? [value] : (value as readonly unknown[]);
      // An empty pattern is allowed, as in the original: it matches no hook.
      if (!Array.isArray(patterns) || patterns.some((p) => typeof p !== 'string')) {
        throw new InvalidHandlerError(spec.id, `${where}: 'hook' must be a hook name pattern or a list of them, got ${JSON.stringify(value)}`);
      }
      if (patterns.length > 0) predicates.push({ kind: 'hook', patterns: [...patterns] as string[] });
    } else if (key === 'onlyOnce') {
      predicates.push({ kind: 'onlyOnce' });
    } else if (key === 'collectMetrics') {
      predicates.push({ kind: 'restrictedHook', hookName: 'collect-metrics' });
    } else if (key === 'meterStatusChanged') {
      predicates.push({ kind: 'restrictedHook', hookName: 'meter-status-changed' });
    } else {
      const flags = assertFlags(typeof value === 'string' ? [value] : (value as readonly unknown[]), `${where} '${key}'`);
      if (flags.length > 0) predicates.push({ kind: FLAG_KIND[key], flags });
    }
  }
  return predicates;
}

/**
 * Builds the handler record. `sourceOrder` is top-to-bottom; the original applies
 * decorators bottom-up, so predicates are stored reversed.
 * @throws InvalidHandlerError (`INVALID_HANDLER`) without an id or without predicates.
 */
export function createHandler<C>(
  id: unknown,
  order: number,
  sourceOrder: readonly Predicate[],
  run: (context: C) => unknown,
  source?: string,
): Handler<C> {
  if (typeof id !== 'string' || id.length === 0) {
    throw new InvalidHandlerError(
      undefined,
      'a handler has no name or id: pass a named function (async function install() {…}) or set { id: "…" }',
    );
  }
  if (typeof run !== 'function') {
    throw new InvalidHandlerError(id, `handler '${id}' is not a function, got ${typeof run}`);
  }
  if (sourceOrder.length === 0) {
    throw new InvalidHandlerError(
      id,
      `handler '${id}' has no conditions, so it would run in every round of every hook. ` +
        `Give it at least one of when, whenNot, hook, onlyOnce, … (use decorators: [when()] if that is really meant).`,
    );
  }
  const predicates = [...sourceOrder].reverse();
  const watched = [...new Set(predicates.flatMap(predicateFlags))];
  return {
    id,
    order,
    predicates,
    watched,
    onlyOnce: predicates.some((p) => p.kind === 'onlyOnce'),
    run,
    source,
  };
}
