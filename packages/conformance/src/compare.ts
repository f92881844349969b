import type { FixtureResult, HookResult, RoundResult } from './fixture-schema.js';

/** The first place where an actual result departs from the expected one. */
export interface Difference {
  /** The hook's index in the fixture, or null for the number of hooks. */
  readonly hookIndex: number | null;
  readonly field: string;
  readonly expected: unknown;
  readonly actual: unknown;
}

/**
 * Compares results by the rules of shared/README.md §4: per hook, `invoked`,
 * `final_flags`, `error` and `rounds` exactly. `error_detail` and `flags_at_error`
 * are informational and ignored.
 *
 * §4 lets a runner compare `error` by category only (any `exception:<Class>` for
 * any other), or map the port's error kinds to the original's class names and
 * compare whole strings. This runner maps them (run-fixture.ts: a handler's raise is
 * `HandlerError`, a rejected trigger `ValueError`, a trigger cycle `RecursionError`),
 * so it compares whole strings: a crash of the engine (`exception:TypeError`) does
 * not pass for the handler failure the original reports.
 */
export function firstDifference(expected: FixtureResult, actual: FixtureResult): Difference | undefined {
  if (expected.hooks.length !== actual.hooks.length) {
    return { hookIndex: null, field: 'hooks.length', expected: expected.hooks.length, actual: actual.hooks.length };
  }
  for (const [index, want] of expected.hooks.entries()) {
    const got = actual.hooks[index]!;
    const difference = hookDifference(want, got);
    if (difference) return { hookIndex: index, ...difference };
  }
  return undefined;
}

function hookDifference(want: HookResult, got: HookResult): Omit<Difference, 'hookIndex'> | undefined {
  if (want.hook !== got.hook) return { field: 'hook', expected: want.hook, actual: got.hook };
  if (!sameList(want.invoked, got.invoked)) return { field: 'invoked', expected: want.invoked, actual: got.invoked };
  if (!sameList(want.final_flags, got.final_flags)) {
    return { field: 'final_flags', expected: want.final_flags, actual: got.final_flags };
  }
  if (want.error !== got.error) return { field: 'error', expected: want.error, actual: got.error };
  // Endpoint fixtures (shared/endpoints/) also pin the relation-set calls and the records.
  for (const field of ['relation_set', 'records'] as const) {
    if (want[field] !== undefined && canonical(want[field]) !== canonical(got[field] ?? null)) {
      return { field, expected: want[field], actual: got[field] ?? null };
    }
  }
  const rounds = Math.max(want.rounds.length, got.rounds.length);
  for (let i = 0; i < rounds; i += 1) {
    const w = want.rounds[i];
    const g = got.rounds[i];
    if (!w || !g || !sameRound(w, g)) return { field: `rounds[${i}]`, expected: w ?? null, actual: g ?? null };
  }
  return undefined;
}

function sameRound(a: RoundResult, b: RoundResult): boolean {
  return a.phase === b.phase && a.iteration === b.iteration && sameList(a.queued, b.queued) && sameList(a.invoked, b.invoked);
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

/** JSON with object keys sorted: equal for equal data whatever the key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(Object.keys(item).sort().map((k) => [k, (item as Record<string, unknown>)[k]]))
      : item,
  );
}
