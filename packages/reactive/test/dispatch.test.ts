import { describe, expect, it } from 'vitest';
import { createReactor, HandlerError, HookExit, MAX_ITERATIONS, when, whenNot, type ReactiveEvents } from '@charms/reactive';
import { dispatchOnce } from './helpers.js';

// One test per rule of spec/reactive-semantics.md §6 (the dispatch algorithm), named
// after the rule it pins.

describe('dispatch (spec §6)', () => {
  it('§6.2 handlers that match in one round run in registration order', async () => {
    const r = createReactor();
    for (const id of ['c', 'a', 'b']) r.handle({ id, when: 'go' }, () => {});
    const { rounds } = await dispatchOnce(r, { flags: ['go'] });
    expect(rounds).toEqual([{ phase: 'other', iteration: 0, queued: ['c', 'a', 'b'], invoked: ['c', 'a', 'b'] }]);
  });

  it('§6.2 the hooks phase runs every matching @hook handler before any @when handler', async () => {
    const r = createReactor();
    r.handle({ id: 'flagged', when: 'go' }, () => {});
    r.handle({ id: 'hooked', hook: 'update-status' }, () => {});
    const { invoked, rounds } = await dispatchOnce(r, { flags: ['go'] });
    expect(invoked).toEqual(['hooked', 'flagged']);
    expect(rounds.map((x) => x.phase)).toEqual(['hooks', 'other']);
  });

  it('§6.2 flags set in the hooks phase are just the starting state of iteration 0', async () => {
    const r = createReactor();
    r.handle({ id: 'late', when: 'x' }, () => {});
    r.handle({ id: 'setter', hook: 'install' }, (ctx) => ctx.setFlag('x'));
    const { rounds } = await dispatchOnce(r, { hookName: 'install' });
    expect(rounds).toEqual([
      { phase: 'hooks', iteration: null, queued: ['setter'], invoked: ['setter'] },
      { phase: 'other', iteration: 0, queued: ['late'], invoked: ['late'] },
    ]);
  });

  it('§6.4 the queue of a round is fixed when it starts: a chain advances one link per iteration', async () => {
    const r = createReactor();
    // Registered last-link-first, so registration order cannot help.
    for (const [from, to] of [['c', 'd'], ['b', 'c'], ['a', 'b']] as const) {
      r.handle({ id: `${from}->${to}`, when: from, whenNot: to }, (ctx) => ctx.setFlag(to));
    }
    const { rounds, flags } = await dispatchOnce(r, { flags: ['a'] });
    expect(rounds.map((x) => [x.iteration, x.invoked])).toEqual([
      [0, ['a->b']],
      [1, ['b->c']],
      [2, ['c->d']],
    ]);
    expect(flags).toEqual(['a', 'b', 'c', 'd']);
  });

  it('§6.4 setting a flag does not re-test the queue: a queued @whenNot handler still runs', async () => {
    const r = createReactor();
    r.handle({ id: 'setter', when: 'go' }, (ctx) => ctx.setFlag('x'));
    r.handle({ id: 'guarded', whenNot: 'x' }, () => {});
    const { rounds } = await dispatchOnce(r, { flags: ['go'] });
    expect(rounds[0]).toEqual({ phase: 'other', iteration: 0, queued: ['setter', 'guarded'], invoked: ['setter', 'guarded'] });
  });

  it('§6.4 clearing a flag re-tests the rest of the queue and drops what no longer passes', async () => {
    const r = createReactor();
    r.handle({ id: 'h1', when: 'foo' }, (ctx) => ctx.clearFlag('foo'));
    r.handle({ id: 'h2', when: 'foo' }, () => {});
    r.handle({ id: 'h3', when: 'bar' }, () => {});
    const { invoked } = await dispatchOnce(r, { flags: ['foo', 'bar'] });
    expect(invoked).toEqual(['h1', 'h3']);
  });

  it('§3.2/§6.4 clearing a flag that is not set still re-tests the queue, with every predicate', async () => {
    const r = createReactor();
    r.handle({ id: 'setter', when: 'go' }, (ctx) => {
      ctx.setFlag('x');
      ctx.clearFlag('never-set');
    });
    r.handle({ id: 'guarded', whenNot: 'x' }, () => {});
    const events: ReactiveEvents['queue:retest'][] = [];
    r.events.on('queue:retest', (e) => events.push(e));
    const { invoked } = await dispatchOnce(r, { flags: ['go'] });
    expect(invoked).toEqual(['setter']);
    expect(events).toEqual([{ remaining: [], dropped: ['guarded'] }]);
  });

  it('§6.4 a handler dropped by a re-test can run again in a later iteration', async () => {
    const r = createReactor();
    r.handle({ id: 'dropper', when: 'go', whenNot: 'done' }, (ctx) => {
      ctx.clearFlag('ready');
      ctx.setFlag('done');
    });
    r.handle({ id: 'needs-ready', when: 'ready' }, () => {});
    r.handle({ id: 'restorer', when: 'done', whenNot: 'ready' }, (ctx) => ctx.setFlag('ready'));
    const { invoked } = await dispatchOnce(r, { flags: ['go', 'ready'] });
    expect(invoked).toEqual(['dropper', 'restorer', 'needs-ready']);
  });

  it('§6.4 a handler runs at most once per round', async () => {
    const r = createReactor();
    r.handle({ id: 'twice?', when: 'go' }, (ctx) => ctx.clearFlag('unrelated'));
    const { invoked } = await dispatchOnce(r, { flags: ['go'] });
    expect(invoked).toEqual(['twice?']);
  });

  it('§6.3 after iteration 0 a handler is re-tested only if one of its own flags changed', async () => {
    const r = createReactor();
    r.handle({ id: 'always-true', when: 'go' }, () => {});
    r.handle({ id: 'setter', when: 'go', whenNot: 'other' }, (ctx) => ctx.setFlag('other'));
    const { rounds } = await dispatchOnce(r, { flags: ['go'] });
    // Iteration 1 re-tests only watchers of `other`: setter (now false), not always-true.
    expect(rounds).toEqual([{ phase: 'other', iteration: 0, queued: ['always-true', 'setter'], invoked: ['always-true', 'setter'] }]);
  });

  it('§6.3 a handler whose own watched flag changed and that still matches runs again', async () => {
    const r = createReactor();
    r.handle({ id: 'any', whenAny: ['a', 'b'] }, (ctx) => ctx.setFlag('b'));
    const { invoked } = await dispatchOnce(r, { flags: ['a'] });
    expect(invoked).toEqual(['any', 'any']);
  });

  it('§6.3 a set-then-clear in one iteration counts as a change (transitions, not net change)', async () => {
    const r = createReactor();
    r.handle({ id: 'blink', when: 'go', whenNot: 'blinked' }, (ctx) => {
      ctx.setFlag('t');
      ctx.clearFlag('t');
      ctx.setFlag('blinked');
    });
    r.handle({ id: 'watcher', when: 'go', whenNot: 't' }, () => {});
    const { invoked } = await dispatchOnce(r, { flags: ['go'] });
    // Iteration 0: the clear's re-test keeps watcher (t is unset again). Iteration 1: t
    // made transitions, so watcher is re-tested and runs again.
    expect(invoked).toEqual(['blink', 'watcher', 'watcher']);
  });

  it('§6.5 the other phase stops after 100 iterations, reports the cap and keeps the result', async () => {
    const r = createReactor();
    r.handle({ id: 'ping', when: 'p' }, (ctx) => {
      ctx.clearFlag('p');
      ctx.setFlag('q');
    });
    r.handle({ id: 'pong', when: 'q' }, (ctx) => {
      ctx.clearFlag('q');
      ctx.setFlag('p');
    });
    const caps: ReactiveEvents['dispatch:cap'][] = [];
    r.events.on('dispatch:cap', (e) => caps.push(e));
    const { result, rounds } = await dispatchOnce(r, { flags: ['p'] });
    expect(result).toMatchObject({ iterations: MAX_ITERATIONS, capReached: true, exited: false });
    expect(rounds.at(-1)?.iteration).toBe(99);
    expect(caps).toHaveLength(1);
  });

  it('§6.5 a quiet dispatch does not report the cap', async () => {
    const r = createReactor();
    r.handle({ id: 'once', when: 'a', whenNot: 'b' }, (ctx) => ctx.setFlag('b'));
    const { result } = await dispatchOnce(r, { flags: ['a'] });
    expect(result).toEqual({ iterations: 1, invocations: 1, capReached: false, exited: false });
  });

  it('§5.1 @when() with no flags watches nothing and so runs in every iteration up to the cap', async () => {
    const r = createReactor();
    r.handle({ id: 'empty-when', decorators: [when()] }, () => {});
    r.handle({ id: 'empty-when-not', decorators: [whenNot()] }, () => {});
    const { result, invoked } = await dispatchOnce(r);
    expect(result.capReached).toBe(true);
    expect(invoked).toHaveLength(2 * MAX_ITERATIONS);
  });

  it('§7 a restricted hook runs one round of @collectMetrics and phase-less handlers only', async () => {
    const r = createReactor();
    r.handle({ id: 'metrics', collectMetrics: true }, () => {});
    r.handle({ id: 'meter', meterStatusChanged: true }, () => {});
    r.handle({ id: 'once', onlyOnce: true }, () => {});
    r.handle({ id: 'flagged', when: 'go' }, () => {});
    r.handle({ id: 'hooked', hook: 'collect-metrics' }, () => {});
    const { rounds } = await dispatchOnce(r, { hookName: 'collect-metrics', flags: ['go'], restricted: true });
    expect(rounds).toEqual([{ phase: 'restricted', iteration: null, queued: ['metrics', 'once'], invoked: ['metrics', 'once'] }]);
  });

  it('§1.1 exitHook(0) in a handler ends dispatch at once and reports it', async () => {
    const r = createReactor();
    r.handle({ id: 'stopper', when: 'go' }, (ctx) => ctx.exit(0));
    r.handle({ id: 'after', when: 'go' }, () => {});
    const { invoked, result } = await dispatchOnce(r, { flags: ['go'] });
    expect(invoked).toEqual(['stopper']);
    expect(result.exited).toBe(true);
  });

  it('§1.1 a non-zero exit propagates as HookExit with its code', async () => {
    const r = createReactor();
    r.handle({ id: 'stopper', when: 'go' }, (ctx) => ctx.exit(3));
    await expect(dispatchOnce(r, { flags: ['go'] })).rejects.toMatchObject({ name: 'HookExit', exitCode: 3 });
    expect(new HookExit(3)).toBeInstanceOf(Error);
  });

  it('§1.1 a throwing handler becomes HandlerError with the handler id, the hook and the cause', async () => {
    const r = createReactor();
    const cause = new Error('disk full');
    r.handle({ id: 'broken', when: 'go' }, async () => {
      throw cause;
    });
    const failure = await dispatchOnce(r, { flags: ['go'], hookName: 'start' }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(HandlerError);
    expect(failure).toMatchObject({ code: 'HANDLER_FAILED', handlerId: 'broken', hookName: 'start', cause });
  });

  it('§6.1 async handlers are awaited one at a time, in queue order', async () => {
    const r = createReactor();
    const order: string[] = [];
    r.handle({ id: 'slow', when: 'go' }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      order.push('slow');
    });
    r.handle({ id: 'fast', when: 'go' }, () => void order.push('fast'));
    await dispatchOnce(r, { flags: ['go'] });
    expect(order).toEqual(['slow', 'fast']);
  });
});
