import { describe, expect, it } from 'vitest';
import { createReactor, defineLayer, HandlerError, MemoryUnitStateStore, when, type Reactor } from '@charms/reactive';
import { runHook } from '@charms/runtime';
import { CONFIG_SNAPSHOT_KEY, SERIES_UPGRADE_FLAG } from '@charms/runtime/testing';

const seeded = (flags: string[] = []) => new MemoryUnitStateStore({ flags: Object.fromEntries(flags.map((f) => [f, null])), data: {} });
const committedFlags = (store: MemoryUnitStateStore) => Object.keys(store.peek()?.flags ?? {});

describe('runHook: commit and rollback (spec §1.1)', () => {
  it('commits once, after a successful hook', async () => {
    const store = seeded(['go']);
    const charm = createReactor().handle({ id: 'h', when: 'go' }, (ctx) => ctx.setFlag('done'));
    const outcome = await runHook({ hookName: 'update-status', store, charm });
    expect(outcome).toMatchObject({ ok: true, committed: true, exitCode: 0 });
    expect(store.commits).toBe(1);
    expect(committedFlags(store)).toEqual(['done', 'go']);
  });

  it('a throwing handler rolls the whole hook back: flags, marks, data, triggers, config snapshot', async () => {
    const store = seeded(['go']);
    const before = JSON.stringify(store.peek());
    const charm = createReactor()
      .registerTrigger({ when: 'x', setFlag: 'y' })
      .handle({ id: 'marker', onlyOnce: true, when: 'go' }, (ctx) => {
        ctx.setFlag('x');
        ctx.kv.set('k', 1);
      })
      .handle({ id: 'broken', when: 'x' }, () => {
        throw new Error('install failed');
      });
    const outcome = await runHook({ hookName: 'install', store, charm, config: { port: 9000 }, configOptions: { port: { default: 9000 } } });
    expect(outcome).toMatchObject({ ok: false, committed: false, exitCode: 1, stage: 'dispatch' });
    expect(outcome.error).toBeInstanceOf(HandlerError);
    expect(outcome.error).toMatchObject({ handlerId: 'broken', hookName: 'install' });
    expect(JSON.stringify(store.peek())).toBe(before);
    expect(store.commits).toBe(0);
  });

  it('exitHook(0) stops dispatch, runs atexit and commits the partial state without the @onlyOnce mark', async () => {
    const store = seeded(['go']);
    const charm = () =>
      createReactor()
        .handle({ id: 'once', onlyOnce: true, when: 'go' }, (ctx) => {
          ctx.setFlag('partial');
          ctx.exit(0);
        })
        .handle({ id: 'after', when: 'go' }, (ctx) => ctx.setFlag('never'));
    const outcome = await runHook({ hookName: 'start', store, charm, config: { a: 1 }, configOptions: { a: {} } });
    expect(outcome).toMatchObject({ ok: true, committed: true, dispatch: { exited: true } });
    expect(committedFlags(store)).toEqual(['go', 'partial']);
    expect(store.peek()?.data).toEqual({ [CONFIG_SNAPSHOT_KEY]: { a: 1 } });
    const again = await runHook({ hookName: 'start', store, charm, config: { a: 1 }, configOptions: { a: {} } });
    expect(again.dispatch?.invocations).toBe(1);
  });

  it('a non-zero exit fails the hook with that exit code and commits nothing', async () => {
    const store = seeded(['go']);
    const charm = createReactor().handle({ id: 'h', when: 'go' }, (ctx) => {
      ctx.setFlag('x');
      ctx.exit(3);
    });
    const outcome = await runHook({ hookName: 'start', store, charm });
    expect(outcome).toMatchObject({ ok: false, committed: false, exitCode: 3 });
    expect(committedFlags(store)).toEqual(['go']);
  });

  it('reaching the iteration cap is a success and is committed', async () => {
    const store = seeded();
    const charm = createReactor().handle({ id: 'loop', decorators: [when()] }, (ctx) => ctx.setFlag('seen'));
    const outcome = await runHook({ hookName: 'update-status', store, charm });
    expect(outcome).toMatchObject({ ok: true, committed: true, dispatch: { capReached: true, iterations: 100 } });
    expect(committedFlags(store)).toEqual(['seen']);
  });

  it('a hook that reaches the cap saves the config snapshot like any successful hook', async () => {
    const store = seeded();
    const charm = createReactor().handle({ id: 'loop', decorators: [when()] }, () => {});
    await runHook({ hookName: 'config-changed', store, charm, config: { port: 1 }, configOptions: { port: {} } });
    expect(store.peek()?.data[CONFIG_SNAPSHOT_KEY]).toEqual({ port: 1 });
  });

  it('an invalid registerTrigger inside a handler fails the hook at that point', async () => {
    const store = seeded(['go']);
    const charm = createReactor().handle({ id: 'h', when: 'go' }, (ctx) => {
      ctx.setFlag('before');
      ctx.registerTrigger({ when: 'a', whenNot: 'b', setFlag: 'c' });
    });
    const outcome = await runHook({ hookName: 'start', store, charm });
    expect(outcome).toMatchObject({ ok: false, stage: 'dispatch', error: { code: 'HANDLER_FAILED', cause: { code: 'INVALID_TRIGGER' } } });
    expect(committedFlags(store)).toEqual(['go']);
  });

  it('a charm that fails to load (invalid trigger, duplicate id) fails the hook before anything runs', async () => {
    const store = seeded(['a']);
    const outcome = await runHook({
      hookName: 'install',
      store,
      charm: () => createReactor().registerTrigger({ when: 'a' }),
    });
    expect(outcome).toMatchObject({ ok: false, stage: 'load', error: { code: 'INVALID_TRIGGER' } });
    const duplicate = await runHook({
      hookName: 'install',
      store,
      charm: () => createReactor().handle({ id: 'h', when: 'a' }, () => {}).handle({ id: 'h', when: 'a' }, () => {}),
    });
    expect(duplicate).toMatchObject({ ok: false, stage: 'load', error: { code: 'DUPLICATE_HANDLER' } });
    expect(store.commits).toBe(0);
  });

  it('a failing commit is reported as a failure of the hook', async () => {
    const store = seeded();
    store.commit = async () => {
      throw new Error('disk full');
    };
    const outcome = await runHook({ hookName: 'install', store, charm: createReactor() });
    expect(outcome).toMatchObject({ ok: false, committed: false, stage: 'commit', exitCode: 1 });
  });
});

