import type { HandlerContext } from './context.js';
import { InvalidHandlerError } from './errors.js';
import { checkEffects, type FlagEffect } from './flag-effects.js';
import { assertFlags } from './flag-name.js';
import type { Predicate } from './predicates.js';

// Node 20 has no Symbol.metadata; esbuild (tsup, tsx, vitest) falls back to this same
// registered symbol, and tsc's own output needs it defined to pass metadata at all.
(Symbol as { metadata?: symbol }).metadata ??= Symbol.for('Symbol.metadata');

/** A method a reactive decorator accepts: no parameter, or the handler context. */
export type HandlerMethod<This, C extends HandlerContext<any> = HandlerContext<any>> = (this: This, context: C) => unknown;

/**
 * A standard (TC39) method decorator that adds one predicate. It also carries the
 * predicate as data, so the functional API can take it in `decorators: [...]`.
 */
export interface ReactiveDecorator {
  <This, C extends HandlerContext<any>>(
    method: HandlerMethod<This, C>,
    context: ClassMethodDecoratorContext<This, HandlerMethod<This, C>>,
  ): void;
  readonly predicate: Predicate;
}

/** A decorator usable bare (`@onlyOnce`) or called (`@onlyOnce()`), as in the original. */
export interface OptionalCallDecorator extends ReactiveDecorator {
  (): ReactiveDecorator;
}

/** One decorated method, as recorded in class metadata. */
export interface DecoratedMethod {
  readonly name: string;
  /** Reads the method from an instance (works for `#private` methods too). */
  readonly get: (instance: unknown) => (context: HandlerContext) => unknown;
  /** Predicates in source order, top to bottom. */
  readonly predicates: Predicate[];
  /** Flags declared with `@sets`, in source order (data for tools). */
  readonly sets: FlagEffect[];
  /** Flags declared with `@clears`, in source order (data for tools). */
  readonly clears: FlagEffect[];
  /** The metadata object of the class that declared these decorators. */
  readonly owner: object;
  /**
   * What a subclass's record still holds of the parent's: each kind (conditions, sets,
   * clears) until the subclass decorates that kind itself, which replaces it.
   */
  readonly inherited: Set<'predicates' | 'sets' | 'clears'>;
}

const HANDLERS = Symbol.for('@charms/reactive.handlers');

/**
 * The record of the method being decorated, made on its first decorator. Decorators
 * apply bottom-up, so each one prepends to keep the lists in source order.
 * @throws InvalidHandlerError for anything but an instance method.
 */
function methodRecord(method: unknown, context: ClassMethodDecoratorContext): DecoratedMethod {
  if (context?.kind !== 'method' || typeof method !== 'function') {
    throw new InvalidHandlerError(
      String(context?.name ?? ''),
      `reactive decorators go on class methods; '${String(context?.name)}' is a ${context?.kind ?? typeof method}`,
    );
  }
  if (context.static) {
    throw new InvalidHandlerError(
      String(context.name),
      `static method '${String(context.name)}' cannot be a reactive handler: handlers run on the instance given to register()`,
    );
  }
  const metadata = context.metadata as Record<symbol, DecoratedMethod[] | undefined>;
  // Metadata inherits from the parent class: copy its list before changing it.
  if (!Object.hasOwn(metadata, HANDLERS)) metadata[HANDLERS] = [...(metadata[HANDLERS] ?? [])];
  const methods = metadata[HANDLERS]!;
  const name = String(context.name);
  let index = methods.findIndex((m) => m.name === name);
  if (index === -1 || methods[index]!.owner !== metadata) {
    // A subclass that decorates a method again starts from the parent's record: what it
    // decorates (conditions, sets or clears) replaces the parent's, the rest is kept, so
    // `@sets('x')` alone on an override keeps the conditions it runs under.
    const parent = index === -1 ? undefined : methods[index]!;
    const fresh: DecoratedMethod = {
      name,
      get: context.access.get as DecoratedMethod['get'],
      predicates: [...(parent?.predicates ?? [])],
      sets: [...(parent?.sets ?? [])],
      clears: [...(parent?.clears ?? [])],
      owner: metadata,
      inherited: new Set(parent ? (['predicates', 'sets', 'clears'] as const) : []),
    };
    if (index === -1) index = methods.push(fresh) - 1;
    else methods[index] = fresh;
  }
  return methods[index]!;
}

/** The record's list of `kind`, emptied first if it still holds the parent class's. */
function ownList<K extends 'predicates' | 'sets' | 'clears'>(record: DecoratedMethod, kind: K): DecoratedMethod[K] {
  if (record.inherited.delete(kind)) record[kind].length = 0;
  return record[kind];
}

