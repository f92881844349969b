import { describe, expect, it } from 'vitest';
import { MemoryHookTools, type MemoryRelation } from '@charms/hooktools';
import { createReactor, MemoryUnitStateStore, when } from '@charms/reactive';
import { endpointFromFlag, endpointFromName } from '@charms/runtime';
import { hookInMemory } from '@charms/runtime/testing';
import http, { HttpProvides, HttpRequires } from '@charms/interface-http';

const metadata = { name: 'web', provides: { website: { interface: 'http' } }, requires: { backend: { interface: 'http' } } };

/** One hook of a charm that uses interface:http; `charm` is the charm's own class. */
async function hook(tools: MemoryHookTools, store: MemoryUnitStateStore, hookName: string, charm?: new () => object, options: { relationId?: string; remoteUnit?: string; departingUnit?: string } = {}) {
  const result = await hookInMemory({ hookName, unitName: 'web/0', ...options }, { tools, store, metadata, charm: () => (charm ? createReactor().register(charm) : createReactor()).use(http) });
  expect(result.exitCode).toBe(0);
  return { flags: result.flags.filter((flag) => !flag.startsWith('endpoint.')) };
}

const sent = (tools: MemoryHookTools) => tools.calls.filter((c) => c.tool === 'relation-set').map((c) => [c.argv.join(' '), JSON.parse(c.stdin!)]);

describe('interface:http, provides', () => {
  class Site {
    @when('website.available')
    async configure() {
      (await endpointFromFlag<HttpProvides>('website.available'))!.configure(8080);
    }
  }

  it('sets {endpoint_name}.available while a unit is joined and publishes hostname, private-address and port on every relation', async () => {
    const relations: Record<string, MemoryRelation> = {
      'website:1': { endpoint: 'website', app: 'haproxy', units: { 'haproxy/0': {}, 'haproxy/1': {} }, local: { 'private-address': '10.0.0.1', 'ingress-address': '10.9.9.1' } },
      'website:2': { endpoint: 'website', app: 'nginx', units: { 'nginx/0': {} }, local: { 'private-address': '10.0.0.2' } },
    };
    const tools = new MemoryHookTools({ unitName: 'web/0', relations });
    const store = new MemoryUnitStateStore();
    expect((await hook(tools, store, 'website-relation-joined', Site, { relationId: 'website:1', remoteUnit: 'haproxy/0' })).flags).toEqual(['website.available']);
    // The whole bag of each relation, at the end of the hook; relations in reverse order (atexit).
    expect(sent(tools)).toEqual([
      ['-r website:2 --file -', { 'private-address': '10.0.0.2', hostname: '10.0.0.2', port: '8080' }],
      ['-r website:1 --file -', { 'private-address': '10.9.9.1', 'ingress-address': '10.9.9.1', hostname: '10.9.9.1', port: '8080' }],
    ]);
    expect(tools.world.relations['website:1']!.local).toMatchObject({ hostname: '10.9.9.1', port: '8080' });
  });

  it('publishes the hostname and address it is given', async () => {
    const tools = new MemoryHookTools({ unitName: 'web/0', relations: { 'website:1': { endpoint: 'website', app: 'haproxy', units: { 'haproxy/0': {} }, local: { 'private-address': '10.0.0.1' } } } });
    class Named {
      @when('website.available')
      async configure() {
        (await endpointFromName<HttpProvides>('website'))!.configure(443, 'web.example.com', '192.168.1.4');
      }
    }
    await hook(tools, new MemoryUnitStateStore(), 'update-status', Named);
    expect(tools.world.relations['website:1']!.local).toEqual({ 'private-address': '192.168.1.4', hostname: 'web.example.com', port: '443' });
  });

  it('clears {endpoint_name}.available when the last unit has left', async () => {
    const tools = new MemoryHookTools({ unitName: 'web/0', relations: { 'website:1': { endpoint: 'website', app: 'haproxy', units: { 'haproxy/0': {} } } } });
    const store = new MemoryUnitStateStore();
    expect((await hook(tools, store, 'update-status')).flags).toEqual(['website.available']);
    tools.world.relations['website:1']!.units = {};
    expect((await hook(tools, store, 'website-relation-departed', undefined, { relationId: 'website:1', remoteUnit: 'haproxy/0', departingUnit: 'haproxy/0' })).flags).toEqual([]);
  });
});

