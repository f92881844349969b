// The dispatch benchmark scenarios of issue 2, shared by the in-process run and the
// one-hook child process. Plain JavaScript so that the child starts like a built charm.
import { createReactor } from '@charms/reactive';

/** @type {Record<string, { idle: number, chain: number }>} */
export const SCENARIOS = {
  a: { idle: 1_000, chain: 50 },
  b: { idle: 10_000, chain: 100 },
};

/**
 * The charm's own part of registering: its handler specs and functions, as a charm's
 * module builds them before it hands each pair to `reactor.handle`. `idle` handlers that
 * never match, then a chain: link i runs when f{i} is set and f{i+1} is not, and sets
 * f{i+1}. Dispatch starts with f0 set.
 * @returns {{ spec: import('@charms/reactive').HandlerSpec, run: Function }[]}
 */
export function charmHandlers({ idle, chain }) {
  const handlers = [];
  for (let j = 0; j < idle; j += 1) handlers.push({ spec: { id: `idle${j}`, when: `never${j}` }, run: () => {} });
  for (let i = 0; i < chain; i += 1) {
    handlers.push({ spec: { id: `link${i}`, when: `f${i}`, whenNot: `f${i + 1}` }, run: (ctx) => ctx.setFlag(`f${i + 1}`) });
  }
  return handlers;
}

/** Registers the handlers of {@link charmHandlers} on a new reactor: the framework's part. */
export function registerHandlers(handlers) {
  const reactor = createReactor();
  for (let k = 0; k < handlers.length; k += 1) reactor.handle(handlers[k].spec, handlers[k].run);
  return reactor;
}

/** A scenario's reactor: the charm's specs, registered. */
export function buildCharm(scenario) {
  return registerHandlers(charmHandlers(scenario));
}
