import { describe, expect, it } from 'vitest';
import {
  clearFlag,
  createReactor,
  currentContext,
  exitHook,
  getFlags,
  isFlagSet,
  NoActiveDispatchError,
  registerTrigger,
  setFlag,
  toggleFlag,
} from '@charms/reactive';
import { dispatchOnce } from './helpers.js';

describe('module-level author functions', () => {
  it('setFlag and friends act on the running hook, across awaits', async () => {
    // Two of them inside the handler.
    expect.assertions(3);
    const r = createReactor().handle({ id: 'h', when: 'go' }, async () => {
      setFlag('a');
      await new Promise((resolve) => setTimeout(resolve, 1));
      toggleFlag('b', true);
      clearFlag('go');
      expect(isFlagSet('a')).toBe(true);
      expect(getFlags()).toEqual(['a', 'b']);
    });
    const { flags } = await dispatchOnce(r, { flags: ['go'] });
    expect(flags).toEqual(['a', 'b']);
  });

  it('two hooks running at once each see their own state', async () => {
    const build = (flag: string) =>
      createReactor().handle({ id: 'h', when: 'go' }, async () => {
        await new Promise((resolve) => setTimeout(resolve, 2));
        setFlag(flag);
      });
    const [one, two] = await Promise.all([dispatchOnce(build('one'), { flags: ['go'] }), dispatchOnce(build('two'), { flags: ['go'] })]);
    expect(one.flags).toEqual(['go', 'one']);
    expect(two.flags).toEqual(['go', 'two']);
  });

  it('outside a hook they throw NO_ACTIVE_DISPATCH naming the function', () => {
    expect(() => setFlag('a')).toThrowError(NoActiveDispatchError);
    expect(() => registerTrigger({ when: 'a', setFlag: 'b' })).toThrowError(
      expect.objectContaining({ code: 'NO_ACTIVE_DISPATCH', functionName: 'registerTrigger' }),
    );
    expect(() => currentContext()).toThrowError(NoActiveDispatchError);
  });

  it('exitHook(0) ends dispatch like ctx.exit(0)', async () => {
    const r = createReactor();
    r.handle({ id: 'stop', when: 'go' }, () => exitHook());
    r.handle({ id: 'never', when: 'go' }, () => {});
    const { invoked, result } = await dispatchOnce(r, { flags: ['go'] });
    expect(invoked).toEqual(['stop']);
    expect(result.exited).toBe(true);
  });

  it('handler contexts can be destructured', async () => {
    const r = createReactor().handle({ id: 'h', when: 'go' }, ({ setFlag: set, handlerId, hookName }) => {
      set(`${handlerId}@${hookName}`);
    });
    const { flags } = await dispatchOnce(r, { flags: ['go'], hookName: 'start' });
    expect(flags).toEqual(['go', 'h@start']);
  });

  it('services given to the hook appear on every context, without shadowing the engine', async () => {
    const state = await import('@charms/reactive').then(({ UnitState }) => new UnitState());
    const seen: unknown[] = [];
    const r = createReactor().handle({ id: 'h', hook: 'install' }, (ctx) => {
      seen.push((ctx as unknown as { tools: string }).tools, typeof ctx.setFlag);
    });
    const run = r.beginHook({ hookName: 'install', state, services: { tools: 'fake-tools', setFlag: 'shadow' } });
    await run.run(() => run.dispatch(false));
    expect(seen).toEqual(['fake-tools', 'function']);
  });
});

describe('per-hook memory and the current handler', () => {
  it('memo keeps one value per key for the hook, shared by handlers and callbacks', async () => {
    const key = Symbol('queue');
    const seen: unknown[] = [];
    const r = createReactor()
      .handle({ id: 'a', when: 'go' }, (ctx) => void ctx.memo(key, () => [] as string[]).push('a'))
      .handle({ id: 'b', when: 'go' }, (ctx) => void seen.push(ctx.memo(key, () => ['fresh'])));
    await dispatchOnce(r, { flags: ['go'] });
    expect(seen).toEqual([['a']]);
    // A new hook starts with nothing.
    const again: unknown[] = [];
    const r2 = createReactor().handle({ id: 'c', when: 'go' }, (ctx) => void again.push(ctx.memo(key, () => 'new')));
    await dispatchOnce(r2, { flags: ['go'] });
    expect(again).toEqual(['new']);
  });

  it('inside a handler, currentContext() carries the handler id', async () => {
    const ids: unknown[] = [];
    const r = createReactor().handle({ id: 'mine', when: 'go' }, async () => {
      await Promise.resolve();
      ids.push((currentContext() as { handlerId?: string }).handlerId);
    });
    await dispatchOnce(r, { flags: ['go'] });
    expect(ids).toEqual(['mine']);
  });
});