describe('interface:http, requires', () => {
  let seen: unknown;
  class Client {
    @when('backend.available')
    async read() {
      seen = (await endpointFromFlag<HttpRequires>('backend.available'))!.services();
    }
  }

  it('sets {endpoint_name}.available once a unit sent a port, and lists the services per remote application, hosts sorted', async () => {
    const tools = new MemoryHookTools({
      unitName: 'web/0',
      relations: {
        'backend:3': {
          endpoint: 'backend',
          app: 'api',
          units: {
            'api/1': { hostname: 'api-1.internal', 'private-address': '10.0.1.2', port: '8000' },
            'api/0': { 'private-address': '10.0.1.1', port: '8000' },
            'api/2': { 'private-address': '10.0.1.3' },
          },
        },
        'backend:4': { endpoint: 'backend', app: 'static', units: { 'static/0': { 'private-address': '10.0.2.1' } } },
        'backend:5': {
          endpoint: 'backend',
          app: 'legacy',
          units: {
            'legacy/0': {
              hostname: 'b.legacy',
              'private-address': '10.0.3.1',
              port: '80',
              extended_data: JSON.stringify([{ hostname: 'a.legacy', 'private-address': '10.0.3.9', port: 81 }]),
            },
          },
        },
      },
    });
    seen = undefined;
    const { flags } = await hook(tools, new MemoryUnitStateStore(), 'backend-relation-changed', Client, { relationId: 'backend:3', remoteUnit: 'api/1' });
    expect(flags).toEqual(['backend.available']);
    expect(seen).toEqual([
      {
        serviceName: 'api',
        hosts: [
          { hostname: '10.0.1.1', privateAddress: '10.0.1.1', port: 8000 },
          { hostname: 'api-1.internal', privateAddress: '10.0.1.2', port: 8000 },
        ],
      },
      // static sent no port: no service.
      {
        serviceName: 'legacy',
        hosts: [
          { hostname: 'a.legacy', privateAddress: '10.0.3.9', port: 81 },
          { hostname: 'b.legacy', privateAddress: '10.0.3.1', port: 80 },
        ],
      },
    ]);
  });

  it('does not set {endpoint_name}.available while no unit sent a port, and clears it when none is joined', async () => {
    const tools = new MemoryHookTools({ unitName: 'web/0', relations: { 'backend:3': { endpoint: 'backend', app: 'api', units: { 'api/0': { 'private-address': '10.0.1.1' } } } } });
    const store = new MemoryUnitStateStore();
    seen = undefined;
    expect((await hook(tools, store, 'backend-relation-changed', Client, { relationId: 'backend:3', remoteUnit: 'api/0' })).flags).toEqual([]);
    expect(seen).toBeUndefined();
    tools.world.relations['backend:3']!.units['api/0']!.port = '9000';
    expect((await hook(tools, store, 'backend-relation-changed', Client, { relationId: 'backend:3', remoteUnit: 'api/0' })).flags).toEqual(['backend.available']);
    expect(seen).toEqual([{ serviceName: 'api', hosts: [{ hostname: '10.0.1.1', privateAddress: '10.0.1.1', port: 9000 }] }]);
    tools.world.relations['backend:3']!.units = {};
    expect((await hook(tools, store, 'backend-relation-departed', Client, { relationId: 'backend:3', remoteUnit: 'api/0', departingUnit: 'api/0' })).flags).toEqual([]);
  });

  it('gives one service with the hosts of both relations when an application is related twice', async () => {
    const tools = new MemoryHookTools({
      unitName: 'web/0',
      relations: {
        'backend:3': { endpoint: 'backend', app: 'api', units: { 'api/0': { 'private-address': '10.0.1.1', port: '8000' } } },
        'backend:7': { endpoint: 'backend', app: 'api', units: { 'api/0': { 'private-address': '10.0.1.1', port: '8001' } } },
      },
    });
    seen = undefined;
    await hook(tools, new MemoryUnitStateStore(), 'update-status', Client);
    expect(seen).toEqual([
      { serviceName: 'api', hosts: [{ hostname: '10.0.1.1', privateAddress: '10.0.1.1', port: 8000 }, { hostname: '10.0.1.1', privateAddress: '10.0.1.1', port: 8001 }] },
    ]);
  });
});
