import { describe, expect, it } from 'vitest';
import { MemoryHookTools, type MemoryRelation } from '@charms/hooktools';
import { createReactor, defineLayer, MemoryUnitStateStore, NoActiveDispatchError, onlyOnce, registerTrigger, setFlag, when, whenNot } from '@charms/reactive';
import {
  defineInterface,
  Endpoint,
  endpointFromFlag,
  endpointFromName,
  pythonJsonDumps,
  runCharmHook,
  syntheticHookContext,
  type CharmContext,
} from '@charms/runtime';
import { hookInMemory } from '@charms/runtime/testing';

const calls: string[] = [];

class HttpProvides extends Endpoint {
  @when('endpoint.{endpoint_name}.joined')
  @whenNot('{endpoint_name}.available')
  joined() {
    calls.push(`joined ${this.endpointName}`);
    setFlag(this.expandName('{endpoint_name}.available'));
  }

  @when('{endpoint_name}.available', 'publish')
  publishPort() {
    for (const relation of this.relations) relation.toPublish.set('port', 80);
  }

  @when('endpoint.{endpoint_name}.departed')
  departed() {
    calls.push(`departed ${this.allDepartedUnits.map((u) => `${u.relation.relationId}/${u.unitName}`).join(',')}`);
  }

  @when('clear-departed')
  forget() {
    this.allDepartedUnits.clear();
  }

  @onlyOnce
  @when('endpoint.{endpoint_name}.joined')
  once() {
    calls.push(`once ${this.endpointName}`);
  }
}

const http = defineInterface('http', { provides: HttpProvides });
const metadata = { name: 'web', provides: { website: { interface: 'http' }, admin: { interface: 'http' } }, requires: { db: { interface: 'pgsql' } } };

function world(relations: Record<string, MemoryRelation>): MemoryHookTools {
  return new MemoryHookTools({ unitName: 'web/0', relations });
}

async function hook(
  tools: MemoryHookTools,
  store: MemoryUnitStateStore,
  hookName: string,
  charm: (reactor: ReturnType<typeof createReactor>) => void = () => undefined,
  options: { relationId?: string; remoteUnit?: string; departingUnit?: string } = {},
) {
  calls.length = 0;
  return hookInMemory({ hookName, unitName: 'web/0', ...options }, { tools, store, metadata, charm: () => {
    const reactor = createReactor();
    charm(reactor);
    return reactor.use(http);
  } });
}

describe('Endpoint classes', () => {
  it('register each method once per endpoint of their interface and role, in metadata order, with the endpoint as this', async () => {
    const tools = world({
      'website:1': { endpoint: 'website', app: 'wp', units: { 'wp/0': { host: '"10.0.0.5"' } } },
      'admin:2': { endpoint: 'admin', app: 'adm', units: { 'adm/0': {} } },
    });
    const store = new MemoryUnitStateStore();
    const result = await hook(tools, store, 'update-status');
    expect(result.exitCode).toBe(0);
    // Method by method, each method's endpoints in metadata order (website before admin).
    expect(calls).toEqual(['joined website', 'joined admin', 'once website', 'once admin']);
    expect(result.flags).toEqual([
      'admin.available',
      'endpoint.admin.joined',
      'endpoint.website.changed',
      'endpoint.website.changed.host',
      'endpoint.website.joined',
      'website.available',
    ]);
    expect((await hook(tools, store, 'update-status')).outcome?.ok).toBe(true);
    // @onlyOnce holds per endpoint: neither runs again.
    expect(calls).toEqual([]);
  });

  it('publish the whole bag at the end of a successful hook, JSON-encoded as Python writes it, and nothing when the hook fails', async () => {
    const tools = world({ 'website:1': { endpoint: 'website', app: 'wp', units: { 'wp/0': {} }, local: { 'private-address': '10.1.1.1' } } });
    const store = new MemoryUnitStateStore({ flags: { publish: null }, data: {} });
    await hook(tools, store, 'website-relation-joined', undefined, { relationId: 'website:1', remoteUnit: 'wp/0' });
    const sets = tools.calls.filter((c) => c.tool === 'relation-set');
    expect(sets.map((c) => [c.argv.join(' '), JSON.parse(c.stdin!)])).toEqual([
      ['-r website:1 --file -', { 'private-address': '10.1.1.1', port: '80' }],
    ]);
    expect(tools.world.relations['website:1']!.local).toEqual({ 'private-address': '10.1.1.1', port: '80' });

    const failing = (reactor: ReturnType<typeof createReactor>) =>
      reactor.handle({ id: 'fail', when: 'website.available' }, () => {
        throw new Error('boom');
      });
    const result = await hook(tools, store, 'update-status', failing);
    expect(result.exitCode).not.toBe(0);
    expect(tools.calls.filter((c) => c.tool === 'relation-set')).toEqual([]);
  });

  it('read what units sent JSON-decoded, in relation-id and unit-name string order, the first unit winning in the combined view', async () => {
    const seen: unknown[] = [];
    const tools = world({
      'website:2': { endpoint: 'website', app: 'wp', units: { 'wp/9': { k: '"r2-u9"', n: '7' } } },
      'website:10': { endpoint: 'website', app: 'wp', units: { 'wp/9': { k: '"r10-u9"' }, 'wp/10': { k: 'not json', empty: '' } } },
    });
    await hook(tools, new MemoryUnitStateStore(), 'update-status', (reactor) =>
      reactor.use(
        defineLayer('charm', (r) =>
          r.handle({ when: 'website.available' }, async function look() {
            const website = await endpointFromFlag<HttpProvides>('website.available');
            seen.push(website?.relations.keys());
            seen.push(website?.allJoinedUnits.map((u) => `${u.relation.relationId} ${u.unitName} ${String(u.received.get('k'))}`));
            seen.push(website?.allJoinedUnits.received.toObject());
            seen.push(website?.allJoinedUnits.receivedRaw.get('n'));
          }),
        ),
      ),
    );
    expect(seen).toEqual([
      ['website:10', 'website:2'],
      ['website:10 wp/10 not json', 'website:10 wp/9 r10-u9', 'website:2 wp/9 r2-u9'],
      { k: 'not json', empty: '', n: 7 },
      '7',
    ]);
  });

  it('endpointFromName and endpointFromFlag give the endpoint (loaded) or null, and need a running hook', async () => {
    const seen: unknown[] = [];
    const tools = world({});
    await hook(tools, new MemoryUnitStateStore({ flags: { go: null }, data: {} }), 'update-status', (reactor) =>
      reactor.handle({ id: 'look', when: 'go' }, async (context) => {
        const ctx = context as CharmContext;
        seen.push((await endpointFromName('admin'))?.isJoined);
        seen.push(await endpointFromName('nothing'));
        seen.push(await endpointFromFlag('endpoint.admin.joined'));
        seen.push(ctx.endpoint('db') instanceof Endpoint, ctx.endpoint('admin') instanceof HttpProvides);
      }),
    );
    expect(seen).toEqual([false, null, null, true, true]);
    await expect(endpointFromName('admin')).rejects.toBeInstanceOf(NoActiveDispatchError);
  });

  it('keep departed units with their data in unit state until the charm clears them', async () => {
    const store = new MemoryUnitStateStore();
    const tools = world({ 'website:1': { endpoint: 'website', app: 'wp', units: { 'wp/0': {}, 'wp/1': { a: '1' } } } });
    await hook(tools, store, 'website-relation-joined', undefined, { relationId: 'website:1', remoteUnit: 'wp/0' });
    // Juju still lets the departing unit's data be read; relation-list no longer lists it.
    const result = await hook(tools, store, 'website-relation-departed', undefined, { relationId: 'website:1', remoteUnit: 'wp/1', departingUnit: 'wp/1' });
    expect(result.flags).toContain('endpoint.website.departed');
    expect(calls).toContain('departed website:1/wp/1');
    expect(store.peek()?.data['reactive.endpoints.departed.website']).toEqual([{ relation: 'website:1', unit_name: 'wp/1', data: { a: '1' } }]);
    await store.commit({ ...store.peek()!, flags: { ...store.peek()!.flags, 'clear-departed': null } });
    await hook(tools, store, 'update-status');
    expect(store.peek()?.data['reactive.endpoints.departed.website']).toBeUndefined();
  });
});

