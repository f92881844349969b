import { describe, expect, it } from 'vitest';
import { createReactor, UnitState, whenAny, whenNotAll, type HandlerSpec } from '@charms/reactive';
import { expandHookPatterns } from '@charms/reactive/testing';
import { dispatchOnce } from './helpers.js';

async function runsWith(spec: HandlerSpec, flags: string[], hookName = 'update-status'): Promise<boolean> {
  const r = createReactor().handle({ id: 'h', ...spec }, () => {});
  const { invoked } = await dispatchOnce(r, { flags, hookName });
  return invoked.length > 0;
}

describe('decorator predicates (spec §5)', () => {
  it.each([
    ['when', { when: ['a', 'b'] }, ['a', 'b'], true],
    ['when', { when: ['a', 'b'] }, ['a'], false],
    ['whenAll', { whenAll: ['a', 'b'] }, ['a', 'b'], true],
    ['whenAny', { whenAny: ['a', 'b'] }, ['b'], true],
    ['whenAny', { whenAny: ['a', 'b'] }, [], false],
    ['whenNot', { whenNot: ['a', 'b'] }, [], true],
    ['whenNot', { whenNot: ['a', 'b'] }, ['b'], false],
    ['whenNone', { whenNone: ['a', 'b'] }, ['a'], false],
    ['whenNotAll', { whenNotAll: ['a', 'b'] }, ['a'], true],
    ['whenNotAll', { whenNotAll: ['a', 'b'] }, ['a', 'b'], false],
  ] as const)('§5 %s %j with flags %j runs: %s', async (_name, spec, flags, expected) => {
    expect(await runsWith(spec as HandlerSpec, [...flags])).toBe(expected);
  });

  it('§5.1 stacked decorators are AND-ed, each with its own meaning', async () => {
    const spec: HandlerSpec = { decorators: [whenAny('a', 'b'), whenAny('c', 'd')], whenNot: 'e' };
    expect(await runsWith(spec, ['b', 'c'])).toBe(true);
    expect(await runsWith(spec, ['a', 'b'])).toBe(false);
    expect(await runsWith(spec, ['a', 'd', 'e'])).toBe(false);
  });

  it('§5.1 @hook together with @when can never run', async () => {
    expect(await runsWith({ hook: 'install', when: 'a' }, ['a'], 'install')).toBe(false);
  });

  it('§5.1 @whenAny() and @whenNotAll() with no flags never run', async () => {
    expect(await runsWith({ decorators: [whenAny()] }, ['a'])).toBe(false);
    expect(await runsWith({ decorators: [whenNotAll()] }, [])).toBe(false);
  });

  it('§5.1 @onlyOnce alone runs in the hooks phase of the first hook, then never again', async () => {
    const r = createReactor().handle({ id: 'once', onlyOnce: true }, () => {});
    r.handle({ id: 'flagged', when: 'go' }, () => {});
    const first = await dispatchOnce(r, { flags: ['go'] });
    expect(first.rounds.map((x) => [x.phase, x.invoked])).toEqual([
      ['hooks', ['once']],
      ['other', ['flagged']],
    ]);
    const second = await dispatchOnce(r, { state: new UnitState(first.state.snapshot()) });
    expect(second.invoked).toEqual(['flagged']);
  });

  it('§5.4 the @onlyOnce mark is written only after the handler returns normally', async () => {
    const r = createReactor().handle({ id: 'once', onlyOnce: true, when: 'go' }, () => {
      throw new Error('no');
    });
    const state = new UnitState({ flags: { go: null }, data: {} });
    await expect(dispatchOnce(r, { state })).rejects.toThrow('no');
    expect(state.data.has('reactive.invoked.once')).toBe(false);
  });

  it('§5.4 @onlyOnce with @when runs in the other phase, once ever, keyed by handler id', async () => {
    const r = createReactor().handle({ id: 'once', onlyOnce: true, when: 'go' }, () => {});
    const first = await dispatchOnce(r, { flags: ['go'] });
    expect(first.rounds).toEqual([{ phase: 'other', iteration: 0, queued: ['once'], invoked: ['once'] }]);
    expect(first.state.data.get('reactive.invoked.once')).toBe(true);
    const again = await dispatchOnce(r, { state: new UnitState(first.state.snapshot()) });
    expect(again.invoked).toEqual([]);
  });

  it('§5.5 @collectMetrics never runs in meter-status-changed, nor outside the restricted phase', async () => {
    expect(await runsWith({ collectMetrics: true }, [], 'collect-metrics')).toBe(false);
    const r = createReactor().handle({ id: 'm', collectMetrics: true }, () => {});
    expect((await dispatchOnce(r, { hookName: 'meter-status-changed', restricted: true })).invoked).toEqual([]);
    expect((await dispatchOnce(r, { hookName: 'collect-metrics', restricted: true })).invoked).toEqual(['m']);
  });

  it('§5.7 a @hook handler runs at most once per hook, whatever its flags do', async () => {
    const r = createReactor().handle({ id: 'h', hook: 'config-changed' }, (ctx) => ctx.clearFlag('x'));
    const { invoked } = await dispatchOnce(r, { hookName: 'config-changed', flags: ['x'] });
    expect(invoked).toEqual(['h']);
  });
});