function decorate(predicate: Predicate): ReactiveDecorator {
  const decorator = (method: unknown, context: ClassMethodDecoratorContext): void => {
    ownList(methodRecord(method, context), 'predicates').unshift(predicate);
  };
  return Object.assign(decorator, { predicate }) as ReactiveDecorator;
}

function optionalCall(predicate: Predicate): OptionalCallDecorator {
  const bare = decorate(predicate);
  const both = (...args: unknown[]): unknown =>
    args.length === 0 ? decorate(predicate) : (bare as (...a: unknown[]) => void)(...args);
  return Object.assign(both, { predicate }) as OptionalCallDecorator;
}

function flagDecorator(kind: 'whenAll' | 'whenAny' | 'whenNone' | 'whenNotAll', name: string) {
  return <F extends string>(...flags: F[]): ReactiveDecorator => decorate({ kind, flags: assertFlags(flags, `@${name}`) });
}

/** `@when(...flags)`: runs when every flag is set. Same as {@link whenAll}. @throws InvalidFlagError */
export const when = flagDecorator('whenAll', 'when');
/** `@whenAll(...flags)`: runs when every flag is set. @throws InvalidFlagError */
export const whenAll = flagDecorator('whenAll', 'whenAll');
/** `@whenAny(...flags)`: runs when at least one flag is set. @throws InvalidFlagError */
export const whenAny = flagDecorator('whenAny', 'whenAny');
/** `@whenNot(...flags)`: runs when none of the flags is set. Same as {@link whenNone}. @throws InvalidFlagError */
export const whenNot = flagDecorator('whenNone', 'whenNot');
/** `@whenNone(...flags)`: runs when none of the flags is set. @throws InvalidFlagError */
export const whenNone = flagDecorator('whenNone', 'whenNone');
/** `@whenNotAll(...flags)`: runs when at least one flag is not set. @throws InvalidFlagError */
export const whenNotAll = flagDecorator('whenNotAll', 'whenNotAll');

/**
 * `@hook(...patterns)`: runs in the hooks phase when the hook name matches a pattern.
 * Patterns take `{a,b}` alternatives and `{role:interface}` relation names.
 * An empty pattern matches no hook (as in the original).
 * @throws InvalidHandlerError for a pattern that is not a string.
 */
export function hook(...patterns: string[]): ReactiveDecorator {
  if (patterns.some((p) => typeof p !== 'string')) {
    throw new InvalidHandlerError(undefined, `@hook takes hook name patterns as strings, got ${JSON.stringify(patterns)}`);
  }
  return decorate({ kind: 'hook', patterns });
}

/** `@onlyOnce`: runs at most once in the unit's life (the mark is committed with the hook). */
export const onlyOnce: OptionalCallDecorator = optionalCall({ kind: 'onlyOnce' });
/** `@collectMetrics`: runs in the `collect-metrics` hook only. */
export const collectMetrics: OptionalCallDecorator = optionalCall({ kind: 'restrictedHook', hookName: 'collect-metrics' });
/** `@meterStatusChanged`: runs in the `meter-status-changed` hook only. */
export const meterStatusChanged: OptionalCallDecorator = optionalCall({
  kind: 'restrictedHook',
  hookName: 'meter-status-changed',
});

/**
 * A standard method decorator that declares flags a handler may set or clear, for tools
 * (`charms lint`, `graph`): it adds no condition and changes nothing in dispatch.
 */
export type EffectDecorator = <This, C extends HandlerContext<any>>(
  method: HandlerMethod<This, C>,
  context: ClassMethodDecoratorContext<This, HandlerMethod<This, C>>,
) => void;

function effectDecorator(key: 'sets' | 'clears') {
  return (...flags: FlagEffect[]): EffectDecorator => {
    const effects = checkEffects(flags, `@${key}`, key);
    return (method, context) => {
      ownList(methodRecord(method, context as ClassMethodDecoratorContext), key).unshift(...effects);
    };
  };
}

/**
 * `@sets(...flags)`: declares flags the method may set, as names or functions of the
 * charm ({@link FlagEffect}); the spec key `sets` of the functional API.
 * @throws InvalidHandlerError for an entry that is neither a flag nor a function.
 * @example @when('db.ready') @sets('app.configured') configure() { setFlag(APP_CONFIGURED); }
 */
export const sets = effectDecorator('sets');
/** `@clears(...flags)`: declares flags the method may clear, as {@link sets}. @throws InvalidHandlerError */
export const clears = effectDecorator('clears');

/** The decorated methods of an instance's class, in declaration order. */
export function decoratedMethods(instance: object): readonly DecoratedMethod[] {
  const ctor = (instance as { constructor?: Record<symbol, unknown> }).constructor;
  const metadata = ctor?.[Symbol.metadata as symbol] as Record<symbol, DecoratedMethod[] | undefined> | undefined;
  return metadata?.[HANDLERS] ?? [];
}