class PgsqlRequires extends Endpoint {
  override manageFlags() {
    calls.push(`manageFlags ${this.endpointName} joined=${this.isJoined}`);
    if (this.allJoinedUnits.received.get('master')) setFlag(this.expandName('{endpoint_name}.master.available'));
  }

  override registerTriggers() {
    registerTrigger({ when: this.expandName('changed.master'), clearFlag: this.expandName('{endpoint_name}.master.available') });
  }
}

describe('manageFlags and registerTriggers', () => {
  const pgsql = defineInterface('pgsql', { requires: PgsqlRequires });
  const run = (tools: MemoryHookTools, store: MemoryUnitStateStore, hookName: string, relationId?: string) =>
    runCharmHook({
      juju: syntheticHookContext(hookName, { unitName: 'web/0', relationId, remoteUnit: relationId ? 'pg/0' : undefined }),
      tools,
      store,
      charm: () => createReactor().use(pgsql),
      metadata: { name: 'web', requires: { db: { interface: 'pgsql' } } },
    });

  it('manageFlags runs after the automatic flags while not joined, and once joined only in the endpoint’s own relation hooks; triggers see the automatic flags', async () => {
    const store = new MemoryUnitStateStore();
    const tools = world({ 'db:1': { endpoint: 'db', app: 'pg', units: { 'pg/0': { master: '"host=pg"' } } } });
    calls.length = 0;
    await run(tools, store, 'install');
    expect(calls).toEqual(['manageFlags db joined=true']);
    // The trigger on changed.master cleared the flag before manageFlags set it again.
    expect(Object.keys(store.peek()!.flags).sort()).toEqual(['db.master.available', 'endpoint.db.changed', 'endpoint.db.changed.master', 'endpoint.db.joined']);
    calls.length = 0;
    await run(tools, store, 'update-status');
    expect(calls).toEqual([]);
    await run(tools, store, 'db-relation-changed', 'db:1');
    expect(calls).toEqual(['manageFlags db joined=true']);
  });
});

describe('pythonJsonDumps', () => {
  it("writes Python's json.dumps(value, sort_keys=True) bytes", () => {
    expect(pythonJsonDumps({ b: 1, a: [true, null, 'café ☃', 'say "hi"\n'], c: { z: 1, a: {} } })).toBe(
      '{"a": [true, null, "caf\\u00e9 \\u2603", "say \\"hi\\"\\n"], "b": 1, "c": {"a": {}, "z": 1}}',
    );
  });
});
