import { describe, expectTypeOf, it } from 'vitest';
import { createReactor, onlyOnce, when, whenNot, type HandlerContext, type ReactiveDecorator } from '@charms/reactive';

interface CharmContext extends HandlerContext {
  readonly tools: { statusSet(state: string, message: string): Promise<void> };
}

describe('decorator typing', () => {
  it('accepts methods that take nothing, the handler context, or a narrower context', () => {
    class Charm {
      @when('a')
      none() {}

      @when('a')
      @whenNot('b')
      async withContext(ctx: HandlerContext) {
        ctx.setFlag('b');
      }

      @onlyOnce
      async narrower(ctx: CharmContext) {
        await ctx.tools.statusSet('active', '');
      }
    }
    expectTypeOf(Charm).toBeConstructibleWith();
    expectTypeOf(when('a')).toEqualTypeOf<ReactiveDecorator>();
  });

  it('rejects flags that are not strings', () => {
    // @ts-expect-error: flags are strings
    when(1);
    // @ts-expect-error: flags are strings
    whenNot(['a']);
  });

  it('rejects methods with a second required parameter and non-method targets', () => {
    class Bad {
      // @ts-expect-error: a handler takes at most the context
      @when('a') twoArgs(_ctx: HandlerContext, _extra: string) {}

      // @ts-expect-error: not on a field
      @when('a') field = 1;

      // @ts-expect-error: not on a getter
      @when('a') get value() {
        return 1;
      }
    }
    expectTypeOf(Bad).toBeConstructibleWith();
  });

  it('a reactor can narrow flag names to a union type', () => {
    type Flags = 'minio.started' | 'minio.configured';
    const reactor = createReactor<Flags>();
    reactor.handle({ when: 'minio.started' }, function configure(ctx) {
      ctx.setFlag('minio.configured');
      // @ts-expect-error: not one of the declared flags
      ctx.setFlag('minio.typo');
    });
    // @ts-expect-error: not one of the declared flags
    reactor.handle({ when: 'minio.strated' }, function nope() {});
  });
});
