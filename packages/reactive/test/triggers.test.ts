import { describe, expect, it } from 'vitest';
import { createReactor, InvalidTriggerError, TriggerCycleError, UnitState, type ReactiveContext } from '@charms/reactive';
import { MAX_TRIGGER_DEPTH } from '@charms/reactive/testing';
import { dispatchOnce } from './helpers.js';

function hook(reactor = createReactor(), flags: string[] = []) {
  const state = new UnitState({ flags: Object.fromEntries(flags.map((f) => [f, null])), data: {} });
  const run = reactor.beginHook({ hookName: 'update-status', state });
  return { ctx: run.context as ReactiveContext, state, run };
}

describe('triggers (spec §3.4)', () => {
  it.each([
    [{ setFlag: 'b' }, 'Must provide one of when or whenNot'],
    [{ when: 'a', whenNot: 'b', setFlag: 'c' }, 'Only one of when or whenNot can be provided'],
    [{ when: 'a' }, 'Must provide at least one of setFlag, clearFlag, or callback'],
  ])('§3.4 validation rejects %j with INVALID_TRIGGER', (options, message) => {
    expect(() => createReactor().registerTrigger(options)).toThrowError(new InvalidTriggerError(message, options));
    expect(() => hook().ctx.registerTrigger(options)).toThrowError(expect.objectContaining({ code: 'INVALID_TRIGGER', message }));
  });

  it('§3.4 a when trigger sets and clears synchronously: set list, then clear list, then callbacks', () => {
    const calls: string[] = [];
    const { ctx } = hook(createReactor(), ['x']);
    ctx.registerTrigger({ when: 'a', clearFlag: 'x' });
    ctx.registerTrigger({ when: 'a', callback: (c) => calls.push(`callback sees b=${c.isFlagSet('b')} x=${c.isFlagSet('x')}`) });
    ctx.registerTrigger({ when: 'a', setFlag: 'b' });
    ctx.setFlag('a');
    expect(calls).toEqual(['callback sees b=true x=false']);
  });

  it('§3.4 triggers fire only on real transitions, not when registered for a flag already set', () => {
    const fired: string[] = [];
    const { ctx } = hook(createReactor(), ['a']);
    ctx.registerTrigger({ when: 'a', callback: () => fired.push('when a') });
    ctx.registerTrigger({ whenNot: 'b', callback: () => fired.push('whenNot b') });
    ctx.setFlag('a');
    ctx.clearFlag('b');
    expect(fired).toEqual([]);
    ctx.clearFlag('a');
    ctx.setFlag('a');
    expect(fired).toEqual(['when a']);
  });

  it('§3.4 flag targets are kept once; a callback object registered twice runs once', () => {
    let runs = 0;
    const callback = () => void (runs += 1);
    const { ctx, state } = hook();
    ctx.registerTrigger({ when: 'a', setFlag: 'b', callback });
    ctx.registerTrigger({ when: 'a', setFlag: 'b', callback });
    ctx.registerTrigger({ when: 'a', callback: () => void (runs += 10) });
    expect(state.data.get('reactive.flag_set_triggers.a')).toEqual({ set_flag: ['b'], clear_flag: [] });
    ctx.setFlag('a');
    expect(runs).toBe(11);
  });

  it('§3.4 triggers recurse through whole setFlag/clearFlag calls', () => {
    const { ctx } = hook();
    ctx.registerTrigger({ when: 'a', setFlag: 'b' });
    ctx.registerTrigger({ when: 'b', setFlag: 'c' });
    ctx.registerTrigger({ whenNot: 'c', setFlag: 'c-gone' });
    ctx.registerTrigger({ when: 'c', clearFlag: 'a' });
    ctx.setFlag('a');
    expect(ctx.getFlags()).toEqual(['b', 'c']);
  });

  it('§3.4 long acyclic chains work', () => {
    const { ctx } = hook();
    for (let i = 0; i < 300; i += 1) ctx.registerTrigger({ when: `f${i}`, setFlag: `f${i + 1}` });
    ctx.setFlag('f0');
    expect(ctx.isFlagSet('f300')).toBe(true);
  });

  it('§3.4 a set/clear cycle fails with TRIGGER_CYCLE naming the repeating transitions', () => {
    const { ctx } = hook();
    ctx.registerTrigger({ when: 'p', clearFlag: 'p' });
    ctx.registerTrigger({ whenNot: 'p', setFlag: 'p' });
    const error = (() => {
      try {
        ctx.setFlag('p');
      } catch (e) {
        return e;
      }
    })() as TriggerCycleError;
    expect(error).toBeInstanceOf(TriggerCycleError);
    expect(error.code).toBe('TRIGGER_CYCLE');
    expect(error.transitions.length).toBeGreaterThan(MAX_TRIGGER_DEPTH);
    expect(error.transitions.slice(-2).sort()).toEqual(['clear:p', 'set:p']);
    expect(error.message).toContain('set:p → clear:p');
  });

  it('§3.4 a set-only cycle ends, because the second set is no transition', () => {
    const { ctx } = hook();
    ctx.registerTrigger({ when: 'a', setFlag: 'b' });
    ctx.registerTrigger({ when: 'b', setFlag: 'a' });
    ctx.setFlag('a');
    expect(ctx.getFlags()).toEqual(['a', 'b']);
  });

  it('§3.4 load-time triggers are written into each hook state; clearTriggers wipes the lists, not the callbacks', () => {
    const fired: string[] = [];
    const reactor = createReactor().registerTrigger({ whenNot: 'x', setFlag: 'y', callback: () => fired.push('cb') });
    const { ctx, state, run } = hook(reactor, ['x']);
    expect(state.data.get('reactive.flag_clear_triggers.x')).toEqual({ set_flag: ['y'], clear_flag: [] });
    run.clearTriggers();
    expect([...state.data.keys()]).toEqual([]);
    ctx.clearFlag('x');
    expect(fired).toEqual(['cb']);
    expect(ctx.isFlagSet('y')).toBe(false);
  });

  it('§3.4 a clear made by a trigger re-tests the queue like a direct clear', async () => {
    const r = createReactor().registerTrigger({ when: 'go2', clearFlag: 'ready' });
    r.handle({ id: 'first', when: 'go' }, (ctx) => ctx.setFlag('go2'));
    r.handle({ id: 'second', when: 'ready' }, () => {});
    const { invoked } = await dispatchOnce(r, { flags: ['go', 'ready'] });
    expect(invoked).toEqual(['first']);
  });

  it('§3.4 a trigger registered in a handler applies for the rest of the hook', async () => {
    const r = createReactor();
    r.handle({ id: 'registers', when: 'go', whenNot: 'armed' }, (ctx) => {
      ctx.registerTrigger({ when: 'armed', setFlag: 'fired' });
      ctx.setFlag('armed');
    });
    const { flags } = await dispatchOnce(r, { flags: ['go'] });
    expect(flags).toEqual(['armed', 'fired', 'go']);
  });
});