describe('hook patterns (spec §5.3)', () => {
  const metadata = {
    requires: { db1: { interface: 'mysql' }, db2: { interface: 'postgres' } },
    provides: { db3: { interface: 'mysql' } },
    peers: { cluster: { interface: 'minio-peer' } },
  };

  it('§5.3 {a,b} groups expand to every combination', () => {
    expect(expandHookPatterns(['{A,B}{C,D}']).sort()).toEqual(['AC', 'AD', 'BC', 'BD']);
    expect(expandHookPatterns(['{A,B}{A,B}']).sort()).toEqual(['AA', 'AB', 'BA', 'BB']);
    expect(expandHookPatterns(['{single}-hook'])).toEqual(['single-hook']);
  });

  it('§5.3 {role:interface} expands through metadata, peers included; no match expands to nothing', () => {
    expect(expandHookPatterns(['{requires:mysql}-relation-joined'], metadata)).toEqual(['db1-relation-joined']);
    expect(expandHookPatterns(['{provides:mysql}-relation-{joined,changed}'], metadata)).toEqual([
      'db3-relation-joined',
      'db3-relation-changed',
    ]);
    expect(expandHookPatterns(['{peers:minio-peer}-relation-changed'], metadata)).toEqual(['cluster-relation-changed']);
    expect(expandHookPatterns(['{peer:minio-peer}-relation-changed'], metadata)).toEqual([]);
    expect(expandHookPatterns(['{requires:http}-relation-joined'], metadata)).toEqual([]);
  });

  it('§5.3 several patterns on one handler are OR-ed', async () => {
    const r = createReactor().handle({ id: 'h', hook: ['install', 'config-{set,changed}'] }, () => {});
    expect((await dispatchOnce(r, { hookName: 'config-changed' })).invoked).toEqual(['h']);
    expect((await dispatchOnce(r, { hookName: 'install' })).invoked).toEqual(['h']);
    expect((await dispatchOnce(r, { hookName: 'start' })).invoked).toEqual([]);
  });

  it('§5.3 a relation hook matches {role:interface} through the metadata given to the hook', async () => {
    const r = createReactor().handle({ id: 'h', hook: '{requires:mysql}-relation-{joined,changed}' }, () => {});
    expect((await dispatchOnce(r, { hookName: 'db1-relation-changed', metadata })).invoked).toEqual(['h']);
    expect((await dispatchOnce(r, { hookName: 'db2-relation-changed', metadata })).invoked).toEqual([]);
  });
});