describe('runHook: lifecycle order (spec §1.2)', () => {
  function tracingCharm(calls: string[]): Reactor {
    return createReactor()
      .use(
        defineLayer('first', (r) =>
          r
            .atstart((ctx) => void calls.push(`first atstart, config.changed=${ctx.isFlagSet('config.changed')}`))
            .atexit((ctx) => void calls.push(`first atexit, config.changed=${ctx.isFlagSet('config.changed')}`)),
        ),
      )
      .use(
        defineLayer('second', (r) =>
          r
            .atstart(() => void calls.push('second atstart'))
            .atexit(() => void calls.push('second atexit'))
            .handle({ hook: 'install' }, function install() {
              calls.push('dispatch');
            }),
        ),
      );
  }

  it('atstart runs after the automatic flags in registration order; atexit runs reversed, before the config flags are cleared', async () => {
    const calls: string[] = [];
    await runHook({ hookName: 'install', store: seeded(), charm: tracingCharm(calls), config: { a: 1 }, configOptions: { a: {} } });
    expect(calls).toEqual([
      'first atstart, config.changed=true',
      'second atstart',
      'dispatch',
      'second atexit',
      'first atexit, config.changed=true',
    ]);
  });

  it('restricted hooks skip atstart and atexit but still commit, and their trigger lists persist', async () => {
    const calls: string[] = [];
    const store = seeded();
    const charm = () => tracingCharm(calls).registerTrigger({ when: 'armed', setFlag: 'fired' });
    const metrics = await runHook({ hookName: 'collect-metrics', store, charm, config: { a: 1 }, configOptions: { a: {} } });
    expect(metrics).toMatchObject({ ok: true, committed: true, restricted: true });
    expect(calls).toEqual([]);
    expect(store.peek()?.data['reactive.flag_set_triggers.armed']).toEqual({ set_flag: ['fired'], clear_flag: [] });
    expect(store.peek()?.data[CONFIG_SNAPSHOT_KEY]).toBeUndefined();

    // The next (normal) hook still has the committed list, even with a charm that no longer registers it.
    await runHook({
      hookName: 'update-status',
      store,
      charm: createReactor().handle({ id: 'arm', onlyOnce: true }, (ctx) => ctx.setFlag('armed')),
    });
    expect(committedFlags(store)).toEqual(['armed', 'fired']);
    expect(store.peek()?.data['reactive.flag_set_triggers.armed']).toBeUndefined();
  });

  it('the series-upgrade flag is set in pre-series-upgrade, kept, and cleared in post-series-upgrade', async () => {
    const store = seeded();
    await runHook({ hookName: 'pre-series-upgrade', store, charm: createReactor() });
    expect(committedFlags(store)).toEqual([SERIES_UPGRADE_FLAG]);
    await runHook({ hookName: 'update-status', store, charm: createReactor() });
    expect(committedFlags(store)).toEqual([SERIES_UPGRADE_FLAG]);
    await runHook({ hookName: 'post-series-upgrade', store, charm: createReactor() });
    expect(committedFlags(store)).toEqual([]);
  });

  it('exitHook(0) during atstart skips dispatch and still runs atexit and commits', async () => {
    const store = seeded();
    const charm = createReactor()
      .atstart((ctx) => {
        ctx.setFlag('started');
        ctx.exit(0);
      })
      .atexit((ctx) => ctx.setFlag('exited'))
      .handle({ id: 'h', hook: 'install' }, (ctx) => ctx.setFlag('dispatched'));
    const outcome = await runHook({ hookName: 'install', store, charm });
    expect(outcome).toMatchObject({ ok: true, committed: true });
    expect(committedFlags(store)).toEqual(['exited', 'started']);
  });

  it('exitHook(0) inside an atexit callback ends the hook before the commit, as the original does', async () => {
    const store = seeded();
    const charm = createReactor()
      .atexit((ctx) => ctx.exit(0))
      .handle({ id: 'h', hook: 'install' }, (ctx) => ctx.setFlag('lost'));
    const outcome = await runHook({ hookName: 'install', store, charm });
    expect(outcome).toMatchObject({ ok: true, committed: false, exitCode: 0 });
    // The flag is lost; only the config snapshot, saved earlier in atexit, is kept.
    expect(store.peek()).toEqual({ flags: {}, data: { [CONFIG_SNAPSHOT_KEY]: {} } });
  });

  it('an error in an atexit callback fails the hook and commits nothing', async () => {
    const store = seeded();
    const charm = createReactor().atexit(() => {
      throw new Error('cleanup failed');
    });
    const outcome = await runHook({ hookName: 'install', store, charm });
    expect(outcome).toMatchObject({ ok: false, stage: 'atexit', committed: false });
  });
});
