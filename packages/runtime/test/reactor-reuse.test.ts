import { describe, expect, it } from 'vitest';
import { MemoryHookTools } from '@charms/hooktools';
import { createReactor, MemoryUnitStateStore } from '@charms/reactive';
import { runCharmHook, runHook, syntheticHookContext } from '@charms/runtime';

// One reactor can serve several hooks (a test, the conformance runner, a long-lived
// process); what a hook subscribes to its event stream must end with that hook.

describe('a reactor reused across hooks', () => {
  it('logs "Invoking reactive handler" once per hook, not once more each hook', async () => {
    const reactor = createReactor();
    reactor.handle({ id: 'app:always', hook: 'update-status' }, () => {});
    const tools = new MemoryHookTools({});
    const store = new MemoryUnitStateStore();
    for (let i = 0; i < 3; i += 1) {
      await runCharmHook({ juju: syntheticHookContext('update-status', { unitName: 'app/0' }), tools, store, charm: reactor, metadata: { name: 'app' } as never });
    }
    const invoking = tools.calls.filter((call) => call.tool === 'juju-log' && call.argv.some((arg) => arg.includes('Invoking reactive handler')));
    expect(invoking).toHaveLength(3);
  });

  it('an observer of one hook hears nothing of the next', async () => {
    const reactor = createReactor();
    reactor.handle({ id: 'app:go', hook: 'update-status' }, () => {});
    const store = new MemoryUnitStateStore();
    const heard: string[][] = [];
    for (let i = 0; i < 3; i += 1) {
      const mine: string[] = [];
      heard.push(mine);
      await runHook({ hookName: 'update-status', store, charm: reactor, observe: (events) => events.on('handler:start', ({ handlerId }) => void mine.push(handlerId)) });
    }
    expect(heard).toEqual([['app:go'], ['app:go'], ['app:go']]);
  });
});
