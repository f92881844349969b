import { describe, expect, it } from 'vitest';
import { MemoryHookTools } from '@charms/hooktools';
import { createReactor, MemoryUnitStateStore, when } from '@charms/reactive';
import { endpointFromFlag, endpointFromName, runCharmHook, syntheticHookContext, type CharmContext } from '@charms/runtime';
import objectStorage, { ObjectStorageProvides, ObjectStorageRequires, type ObjectStorageCredentials } from '@charms/interface-object-storage';

const SECRET = 'Sup3r-S3cret-Key';
const store = { name: 'minio', provides: { 'object-storage': { interface: 'object-storage' } } };
const client = { name: 'app', requires: { 'object-storage': { interface: 'object-storage' } } };

async function hook(
  tools: MemoryHookTools,
  state: MemoryUnitStateStore,
  metadata: object,
  hookName: string,
  charm?: new () => object,
  options: { relationId?: string; remoteUnit?: string; departingUnit?: string } = {},
) {
  tools.calls.length = 0;
  const result = await runCharmHook({
    juju: syntheticHookContext(hookName, { unitName: tools.world.unitName, ...options }),
    tools,
    store: state,
    charm: () => {
      const reactor = createReactor();
      if (charm) reactor.register(charm);
      return reactor.use(objectStorage);
    },
    metadata: metadata as never,
  });
  return { result, flags: Object.keys(state.peek()?.flags ?? {}).filter((flag) => !flag.startsWith('endpoint.')).sort() };
}

const logs = (tools: MemoryHookTools) => tools.calls.filter((c) => c.tool === 'juju-log').map((c) => c.argv.join(' '));

describe('interface:object-storage, provides', () => {
  class Store {
    @when('object-storage.joined')
    async publish(ctx: CharmContext) {
      (await endpointFromName<ObjectStorageProvides>('object-storage'))!.publishCredentials({
        service: 'minio',
        namespace: 'kubeflow',
        port: 9000,
        accessKey: 'minio',
        secretKey: String(ctx.config.key),
        secure: false,
      });
      await ctx.log(`published ${String(ctx.config.key)}`);
    }
  }

  it('sets {endpoint_name}.joined and publishes the credentials on every relation, the secret key redacted from the log', async () => {
    const tools = new MemoryHookTools({
      unitName: 'minio/0',
      config: { key: SECRET },
      relations: {
        'object-storage:1': { endpoint: 'object-storage', app: 'app', units: { 'app/0': {}, 'app/1': {} } },
        'object-storage:2': { endpoint: 'object-storage', app: 'other', units: { 'other/0': {} } },
      },
    });
    const { result, flags } = await hook(tools, new MemoryUnitStateStore(), store, 'object-storage-relation-joined', Store, { relationId: 'object-storage:1', remoteUnit: 'app/0' });
    expect(result.exitCode).toBe(0);
    expect(flags).toEqual(['object-storage.joined']);
    const bag = { service: 'minio', namespace: 'kubeflow', port: '9000', 'access-key': 'minio', 'secret-key': SECRET, secure: 'false' };
    expect(tools.world.relations['object-storage:1']!.local).toEqual(bag);
    expect(tools.world.relations['object-storage:2']!.local).toEqual(bag);
    expect(logs(tools)).toContainEqual(expect.stringContaining('published ***'));
    expect(JSON.stringify(logs(tools))).not.toContain(SECRET);
  });

  it('refuses an invalid port before anything is published, and clears the flag when no unit is joined', async () => {
    class Bad {
      @when('object-storage.joined')
      async publish() {
        (await endpointFromName<ObjectStorageProvides>('object-storage'))!.publishCredentials({ service: 'minio', namespace: 'x', port: 0, accessKey: 'a', secretKey: SECRET, secure: false });
      }
    }
    const tools = new MemoryHookTools({ unitName: 'minio/0', relations: { 'object-storage:1': { endpoint: 'object-storage', app: 'app', units: { 'app/0': {} } } } });
    const state = new MemoryUnitStateStore();
    const { result } = await hook(tools, state, store, 'update-status', Bad);
    expect(result.exitCode).not.toBe(0);
    expect(tools.calls.filter((c) => c.tool === 'relation-set')).toEqual([]);
    expect((await hook(tools, state, store, 'update-status')).flags).toEqual(['object-storage.joined']);
    tools.world.relations['object-storage:1']!.units = {};
    expect((await hook(tools, state, store, 'object-storage-relation-departed', undefined, { relationId: 'object-storage:1', remoteUnit: 'app/0', departingUnit: 'app/0' })).flags).toEqual([]);
  });
});

