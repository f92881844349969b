import { InvalidHandlerError } from './errors.js';

/**
 * What a declaration may read of the charm it is part of: metadata.yaml, as far as
 * flags are named after it (resources, relation endpoints). Structural, so the engine
 * needs no manifest reader; the runtime's `CharmMetadata` fits it.
 */
export interface DeclaredCharm {
  readonly metadata: {
    readonly name?: string;
    readonly provides?: DeclaredEndpoints;
    readonly requires?: DeclaredEndpoints;
    readonly peers?: DeclaredEndpoints;
    readonly resources?: Readonly<Record<string, { readonly type?: string; readonly 'auto-fetch'?: unknown }>>;
  };
}

/** Endpoints of one role in metadata.yaml, by name. */
type DeclaredEndpoints = Readonly<Record<string, { readonly interface?: string } | null | undefined>>;

/**
 * One flag a handler may set or clear: its name, or, for flags named after the charm
 * (one per resource, say), a function of the charm that returns their names.
 *
 * @example 'app.configured'
 * @example (charm) => Object.keys(charm.metadata.resources ?? {}).map((name) => `layer.docker-resource.${name}.available`)
 */
export type FlagEffect<F extends string = string> = F | ((charm: DeclaredCharm) => Iterable<string>);

/** One {@link FlagEffect} or a list of them, as `sets` and `clears` take them. */
export type FlagEffects<F extends string = string> = FlagEffect<F> | readonly FlagEffect<F>[];

/** The flags a handler declares it may set and clear, resolved against one charm. */
export interface DeclaredFlags {
  readonly sets: readonly string[];
  readonly clears: readonly string[];
}

const NONE: readonly FlagEffect[] = Object.freeze([]);

/**
 * Checks and copies a `sets` or `clears` value. Declarations are data for tools (lint,
 * graph): dispatch never reads them, so a wrong one misleads a tool, never a hook.
 * @throws InvalidHandlerError (`INVALID_HANDLER`) for an entry that is neither a
 * non-empty string nor a function.
 */
export function checkEffects(value: unknown, id: unknown, key: 'sets' | 'clears'): readonly FlagEffect[] {
  if (value === undefined || value === null) return NONE;
  const list = typeof value === 'string' || typeof value === 'function' ? [value] : value;
  if (!Array.isArray(list)) throw badEffect(value, id, key);
  if (list.length === 0) return NONE;
  for (const entry of list) {
    if (!((typeof entry === 'string' && entry.length > 0) || typeof entry === 'function')) throw badEffect(entry, id, key);
  }
  return Object.freeze(list.slice() as FlagEffect[]);
}

function badEffect(value: unknown, id: unknown, key: string): InvalidHandlerError {
  // A decorator is checked before it knows its method: it names itself.
  const who = typeof id === 'string' && id.startsWith('@') ? id : `handler '${String(id ?? '?')}': '${key}'`;
  return new InvalidHandlerError(
    typeof id === 'string' && !id.startsWith('@') ? id : undefined,
    `${who} takes flag names or functions of the charm that return flag names, got ${describe(value)}`,
  );
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : typeof value;
}

/**
 * The flags a handler declares it may set and clear, its functions called with `charm`;
 * each list sorted, without repeats.
 * @throws whatever a declaring function throws.
 * @example declaredFlags(reactor.handlers[0], { metadata }) // { sets: ['app.ready'], clears: [] }
 */
export function declaredFlags(handler: { readonly sets: readonly FlagEffect[]; readonly clears: readonly FlagEffect[] }, charm: DeclaredCharm): DeclaredFlags {
  return { sets: resolve(handler.sets, charm), clears: resolve(handler.clears, charm) };
}

function resolve(effects: readonly FlagEffect[], charm: DeclaredCharm): string[] {
  const flags = new Set<string>();
  for (const effect of effects) {
    if (typeof effect === 'string') flags.add(effect);
    else for (const flag of effect(charm)) if (typeof flag === 'string' && flag.length > 0) flags.add(flag);
  }
  return [...flags].sort();
}
