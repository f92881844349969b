import { describe, expect, it } from 'vitest';
import {
  createReactor,
  defineLayer,
  DuplicateHandlerError,
  InvalidHandlerError,
  InvalidLayerError,
  when,
  type ReactiveEvents,
} from '@charms/reactive';
import { dispatchOnce } from './helpers.js';

describe('registration', () => {
  it('the id defaults to the function name', () => {
    const r = createReactor().handle({ when: 'a' }, function installMinio() {});
    expect(r.handlers.map((h) => h.id)).toEqual(['installMinio']);
  });

  it("the record keeps no function text: a handler's code stays in its module", () => {
    const [handler] = createReactor().handle({ when: 'a' }, function configure() {}).handlers;
    expect(Object.keys(handler!).sort()).toEqual(['clears', 'id', 'order', 'predicates', 'sets', 'watched']);
  });

  it('handlers registered after a dispatch take part in the next one', async () => {
    const ran: string[] = [];
    const r = createReactor().handle({ id: 'first', when: 'a' }, () => void ran.push('first'));
    await dispatchOnce(r, { flags: ['a'] });
    r.handle({ id: 'second', when: 'a' }, () => void ran.push('second'));
    await dispatchOnce(r, { flags: ['a'] });
    expect(ran).toEqual(['first', 'first', 'second']);
  });

  it('a handler without a name or id is refused with INVALID_HANDLER', () => {
    expect(() => createReactor().handle({ when: 'a' }, (() => () => {})())).toThrowError(InvalidHandlerError);
    expect(() => createReactor().handle({ id: '', when: 'a' }, () => {})).toThrowError(
      expect.objectContaining({ code: 'INVALID_HANDLER', handlerId: undefined }),
    );
  });

  it('a handler without any condition is refused', () => {
    expect(() => createReactor().handle({ id: 'bare' }, () => {})).toThrowError(
      expect.objectContaining({ code: 'INVALID_HANDLER', handlerId: 'bare' }),
    );
    expect(() => createReactor().handle({ id: 'empty', when: [] }, () => {})).toThrowError(InvalidHandlerError);
  });

  it('two handlers with one id are refused with DUPLICATE_HANDLER', () => {
    const r = createReactor().handle({ id: 'h', when: 'a' }, () => {});
    expect(() => r.handle({ id: 'h', when: 'b' }, () => {})).toThrowError(
      expect.objectContaining({ code: 'DUPLICATE_HANDLER', handlerId: 'h' }),
    );
    expect(new DuplicateHandlerError('h')).toBeInstanceOf(Error);
  });

  it('a malformed hook pattern or decorator list is refused', () => {
    expect(() => createReactor().handle({ id: 'h', hook: [3 as never] }, () => {})).toThrowError(InvalidHandlerError);
    expect(() => createReactor().handle({ id: 'h', decorators: [{} as never] }, () => {})).toThrowError(InvalidHandlerError);
  });

  it('importing or defining a layer registers nothing; use() registers in include order with prefixed ids', async () => {
    const seen: string[] = [];
    const base = defineLayer('basic', (r) => {
      r.handle({ when: 'go' }, function install() {
        seen.push('basic');
      });
    });
    const charm = defineLayer('minio', (r) => {
      r.handle({ when: 'go' }, function install() {
        seen.push('minio');
      });
      class Extra {
        @when('go')
        more() {}
      }
      r.register(Extra);
    });
    const reactor = createReactor();
    expect(reactor.handlers).toEqual([]);
    reactor.use(base).use(charm);
    expect(reactor.handlers.map((h) => h.id)).toEqual(['basic:install', 'minio:install', 'minio:Extra.more']);
    await dispatchOnce(reactor, { flags: ['go'] });
    expect(seen).toEqual(['basic', 'minio']);
  });

  it('layer names must fit in handler ids', () => {
    expect(() => defineLayer('has space', () => {})).toThrowError(InvalidLayerError);
    expect(() => defineLayer('', () => {})).toThrowError(expect.objectContaining({ code: 'INVALID_LAYER' }));
  });

  it('atstart and atexit callbacks are kept in registration order for the runtime', () => {
    const a = () => {};
    const b = () => {};
    const r = createReactor().atstart(a).use(defineLayer('l', (x) => x.atstart(b).atexit(a)));
    expect(r.atstartCallbacks).toEqual([a, b]);
    expect(r.atexitCallbacks).toEqual([a]);
  });
});

describe('event stream', () => {
  it('reports dispatch, rounds, handlers and flags in order', async () => {
    const r = createReactor()
      .registerTrigger({ when: 'b', setFlag: 'c' })
      .handle({ id: 'h', when: 'a', whenNot: 'b' }, (ctx) => ctx.setFlag('b'));
    const events: string[] = [];
    const names: (keyof ReactiveEvents)[] = [
      'dispatch:start',
      'round',
      'handler:start',
      'handler:end',
      'flag:set',
      'flag:clear',
      'trigger:fired',
      'dispatch:end',
    ];
    for (const name of names) r.events.on(name, (e) => events.push(`${name} ${JSON.stringify(e)}`));
    await dispatchOnce(r, { flags: ['a'] });
    expect(events).toEqual([
      'dispatch:start {"hookName":"update-status","restricted":false}',
      'round {"phase":"hooks","iteration":null,"queue":[]}',
      'round {"phase":"other","iteration":0,"queue":["h"]}',
      'handler:start {"handlerId":"h","phase":"other","iteration":0}',
      'flag:set {"flag":"b","value":null}',
      'trigger:fired {"on":"set","flag":"b","setFlags":["c"],"clearFlags":[],"callbacks":0}',
      'flag:set {"flag":"c","value":null}',
      'handler:end {"handlerId":"h","ok":true}',
      'round {"phase":"other","iteration":1,"queue":[]}',
      'dispatch:end {"iterations":1,"invocations":1,"capReached":false,"exited":false}',
    ]);
  });
});
