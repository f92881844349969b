import { describe, expect, it } from 'vitest';
import { MemoryHookTools } from '@charms/hooktools';
import { createReactor, MemoryUnitStateStore } from '@charms/reactive';
import { main } from '@charms/runtime';
import { inProcessFiles, inProcessHookEnv } from './helpers/in-process-main.js';

// main() in-process: what the timing costs a hook that does not ask for it, and where
// DEBUG lines go when the tools are not Juju's.

const hookEnv = inProcessHookEnv('update-status');
const files = inProcessFiles;

function charm() {
  const reactor = createReactor();
  reactor.handle({ id: 'app:status', hook: 'update-status' }, (ctx) => ctx.setFlag('app.seen'));
  return reactor;
}

describe('main without CHARMS_HOOK_PHASES', () => {
  it('looks the variable up once and reads nothing else for the timing', async () => {
    const lookups: string[] = [];
    const env = new Proxy(hookEnv as Record<string, string | undefined>, {
      get(target, key) {
        if (typeof key === 'string' && key.startsWith('CHARMS_HOOK_PHASES')) lookups.push(key);
        return target[key as string];
      },
    });
    const tools = new MemoryHookTools({});
    expect(await main(charm(), { env, argv: [], tools, files, store: new MemoryUnitStateStore() })).toBe(0);
    expect(lookups).toEqual(['CHARMS_HOOK_PHASES']);
  });
});

describe('main with tools given', () => {
  it('sends DEBUG lines through those tools\' juju-log, since nothing logs its stdout', async () => {
    const tools = new MemoryHookTools({});
    expect(await main(charm(), { env: hookEnv, argv: [], tools, files, store: new MemoryUnitStateStore() })).toBe(0);
    const debug = tools.calls.filter((call) => call.tool === 'juju-log' && call.argv.includes('DEBUG')).map((call) => call.argv.at(-1));
    expect(debug).toEqual(['reactive: hooks phase: queued app:status', 'reactive: flags +app.seen']);
  });
});
