import { describe, expect, it } from 'vitest';
import { MemoryHookTools } from '@charms/hooktools';
import { createReactor, MemoryUnitStateStore } from '@charms/reactive';
import { runCharmHook, syntheticHookContext, type CharmContext } from '@charms/runtime';
import { DebugStops, debugAtOf } from '@charms/runtime/testing';

// JUJU_DEBUG_AT as ops reads it (canonical/operator ops/framework.py, Framework.__init__
// and Framework.breakpoint). The pause itself needs an attached inspector: the model's
// debug-code test (packages/model/test/debug-code.test.ts) drives it through the protocol.

describe('JUJU_DEBUG_AT', () => {
  it('is split on commas and trimmed, empty names dropped, as ops parses it', () => {
    expect([...debugAtOf(' all, hook ,,start')]).toEqual(['all', 'hook', 'start']);
    expect(debugAtOf('').size).toBe(0);
    expect(debugAtOf(undefined).size).toBe(0);
  });

  it('stops before every handler for all and hook (ops: hook), before a named handler only for its id', () => {
    expect(new DebugStops(debugAtOf('all')).stopsBefore('start')).toBe(true);
    expect(new DebugStops(debugAtOf('hook')).stopsBefore('start')).toBe(true);
    expect(new DebugStops(debugAtOf('start,configure')).stopsBefore('configure')).toBe(true);
    expect(new DebugStops(debugAtOf('start')).stopsBefore('configure')).toBe(false);
    // A layer's handler ids are layer:function; the function's name alone names it too.
    expect(new DebugStops(debugAtOf('probe:configure')).stopsBefore('probe:configure')).toBe(true);
    expect(new DebugStops(debugAtOf('configure')).stopsBefore('probe:configure')).toBe(true);
    expect(new DebugStops(debugAtOf('probe')).stopsBefore('probe:configure')).toBe(false);
    expect(new DebugStops(debugAtOf('')).stopsBefore('start')).toBe(false);
  });

  it('stops at a breakpoint for all or its name; a nameless one only for all (ops Framework.breakpoint)', () => {
    const named = new DebugStops(debugAtOf('probe'));
    expect(named.stopsAt('probe')).toBe(true);
    expect(named.stopsAt('other')).toBe(false);
    expect(named.stopsAt(undefined)).toBe(false);
    expect(new DebugStops(debugAtOf('hook')).stopsAt('probe')).toBe(false);
    expect(new DebugStops(debugAtOf('all')).stopsAt(undefined)).toBe(true);
  });

  it('refuses the names ops refuses: reserved all and hook, and anything not like foo-bar', () => {
    expect(() => DebugStops.checkName('all')).toThrow(/reserved/);
    expect(() => DebugStops.checkName('hook')).toThrow(/reserved/);
    expect(() => DebugStops.checkName('Foo')).toThrow(/"Foo" is not like "foo" or "foo-bar"/);
    expect(() => DebugStops.checkName('foo-')).toThrow(RangeError);
    expect(() => DebugStops.checkName('foo-bar2')).not.toThrow();
  });
});

describe('ctx.breakpoint in a handler', () => {
  const metadata = { name: 'demo' };
  async function hookWith(debugAt: string | undefined, body: (ctx: CharmContext) => void) {
    const tools = new MemoryHookTools({ unitName: 'demo/0' });
    const charm = () => createReactor().handle({ id: 'start', hook: 'start' }, (ctx) => body(ctx as CharmContext));
    const result = await runCharmHook({ juju: syntheticHookContext('start', { unitName: 'demo/0' }), tools, store: new MemoryUnitStateStore(), charm, metadata, debugAt });
    const logs = tools.calls.filter((c) => c.tool === 'juju-log').map((c) => c.argv.join(' '));
    return { result, logs };
  }

  it('does nothing without JUJU_DEBUG_AT (no pause, no log line)', async () => {
    const { result, logs } = await hookWith(undefined, (ctx) => ctx.breakpoint('probe'));
    expect(result.exitCode).toBe(0);
    expect(logs.filter((line) => line.includes('Breakpoint'))).toEqual([]);
  });

  it('logs a breakpoint JUJU_DEBUG_AT does not name at WARNING and goes on, as ops does', async () => {
    const { result, logs } = await hookWith('other', (ctx) => ctx.breakpoint('probe'));
    expect(result.exitCode).toBe(0);
    expect(logs).toContainEqual(expect.stringMatching(/--log-level WARNING .*Breakpoint "probe" skipped \(not in JUJU_DEBUG_AT: other\)/));
  });

  it('fails the handler for a reserved name, naming it', async () => {
    const { result, logs } = await hookWith(undefined, (ctx) => ctx.breakpoint('hook'));
    expect(result.exitCode).toBe(1);
    expect(logs.join('\n')).toMatch(/handler start failed: RangeError: breakpoint name "hook" is reserved/);
  });
});