describe('interface:object-storage, requires', () => {
  let seen: ObjectStorageCredentials | undefined;
  class Client {
    @when('object-storage.available')
    async read(ctx: CharmContext) {
      seen = (await endpointFromFlag<ObjectStorageRequires>('object-storage.available'))!.credentials();
      await ctx.log(`got ${JSON.stringify(seen)}`);
    }
  }
  const complete = { service: 'minio', namespace: 'kubeflow', port: '9000', 'access-key': 'minio', 'secret-key': SECRET, secure: 'false' };

  it('sets {endpoint_name}.available only once a unit sent complete credentials, and gives them typed, the secret redacted from the log', async () => {
    const tools = new MemoryHookTools({
      unitName: 'app/0',
      relations: {
        'object-storage:1': { endpoint: 'object-storage', app: 'minio', units: { 'minio/0': { service: 'minio', port: '9000' } } },
      },
    });
    const state = new MemoryUnitStateStore();
    seen = undefined;
    const changed = { relationId: 'object-storage:1', remoteUnit: 'minio/0' };
    expect((await hook(tools, state, client, 'object-storage-relation-changed', Client, changed)).flags).toEqual([]);
    expect(seen).toBeUndefined();

    tools.world.relations['object-storage:1']!.units['minio/0'] = { ...complete, bucket: 'models' };
    const { result, flags } = await hook(tools, state, client, 'object-storage-relation-changed', Client, changed);
    expect(result.exitCode).toBe(0);
    expect(flags).toEqual(['object-storage.available']);
    expect(seen).toEqual({ service: 'minio', namespace: 'kubeflow', port: 9000, accessKey: 'minio', secretKey: SECRET, secure: false, bucket: 'models' });
    expect(logs(tools)).toContainEqual(expect.stringContaining('"secretKey":"***"'));
    expect(JSON.stringify(logs(tools))).not.toContain(SECRET);
  });

  it('takes the first unit with complete credentials across relations, and clears the flag when the data becomes incomplete or every unit left', async () => {
    const tools = new MemoryHookTools({
      unitName: 'app/0',
      relations: {
        'object-storage:1': { endpoint: 'object-storage', app: 'minio', units: { 'minio/0': { service: 'minio' }, 'minio/1': { ...complete, port: '9001', secure: 'true' } } },
        'object-storage:2': { endpoint: 'object-storage', app: 'other', units: { 'other/0': { ...complete, service: 'other' } } },
      },
    });
    const state = new MemoryUnitStateStore();
    seen = undefined;
    expect((await hook(tools, state, client, 'update-status', Client)).flags).toEqual(['object-storage.available']);
    expect(seen).toMatchObject({ service: 'minio', port: 9001, secure: true });

    tools.world.relations['object-storage:1']!.units = { 'minio/0': { service: 'minio' }, 'minio/1': { service: 'minio' } };
    tools.world.relations['object-storage:2']!.units = { 'other/0': { ...complete, port: 'http' } };
    const changed = { relationId: 'object-storage:2', remoteUnit: 'other/0' };
    expect((await hook(tools, state, client, 'object-storage-relation-changed', Client, changed)).flags).toEqual([]);

    tools.world.relations['object-storage:2']!.units = { 'other/0': complete };
    expect((await hook(tools, state, client, 'object-storage-relation-changed', Client, changed)).flags).toEqual(['object-storage.available']);
    tools.world.relations['object-storage:2']!.units = {};
    const departed = { relationId: 'object-storage:2', remoteUnit: 'other/0', departingUnit: 'other/0' };
    expect((await hook(tools, state, client, 'object-storage-relation-departed', Client, departed)).flags).toEqual([]);
  });
});
