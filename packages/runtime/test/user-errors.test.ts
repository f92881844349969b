import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryHookTools } from '@charms/hooktools';
import { createReactor, MemoryUnitStateStore } from '@charms/reactive';
import { ConfigError, EndpointError, main, pythonJsonDumps, runCharmHook, runHook, StateStoreError, syntheticHookContext, type StoreChoice } from '@charms/runtime';
import { storeChoice } from '../src/main.js';
import { inProcessFiles, inProcessHookEnv } from './helpers/in-process-main.js';

// What a charm author or an operator can get wrong lands as an error with a stable code
// that says what to do, and fails the hook before anything is committed.

const hookEnv = inProcessHookEnv('install');
const files = inProcessFiles;

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

afterEach(() => void vi.restoreAllMocks());

describe('a state store named wrongly', () => {
  it('is a StateStoreError STATE_STORE_UNKNOWN whose location names the setting it came from', () => {
    const fromEnv = thrown(() => storeChoice(undefined, 'disk'));
    expect(fromEnv).toBeInstanceOf(StateStoreError);
    expect(fromEnv).toMatchObject({ code: 'STATE_STORE_UNKNOWN', location: 'CHARMS_STATE_STORE' });
    expect((fromEnv as Error).message).toContain('"disk"');
    const fromOption = thrown(() => storeChoice('files' as StoreChoice, undefined));
    expect(fromOption).toMatchObject({ code: 'STATE_STORE_UNKNOWN', location: 'main({ store })' });
  });

  it('accepts the three names, an empty variable as auto, and a store object as it is', () => {
    expect(['auto', 'file', 'controller'].map((name) => storeChoice(undefined, name))).toEqual(['auto', 'file', 'controller']);
    expect(storeChoice(undefined, '')).toBe('auto');
    const store = new MemoryUnitStateStore();
    expect(storeChoice(store, 'disk')).toBe(store);
  });

  it('fails the hook with exit code 1 before any handler runs, saying so through juju-log', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const tools = new MemoryHookTools({});
    const ran: string[] = [];
    const charm = createReactor();
    charm.handle({ id: 'app:install', hook: 'install' }, () => void ran.push('install'));

    const exitCode = await main(charm, { env: { ...hookEnv, CHARMS_STATE_STORE: 'disk' }, argv: [], tools, files });

    expect(exitCode).toBe(1);
    expect(ran).toEqual([]);
    const errors = tools.calls.filter((call) => call.tool === 'juju-log' && call.argv.includes('ERROR'));
    expect(errors).toHaveLength(1);
    expect(errors[0]!.argv.at(-1)).toContain('CHARMS_STATE_STORE');
    expect(stderr).toHaveBeenCalled();
  });
});

describe('relation data JSON cannot hold', () => {
  it('is an EndpointError NOT_JSON_VALUE, where Python raises TypeError', () => {
    for (const value of [10n, Symbol('s'), () => 1]) {
      const error = thrown(() => pythonJsonDumps({ key: value }));
      expect(error).toBeInstanceOf(EndpointError);
      expect(error).toMatchObject({ code: 'NOT_JSON_VALUE' });
    }
  });
});

describe('an endpoint metadata.yaml does not declare', () => {
  it('is an EndpointError UNKNOWN_ENDPOINT naming the endpoints there are, and fails the hook', async () => {
    let error: unknown;
    const charm = createReactor();
    charm.handle({ id: 'app:install', hook: 'install' }, (ctx) => {
      try {
        (ctx as unknown as { endpoint(name: string): unknown }).endpoint('dbb');
      } catch (caught) {
        error = caught;
        throw caught;
      }
    });
    const metadata = { name: 'app', requires: { db: { interface: 'pgsql' } } } as never;
    const { exitCode, outcome } = await runCharmHook({ juju: syntheticHookContext('install', { unitName: 'app/0' }), tools: new MemoryHookTools({}), store: new MemoryUnitStateStore(), charm, metadata });
    expect(exitCode).toBe(1);
    expect(outcome?.committed).toBe(false);
    expect(error).toBeInstanceOf(EndpointError);
    expect(error).toMatchObject({ code: 'UNKNOWN_ENDPOINT' });
    expect((error as Error).message).toContain("it has: db");
  });
});

describe('a config.yaml option with no definition', () => {
  it('fails the hook at atstart with ConfigError OPTION_UNDEFINED naming the option, before any flag is set or anything committed', async () => {
    const store = new MemoryUnitStateStore();
    const charm = createReactor().handle({ id: 'h', when: 'config.changed' }, () => undefined);
    const outcome = await runHook({ hookName: 'config-changed', store, charm, config: { port: 1, stray: null }, configOptions: { port: { default: 1 }, stray: null as never } });
    expect(outcome).toMatchObject({ ok: false, committed: false, stage: 'atstart' });
    expect(outcome.error).toBeInstanceOf(ConfigError);
    expect(outcome.error).toMatchObject({ code: 'OPTION_UNDEFINED', option: 'stray' });
    expect((outcome.error as Error).message).toContain("'stray'");
    expect(store.commits).toBe(0);
  });
});
