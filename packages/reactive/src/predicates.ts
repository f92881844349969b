import type { Phase } from './events.js';

/**
 * One decorator's condition, as data. A handler's predicates are AND-ed; each keeps its
 * own meaning, so two `whenAny` predicates mean (a ∨ b) ∧ (c ∨ d).
 *
 * | kind            | passes when                                              |
 * |-----------------|----------------------------------------------------------|
 * | `whenAll`       | phase `other` and every flag is set (`when`)             |
 * | `whenAny`       | phase `other` and at least one flag is set               |
 * | `whenNone`      | phase `other` and no flag is set (`whenNot`)             |
 * | `whenNotAll`    | phase `other` and at least one flag is not set           |
 * | `hook`          | phase `hooks` and the hook name matches a pattern        |
 * | `onlyOnce`      | the handler has never completed (any phase)              |
 * | `restrictedHook`| phase `restricted` and the hook is `hookName`            |
 */
export type Predicate =
  | { readonly kind: 'whenAll' | 'whenAny' | 'whenNone' | 'whenNotAll'; readonly flags: readonly string[] }
  | { readonly kind: 'hook'; readonly patterns: readonly string[] }
  | { readonly kind: 'onlyOnce' }
  | { readonly kind: 'restrictedHook'; readonly hookName: 'collect-metrics' | 'meter-status-changed' };

/** What predicates can see while they are tested. */
export interface PredicateView {
  readonly phase: Phase | undefined;
  readonly hookName: string;
  isSet(flag: string): boolean;
  wasInvoked(handlerId: string): boolean;
  hookMatches(patterns: readonly string[]): boolean;
}

/** Evaluates one predicate for the handler `handlerId`. */
export function evaluatePredicate(predicate: Predicate, view: PredicateView, handlerId: string): boolean {
  switch (predicate.kind) {
    case 'whenAll':
      return view.phase === 'other' && predicate.flags.every((flag) => view.isSet(flag));
    case 'whenAny':
      return view.phase === 'other' && predicate.flags.some((flag) => view.isSet(flag));
    case 'whenNone':
      return view.phase === 'other' && !predicate.flags.some((flag) => view.isSet(flag));
    case 'whenNotAll':
      return view.phase === 'other' && !predicate.flags.every((flag) => view.isSet(flag));
    case 'hook':
      return view.phase === 'hooks' && view.hookMatches(predicate.patterns);
    case 'onlyOnce':
      return !view.wasInvoked(handlerId);
    case 'restrictedHook':
      return view.phase === 'restricted' && view.hookName === predicate.hookName;
  }
}

/** The flags a predicate names, which the handler then watches. */
export function predicateFlags(predicate: Predicate): readonly string[] {
  return 'flags' in predicate ? predicate.flags : [];
}
