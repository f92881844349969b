// The dispatch benchmark scenarios of issue 2, shared by the in-process run and the
// one-hook child process. Plain JavaScript so that the child starts like a built charm.
import { createReactor } from '@charms/reactive';

/** @type {Record<string, { idle: number, chain: number }>} */
export const SCENARIOS = {
  a: { idle: 1_000, chain: 50 },
  b: { idle: 10_000, chain: 100 },
};

/**
 * `idle` handlers that never match, then a chain: link i runs when f{i} is set and
 * f{i+1} is not, and sets f{i+1}. Dispatch starts with f0 set.
 */
export function buildCharm({ idle, chain }) {
  const reactor = createReactor();
  for (let j = 0; j < idle; j += 1) reactor.handle({ id: `idle${j}`, when: `never${j}` }, () => {});
  for (let i = 0; i < chain; i += 1) {
    reactor.handle({ id: `link${i}`, when: `f${i}`, whenNot: `f${i + 1}` }, (ctx) => ctx.setFlag(`f${i + 1}`));
  }
  return reactor;
}
