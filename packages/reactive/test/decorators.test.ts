import { describe, expect, it } from 'vitest';
import {
  collectMetrics,
  createReactor,
  hook,
  InvalidHandlerError,
  invokedHandlerIds,
  onlyOnce,
  sets,
  when,
  whenAny,
  whenNot,
  type HandlerContext,
} from '@charms/reactive';
import { dispatchOnce } from './helpers.js';

class Minio {
  calls: string[] = [];

  @when('layer.docker-resource.oci-image.available')
  @whenNot('charm.minio.started')
  async start(ctx: HandlerContext) {
    this.calls.push(`start:${ctx.handlerId}`);
    ctx.setFlag('charm.minio.started');
  }

  @hook('upgrade-charm')
  upgrade() {
    this.calls.push('upgrade');
  }

  @onlyOnce
  @when('charm.minio.started')
  announce() {
    this.calls.push('announce');
  }

  @onlyOnce()
  @collectMetrics()
  metrics() {}

  notAHandler() {}
}

describe('TC39 decorators', () => {
  it('register() adds decorated methods in declaration order with ids <Class>.<method>', () => {
    const r = createReactor().register(Minio);
    expect(r.handlers.map((h) => h.id)).toEqual(['Minio.start', 'Minio.upgrade', 'Minio.announce', 'Minio.metrics']);
  });

  it('stacked decorators become one handler with every predicate, stored bottom-up as the original', () => {
    const [start, , announce] = createReactor().register(Minio).handlers;
    expect(start!.predicates).toEqual([
      { kind: 'whenNone', flags: ['charm.minio.started'] },
      { kind: 'whenAll', flags: ['layer.docker-resource.oci-image.available'] },
    ]);
    expect(start!.watched).toEqual(['charm.minio.started', 'layer.docker-resource.oci-image.available']);
    expect(announce!.predicates.map((p) => p.kind)).toEqual(['whenAll', 'onlyOnce']);
  });

  it('methods run on the registered instance, with the handler context', async () => {
    const minio = new Minio();
    const r = createReactor().register(minio);
    const { invoked, flags } = await dispatchOnce(r, { flags: ['layer.docker-resource.oci-image.available'] });
    expect(invoked).toEqual(['Minio.start', 'Minio.announce']);
    expect(minio.calls).toEqual(['start:Minio.start', 'announce']);
    expect(flags).toContain('charm.minio.started');
  });

  it('an @onlyOnce handler that ran is recorded in the unit data, and invokedHandlerIds reads it back', async () => {
    const { state } = await dispatchOnce(createReactor().register(new Minio()), { flags: ['layer.docker-resource.oci-image.available'] });
    expect(invokedHandlerIds(state.snapshot().data)).toEqual(['Minio.announce']);
    expect(invokedHandlerIds({ 'reactive.invoked.gone': false, 'other.key': true })).toEqual([]);
  });

  it('@onlyOnce and @collectMetrics work bare and called', () => {
    const [, , announce, metrics] = createReactor().register(Minio).handlers;
    expect(announce!.predicates.some((p) => p.kind === 'onlyOnce')).toBe(true);
    expect(metrics!.predicates).toEqual([{ kind: 'restrictedHook', hookName: 'collect-metrics' }, { kind: 'onlyOnce' }]);
  });

  it('a subclass inherits handlers; re-decorating a method replaces its conditions without touching the parent', () => {
    class Child extends Minio {
      @when('other')
      override upgrade() {}

      @whenAny('x', 'y')
      extra() {}
    }
    const child = createReactor().register(Child).handlers;
    expect(child.map((h) => h.id)).toEqual(['Child.start', 'Child.upgrade', 'Child.announce', 'Child.metrics', 'Child.extra']);
    expect(child[1]!.predicates).toEqual([{ kind: 'whenAll', flags: ['other'] }]);
    const parent = createReactor().register(Minio).handlers;
    expect(parent.map((h) => h.id)).toEqual(['Minio.start', 'Minio.upgrade', 'Minio.announce', 'Minio.metrics']);
    expect(parent[1]!.predicates).toEqual([{ kind: 'hook', patterns: ['upgrade-charm'] }]);
  });

  it('an override that only declares what it sets keeps the conditions it inherits; one that re-decorates conditions keeps the inherited declarations', () => {
    class Parent {
      @when('db.ready')
      @sets('app.configured')
      configure() {}
    }
    class DeclaresMore extends Parent {
      @sets('app.tuned')
      override configure() {}
    }
    class RunsElsewhere extends Parent {
      @when('cache.ready')
      override configure() {}
    }
    const [more] = createReactor().register(DeclaresMore).handlers;
    expect(more!.predicates).toEqual([{ kind: 'whenAll', flags: ['db.ready'] }]);
    expect(more!.sets).toEqual(['app.tuned']);
    const [elsewhere] = createReactor().register(RunsElsewhere).handlers;
    expect(elsewhere!.predicates).toEqual([{ kind: 'whenAll', flags: ['cache.ready'] }]);
    expect(elsewhere!.sets).toEqual(['app.configured']);
    const [parent] = createReactor().register(Parent).handlers;
    expect(parent!.predicates).toEqual([{ kind: 'whenAll', flags: ['db.ready'] }]);
    expect(parent!.sets).toEqual(['app.configured']);
  });

  it('a class without decorated methods is refused', () => {
    class Plain {
      run() {}
    }
    expect(() => createReactor().register(Plain)).toThrowError(InvalidHandlerError);
  });

  it('decorators on fields or static methods are refused with INVALID_HANDLER', () => {
    const onField = () => {
      class Bad {
        // @ts-expect-error: reactive decorators are for methods only
        @when('a') field = 1;
      }
      return Bad;
    };
    expect(onField).toThrowError(expect.objectContaining({ code: 'INVALID_HANDLER' }));
    const onStatic = () => {
      class Bad {
        @when('a')
        static go() {}
      }
      return Bad;
    };
    expect(onStatic).toThrowError(expect.objectContaining({ code: 'INVALID_HANDLER' }));
  });

  it('private methods can be handlers', async () => {
    class Secretive {
      ran = false;
      @when('go')
      #go() {
        this.ran = true;
      }
    }
    const instance = new Secretive();
    const { invoked } = await dispatchOnce(createReactor().register(instance), { flags: ['go'] });
    expect(invoked).toEqual(['Secretive.#go']);
    expect(instance.ran).toBe(true);
  });
});
