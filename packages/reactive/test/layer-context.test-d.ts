import { describe, expectTypeOf, it } from 'vitest';
import { clears, createReactor, defineLayer, sets, when, type HandlerContext, type ReactiveContext } from '@charms/reactive';

// A stand-in for the runtime's CharmContext: what a layer's handlers receive.
interface CharmServices {
  readonly tools: { statusSet(state: string, message: string): Promise<void> };
  layerOptions(layer: string): Readonly<Record<string, unknown>>;
}
type CharmContext = HandlerContext & CharmServices;

describe('layer callback typing', () => {
  it("a layer's atstart, atexit and trigger callbacks receive its context, without handlerId", () => {
    defineLayer<string, CharmContext>('status', (r) => {
      r.atstart((ctx) => {
        expectTypeOf(ctx.tools.statusSet).toEqualTypeOf<(state: string, message: string) => Promise<void>>();
        expectTypeOf(ctx.layerOptions).returns.toEqualTypeOf<Readonly<Record<string, unknown>>>();
        expectTypeOf(ctx.setFlag).toBeFunction();
        // @ts-expect-error: no handler runs in a lifecycle callback
        void ctx.handlerId;
      });
      r.atexit(async (ctx) => {
        await ctx.tools.statusSet('active', '');
      });
      r.registerTrigger({ when: 'a', callback: (ctx) => void ctx.layerOptions('status') });
    });
  });

  it('without a context type, callbacks receive the reactive context', () => {
    createReactor().atstart((ctx) => {
      expectTypeOf(ctx).toMatchTypeOf<ReactiveContext>();
      // @ts-expect-error: the plain reactive context has no hook tools
      void ctx.tools;
    });
  });

  it('@sets and @clears take flag names or functions of the charm, and go on handler methods only', () => {
    class Charm {
      @when('a')
      @sets('b', (charm) => Object.keys(charm.metadata.resources ?? {}))
      @clears('a')
      run(_ctx: CharmContext) {}
    }
    expectTypeOf(Charm).toBeConstructibleWith();
    // @ts-expect-error: a function must return flag names
    sets(() => 3);
    class Bad {
      // @ts-expect-error: not on a field
      @sets('b') field = 1;
    }
    expectTypeOf(Bad).toBeConstructibleWith();
  });
});
