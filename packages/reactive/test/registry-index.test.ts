import { describe, expect, it } from 'vitest';
import { createReactor, UnitState, whenAny, type HandlerSpec, type Phase } from '@charms/reactive';
import { dispatchOnce } from './helpers.js';

// A small deterministic generator, so that a failure can be replayed.
function generator(seed: number) {
  let x = seed;
  const next = () => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  return { next, pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]! };
}

const FLAGS = ['a', 'b', 'c', 'd', 'e'];

function randomSpec(rng: ReturnType<typeof generator>): HandlerSpec {
  const flags = () => FLAGS.filter(() => rng.next() < 0.3);
  const spec: Record<string, unknown> = {};
  for (const key of ['when', 'whenAny', 'whenNot', 'whenNotAll']) if (rng.next() < 0.35) spec[key] = flags();
  if (rng.next() < 0.15) spec.hook = rng.pick(['install', 'update-status']);
  if (rng.next() < 0.15) spec.onlyOnce = true;
  if (rng.next() < 0.05) spec.collectMetrics = true;
  if (rng.next() < 0.1) spec.decorators = [whenAny()];
  const applied = Object.values(spec).some((v) => v === true || typeof v === 'string' || (Array.isArray(v) && v.length > 0));
  return applied ? (spec as HandlerSpec) : { when: [rng.pick(FLAGS)] };
}

describe('handler index', () => {
  it('queues exactly what testing every handler would, in every phase, over random charms', async () => {
    let queued = 0;
    for (let seed = 1; seed <= 60; seed += 1) {
      const rng = generator(seed);
      const reactor = createReactor();
      const calls: string[] = [];
      for (let i = 0; i < 25; i += 1) {
        const setFlag = rng.pick(FLAGS);
        const clearFlag = rng.pick(FLAGS);
        reactor.handle({ id: `h${i}`, ...randomSpec(rng) }, (ctx) => {
          calls.push(`h${i}`);
          if (calls.length % 3 === 0) ctx.clearFlag(clearFlag);
          else ctx.setFlag(setFlag);
        });
      }
      const flags = FLAGS.filter(() => rng.next() < 0.5);
      const hookName = rng.pick(['install', 'update-status', 'collect-metrics']);
      const restricted = hookName === 'collect-metrics';

      // The reference: a brute-force queue for every round, from the same predicates.
      const rounds: { phase: Phase; queue: readonly string[]; brute: string[] }[] = [];
      const state = new UnitState({ flags: Object.fromEntries(flags.map((f) => [f, null])), data: {} });
      let pending: string[] = [];
      reactor.events.on('flag:set', ({ flag }) => pending.push(flag));
      reactor.events.on('flag:clear', ({ flag }) => pending.push(flag));
      reactor.events.on('round', ({ phase, iteration, queue }) => {
        // What changed in the previous round gates this one.
        const changed = new Set(pending);
        pending = [];
        rounds.push({ phase, queue, brute: bruteForce(reactor.handlers, state, hookName, phase, iteration, changed) });
      });
      // No handler throws, so a failing dispatch is a failure of the engine.
      await dispatchOnce(reactor, { hookName, restricted, state });
      expect(rounds.length, `seed ${seed}`).toBeGreaterThan(0);
      for (const round of rounds) expect(round.queue, `seed ${seed} ${round.phase}`).toEqual(round.brute);
      queued += rounds.filter((round) => round.queue.length > 0).length;
    }
    // The charms are busy enough that most rounds compare real queues, not two empty ones.
    expect(queued).toBeGreaterThan(300);
  });
});

function bruteForce(
  handlers: ReturnType<typeof createReactor>['handlers'],
  state: UnitState,
  hookName: string,
  phase: Phase,
  iteration: number | null,
  changed: ReadonlySet<string>,
): string[] {
  const set = (f: string) => state.flags.has(f);
  return handlers
    .filter((h) => {
      if (h.watched.length > 0 && iteration !== null && iteration > 0 && !h.watched.some((f) => changed.has(f))) return false;
      return h.predicates.every((p) => {
        switch (p.kind) {
          case 'whenAll':
            return phase === 'other' && p.flags.every(set);
          case 'whenAny':
            return phase === 'other' && p.flags.some(set);
          case 'whenNone':
            return phase === 'other' && !p.flags.some(set);
          case 'whenNotAll':
            return phase === 'other' && !p.flags.every(set);
          case 'hook':
            return phase === 'hooks' && p.patterns.includes(hookName);
          case 'onlyOnce':
            return !state.data.get(`reactive.invoked.${h.id}`);
          case 'restrictedHook':
            return phase === 'restricted' && p.hookName === hookName;
        }
      });
    })
    .map((h) => h.id);
}
