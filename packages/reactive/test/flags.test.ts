import { describe, expect, it } from 'vitest';
import { createReactor, InvalidFlagError, UnitState, type ReactiveContext, type ReactiveEvents } from '@charms/reactive';

function hookContext(flags: string[] = []) {
  const state = new UnitState({ flags: Object.fromEntries(flags.map((f) => [f, null])), data: {} });
  const reactor = createReactor();
  const events: string[] = [];
  reactor.events.on('flag:set', ({ flag }) => events.push(`set:${flag}`));
  reactor.events.on('flag:clear', ({ flag }) => events.push(`clear:${flag}`));
  const run = reactor.beginHook({ hookName: 'update-status', state });
  return { ctx: run.context as ReactiveContext, state, events };
}

describe('flags (spec §2, §3)', () => {
  it('§3.1 setFlag stores a value; re-setting a set flag changes the value but is no transition', () => {
    const { ctx, events } = hookContext();
    ctx.setFlag('bar.ready', 'bar');
    ctx.setFlag('bar.ready', 'baz');
    expect(ctx.getFlagValue('bar.ready')).toBe('baz');
    expect(events).toEqual(['set:bar.ready']);
  });

  it('§3.1 a flag set without a value holds null', () => {
    const { ctx } = hookContext();
    ctx.setFlag('foo');
    expect(ctx.getFlagValue('foo')).toBeNull();
    expect(ctx.getFlagValue('unset')).toBeUndefined();
  });

  it('§3.2 clearFlag of an unset flag records no transition', () => {
    const { ctx, events } = hookContext(['a']);
    ctx.clearFlag('never');
    ctx.clearFlag('a');
    expect(events).toEqual(['clear:a']);
  });

  it('§3.3 toggleFlag is exactly setFlag or clearFlag, by truthiness', () => {
    const { ctx } = hookContext();
    ctx.toggleFlag('t', 1);
    expect(ctx.isFlagSet('t')).toBe(true);
    ctx.toggleFlag('t', '');
    expect(ctx.isFlagSet('t')).toBe(false);
  });

  it('§2 getFlags is sorted; allFlagsSet() is true and anyFlagsSet() false with no flags', () => {
    const { ctx } = hookContext(['qux', 'foo', 'bar']);
    expect(ctx.getFlags()).toEqual(['bar', 'foo', 'qux']);
    expect(ctx.allFlagsSet()).toBe(true);
    expect(ctx.anyFlagsSet()).toBe(false);
    expect(ctx.allFlagsSet('foo', 'bar')).toBe(true);
    expect(ctx.allFlagsSet('foo', 'nope')).toBe(false);
    expect(ctx.anyFlagsSet('nope', 'foo')).toBe(true);
  });

  it('§2 getUnsetFlags returns the unset ones, sorted', () => {
    const { ctx } = hookContext(['foo']);
    expect(ctx.getUnsetFlags('zed', 'foo', 'bar')).toEqual(['bar', 'zed']);
  });

  it('§2 flags are case-sensitive strings, kept byte for byte', () => {
    const { ctx } = hookContext(['layer.docker-resource.oci-image.available']);
    expect(ctx.isFlagSet('layer.docker-resource.oci-image.available')).toBe(true);
    expect(ctx.isFlagSet('Layer.docker-resource.oci-image.available')).toBe(false);
  });

  it('rejects a flag that is not a non-empty string with INVALID_FLAG', () => {
    const { ctx } = hookContext();
    for (const bad of [42, null, undefined, '', ['a'], { flag: 'a' }]) {
      expect(() => ctx.setFlag(bad as never)).toThrow(InvalidFlagError);
    }
    expect(() => ctx.clearFlag(7 as never)).toThrowError(expect.objectContaining({ code: 'INVALID_FLAG', value: 7 }));
    expect(() => createReactor().handle({ id: 'h', when: [1 as never] }, () => {})).toThrowError(
      expect.objectContaining({ code: 'INVALID_FLAG' }),
    );
  });

  it('changes are made on the hook state only; the committed snapshot is untouched', () => {
    const committed = { flags: { a: null }, data: {} };
    const state = new UnitState(committed);
    const run = createReactor().beginHook({ hookName: 'x', state });
    run.context.setFlag('b');
    run.context.clearFlag('a');
    expect(committed).toEqual({ flags: { a: null }, data: {} });
    expect(state.snapshot()).toEqual({ flags: { b: null }, data: {} });
  });

  it('emits flag events with the value', () => {
    const state = new UnitState();
    const reactor = createReactor();
    const seen: ReactiveEvents['flag:set'][] = [];
    reactor.events.on('flag:set', (e) => seen.push(e));
    reactor.beginHook({ hookName: 'x', state }).context.setFlag('f', { port: 9000 });
    expect(seen).toEqual([{ flag: 'f', value: { port: 9000 } }]);
  });
});

describe('unit data (spec §10)', () => {
  it('§10 dataChanged is true the first time, false for the same data, true for new data', () => {
    const { ctx } = hookContext();
    expect(ctx.dataChanged('cfg', { b: 1, a: [1, 2] })).toBe(true);
    expect(ctx.dataChanged('cfg', { a: [1, 2], b: 1 })).toBe(false);
    expect(ctx.isDataChanged('cfg', { a: [1, 2], b: 2 })).toBe(true);
    expect(ctx.isDataChanged('cfg', { a: [1, 2], b: 2 })).toBe(true);
    expect(ctx.dataChanged('other', { a: [1, 2], b: 1 })).toBe(true);
  });

  it('kv get/set/unset store JSON data in the hook state', () => {
    const { ctx, state } = hookContext();
    ctx.kv.set('minio.port', 9000);
    expect(ctx.kv.get('minio.port')).toBe(9000);
    ctx.kv.unset('minio.port');
    expect(ctx.kv.get('minio.port')).toBeUndefined();
    expect(state.data.has('minio.port')).toBe(false);
  });
});
