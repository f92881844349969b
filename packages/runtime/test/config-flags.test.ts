import { describe, expect, it } from 'vitest';
import { createReactor, MemoryUnitStateStore, type Reactor } from '@charms/reactive';
import { runHook, type ConfigOption } from '@charms/runtime';
import { CONFIG_SNAPSHOT_KEY, pythonEquals, pythonTruthy } from '@charms/runtime/testing';

const options: Record<string, ConfigOption> = {
  'access-key': { default: 'minio' },
  port: { default: 9000 },
  'secret-key': { default: 'minio123' },
  debug: { default: false },
  region: {},
};

/** A charm with one handler that records the config flags it sees during dispatch. */
function observingCharm(seen: string[][]): Reactor {
  return createReactor().handle({ id: 'observe', hook: ['config-changed', 'update-status', 'start'] }, (ctx) => {
    seen.push(ctx.getFlags().filter((flag) => flag.startsWith('config.')));
  });
}

async function hook(store: MemoryUnitStateStore, config: Record<string, unknown>, hookName = 'config-changed') {
  const seen: string[][] = [];
  const outcome = await runHook({ hookName, store, charm: observingCharm(seen), config, configOptions: options });
  // The handler ran once, so an empty list of flags is what it saw, not that it never ran.
  expect(seen).toHaveLength(1);
  return { outcome, flags: seen[0]! };
}

const defaults = { 'access-key': 'minio', debug: false, port: 9000, region: null, 'secret-key': 'minio123' };

describe("layer-basic's config flags (spec §8)", () => {
  it('in the first hook every option counts as changed; set and default follow the values', async () => {
    const { flags } = await hook(new MemoryUnitStateStore(), defaults);
    expect(flags).toEqual([
      'config.changed',
      'config.changed.access-key',
      'config.changed.debug',
      'config.changed.port',
      'config.changed.region',
      'config.changed.secret-key',
      'config.default.access-key',
      'config.default.debug',
      'config.default.port',
      'config.default.region',
      'config.default.secret-key',
      'config.set.access-key',
      'config.set.port',
      'config.set.secret-key',
    ]);
  });

  it('the flags exist only during the hook and are never committed', async () => {
    const store = new MemoryUnitStateStore();
    await hook(store, defaults);
    expect(store.peek()?.flags).toEqual({});
    expect(store.peek()?.data[CONFIG_SNAPSHOT_KEY]).toEqual(defaults);
  });

  it('a later hook reports only the options whose value changed since the last successful hook', async () => {
    const store = new MemoryUnitStateStore();
    await hook(store, defaults);
    expect((await hook(store, defaults, 'update-status')).flags.filter((f) => f.startsWith('config.changed'))).toEqual([]);
    const { flags } = await hook(store, { ...defaults, port: 9001 });
    expect(flags.filter((f) => f.startsWith('config.changed'))).toEqual(['config.changed', 'config.changed.port']);
    expect(flags).not.toContain('config.default.port');
  });

  it('after a failed hook the change is reported again, because the snapshot was not saved', async () => {
    const store = new MemoryUnitStateStore();
    await hook(store, defaults);
    const failing = createReactor().handle({ id: 'boom', hook: 'config-changed' }, () => {
      throw new Error('boom');
    });
    await runHook({ hookName: 'config-changed', store, charm: failing, config: { ...defaults, port: 1 }, configOptions: options });
    const { flags } = await hook(store, { ...defaults, port: 1 });
    expect(flags).toContain('config.changed.port');
  });

  it('restricted hooks neither set the flags nor save the snapshot', async () => {
    const store = new MemoryUnitStateStore();
    const seen: string[][] = [];
    const charm = createReactor().handle({ id: 'm', collectMetrics: true }, (ctx) => void seen.push(ctx.getFlags()));
    await runHook({ hookName: 'collect-metrics', store, charm, config: defaults, configOptions: options });
    expect(seen).toEqual([[]]);
    expect(store.peek()?.data[CONFIG_SNAPSHOT_KEY]).toBeUndefined();
  });

  it('values compare with Python equality: 1 == 1.0 == true, and a missing default equals null', async () => {
    const store = new MemoryUnitStateStore();
    const { flags } = await hook(store, { ...defaults, debug: 0, port: 9000.0 });
    expect(flags).toContain('config.default.debug');
    expect(flags).toContain('config.default.region');
    expect(flags).not.toContain('config.set.debug');
    await hook(store, { ...defaults, debug: 0 });
    const next = await hook(store, { ...defaults, debug: false });
    expect(next.flags).not.toContain('config.changed.debug');
  });

  it('operations follow layer-basic order, visible through triggers: per option changed, set, default; at exit changed first, then per key', async () => {
    const order: string[] = [];
    const charm = createReactor();
    for (const prefix of ['config.changed', 'config.set', 'config.default']) {
      for (const option of ['', '.a', '.b']) {
        const flag = prefix === 'config.changed' || option ? `${prefix}${option}` : undefined;
        if (!flag) continue;
        charm.registerTrigger({ when: flag, callback: () => void order.push(`+${flag}`) });
        charm.registerTrigger({ whenNot: flag, callback: () => void order.push(`-${flag}`) });
      }
    }
    await runHook({
      hookName: 'config-changed',
      store: new MemoryUnitStateStore(),
      charm,
      config: { a: 'x', b: 'y' },
      configOptions: { b: { default: 'y' }, a: {} },
    });
    expect(order).toEqual([
      // atstart, in config.yaml order (b before a)
      '+config.changed',
      '+config.changed.b',
      '+config.set.b',
      '+config.default.b',
      '+config.changed.a',
      '+config.set.a',
      // atexit, after the trigger lists were wiped: only callbacks fire
      '-config.changed',
      '-config.changed.a',
      '-config.set.a',
      '-config.changed.b',
      '-config.set.b',
      '-config.default.b',
    ]);
  });

  it('configFlags: false runs the hook as a charm without layer-basic', async () => {
    const seen: string[][] = [];
    await runHook({
      hookName: 'config-changed',
      store: new MemoryUnitStateStore(),
      charm: observingCharm(seen),
      config: defaults,
      configOptions: options,
      configFlags: false,
    });
    expect(seen).toEqual([[]]);
  });
});

describe('Python values', () => {
  it.each([
    [1, 1.0, true],
    [true, 1, true],
    [false, 0, true],
    [null, undefined, true],
    ['1', 1, false],
    [[1, [2]], [1, [2]], true],
    [{ a: 1, b: [true] }, { b: [1], a: 1 }, true],
    [{ a: 1 }, { a: 1, b: null }, false],
    [[], {}, false],
  ])('pythonEquals(%j, %j) is %s', (a, b, expected) => {
    expect(pythonEquals(a, b)).toBe(expected);
  });

  it.each([
    [null, false],
    [false, false],
    [0, false],
    ['', false],
    [[], false],
    [{}, false],
    ['0', true],
    [[0], true],
    [-1, true],
  ])('pythonTruthy(%j) is %s', (value, expected) => {
    expect(pythonTruthy(value)).toBe(expected);
  });
});
