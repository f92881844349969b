import { describe, expect, it } from 'vitest';
import { clears, createReactor, declaredFlags, defineLayer, InvalidHandlerError, sets, when, whenNot, type DeclaredCharm } from '@charms/reactive';
import { dispatchOnce } from './helpers.js';

const charm: DeclaredCharm = {
  metadata: { name: 'minio', resources: { 'oci-image': { type: 'oci-image', 'auto-fetch': true }, docs: { type: 'file' } } },
};
const images = (c: DeclaredCharm) =>
  Object.entries(c.metadata.resources ?? {})
    .filter(([, r]) => r.type === 'oci-image')
    .map(([name]) => `app.${name}.ready`);

describe('declared flag effects', () => {
  it('a spec declares the flags its handler may set and clear, as names or functions of the charm', () => {
    const reactor = createReactor().handle({ when: 'a', sets: ['app.started', images], clears: 'app.stale' }, function start() {});
    const [handler] = reactor.handlers;
    expect(declaredFlags(handler!, charm)).toEqual({ sets: ['app.oci-image.ready', 'app.started'], clears: ['app.stale'] });
  });

  it('a handler that declares nothing has empty lists', () => {
    const [handler] = createReactor().handle({ when: 'a' }, function start() {}).handlers;
    expect(declaredFlags(handler!, charm)).toEqual({ sets: [], clears: [] });
  });

  it('@sets and @clears declare the same on a method, in source order, beside its conditions', () => {
    class Charm {
      @when('a')
      @sets('app.one', images)
      @clears('app.two')
      @sets('app.three')
      run() {}
    }
    const [handler] = createReactor().register(Charm).handlers;
    expect(handler!.sets.filter((e) => typeof e === 'string')).toEqual(['app.one', 'app.three']);
    expect(declaredFlags(handler!, charm)).toEqual({ sets: ['app.oci-image.ready', 'app.one', 'app.three'], clears: ['app.two'] });
    expect(handler!.predicates).toEqual([{ kind: 'whenAll', flags: ['a'] }]);
  });

  it('a layer handler keeps its declarations under the prefixed id', () => {
    const layer = defineLayer('store', (r) => r.handle({ whenNot: 'store.ready', sets: 'store.ready' }, function init() {}));
    const [handler] = createReactor().use(layer).handlers;
    expect(handler!.id).toBe('store:init');
    expect(declaredFlags(handler!, charm).sets).toEqual(['store.ready']);
  });

  it('declarations change nothing in dispatch: a handler that declares a flag it does not set sets nothing', async () => {
    const reactor = createReactor().handle({ when: 'a', sets: 'b', clears: 'a' }, function noop() {});
    const { state } = await dispatchOnce(reactor, { flags: ['a'] });
    expect([...state.flags.keys()]).toEqual(['a']);
  });

  it('an entry that is neither a flag nor a function is refused with INVALID_HANDLER', () => {
    expect(() => createReactor().handle({ when: 'a', sets: [''] }, function bad() {})).toThrowError(
      expect.objectContaining({ code: 'INVALID_HANDLER', handlerId: 'bad' }),
    );
    expect(() => createReactor().handle({ when: 'a', clears: [3 as unknown as string] }, function bad() {})).toThrowError(InvalidHandlerError);
    expect(() => sets(null as unknown as string)).toThrowError(expect.objectContaining({ code: 'INVALID_HANDLER', message: expect.stringContaining('@sets') }));
  });

  it('a method with only @sets has no condition and is refused like any handler without one', () => {
    class Charm {
      @sets('x')
      @whenNot()
      fine() {}
    }
    expect(createReactor().register(Charm).handlers).toHaveLength(1);
    class Bare {
      @sets('x')
      bare() {}
    }
    expect(() => createReactor().register(Bare)).toThrowError(expect.objectContaining({ code: 'INVALID_HANDLER' }));
  });
});
