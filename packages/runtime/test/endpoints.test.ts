import { describe, expect, it } from 'vitest';
import { MemoryHookTools, type MemoryRelation } from '@charms/hooktools';
import { createReactor, MemoryUnitStateStore } from '@charms/reactive';
import { Endpoint, manageEndpointFlags, runHook, type EndpointSpec } from '@charms/runtime';
import { Redactor, isSecretOption } from '@charms/runtime/testing';

const specs: EndpointSpec[] = [{ name: 'db', role: 'requires', interface: 'mysql' }];

/** Runs one hook with only the endpoint flags, and returns the committed flags. */
async function hook(store: MemoryUnitStateStore, tools: MemoryHookTools, hookName: string, departingUnit?: string) {
  await runHook({
    hookName,
    store,
    charm: createReactor(),
    startup: [(context) => manageEndpointFlags(context, specs.map((spec) => new Endpoint(spec, tools)), departingUnit)],
  });
  return Object.keys(store.peek()?.flags ?? {}).sort();
}

const relation = (units: MemoryRelation['units']): Record<string, MemoryRelation> => ({ 'db:1': { endpoint: 'db', app: 'mariadb', units } });

describe('endpoint flags (spec §8)', () => {
  it('joined follows the remote units; changed and changed.<key> follow new data', async () => {
    const store = new MemoryUnitStateStore();
    const tools = new MemoryHookTools({ relations: {} });
    expect(await hook(store, tools, 'install')).toEqual([]);
    tools.world.relations = relation({ 'mariadb/0': { host: 'db.local' } });
    expect(await hook(store, tools, 'db-relation-joined')).toEqual(['endpoint.db.changed', 'endpoint.db.changed.host', 'endpoint.db.joined']);
  });

  it('outside its relation hooks a joined endpoint does not re-read data', async () => {
    const store = new MemoryUnitStateStore({ flags: { 'endpoint.db.joined': null }, data: {} });
    const tools = new MemoryHookTools({ relations: relation({ 'mariadb/0': { host: 'db.local' } }) });
    expect(await hook(store, tools, 'update-status')).toEqual(['endpoint.db.joined']);
    expect(tools.calls.map((c) => c.tool)).toEqual(['relation-ids', 'relation-list']);
  });

  it('unchanged data sets nothing; new data sets the changed flags again', async () => {
    const store = new MemoryUnitStateStore();
    const tools = new MemoryHookTools({ relations: relation({ 'mariadb/0': { host: 'a' } }) });
    await hook(store, tools, 'db-relation-changed');
    const cleared = store.peek()!;
    await store.commit({ flags: { 'endpoint.db.joined': null }, data: cleared.data });
    expect(await hook(store, tools, 'db-relation-changed')).toEqual(['endpoint.db.joined']);
    tools.world.relations['db:1']!.units['mariadb/0'] = { host: 'b' };
    expect(await hook(store, tools, 'db-relation-changed')).toEqual(['endpoint.db.changed', 'endpoint.db.changed.host', 'endpoint.db.joined']);
  });

  it('departed is set in the departed hook and cleared by a later hook while still joined', async () => {
    const store = new MemoryUnitStateStore();
    const tools = new MemoryHookTools({ relations: relation({ 'mariadb/0': {}, 'mariadb/1': {} }) });
    await hook(store, tools, 'db-relation-joined');
    expect(await hook(store, tools, 'db-relation-departed', 'mariadb/1')).toEqual(['endpoint.db.departed', 'endpoint.db.joined']);
    expect(await hook(store, tools, 'update-status')).toEqual(['endpoint.db.joined']);
    tools.world.relations['db:1']!.units = { 'mariadb/0': {} };
    expect(await hook(store, tools, 'db-relation-departed', 'mariadb/0')).toEqual(['endpoint.db.departed']);
  });

  it('an Endpoint reads relations and publishes on all of them', async () => {
    const tools = new MemoryHookTools({
      relations: { ...relation({ 'mariadb/0': { port: '3306' } }), 'db:2': { endpoint: 'db', app: 'other', units: {} } },
    });
    const db = new Endpoint(specs[0]!, tools);
    expect(await db.relationIds()).toEqual(['db:1', 'db:2']);
    expect(await db.units('db:1')).toEqual(['mariadb/0']);
    expect(await db.received('db:1', 'mariadb/0')).toEqual({ port: '3306' });
    await db.publish({ database: 'minio' });
    expect(tools.world.relations['db:1']!.local).toEqual({ database: 'minio' });
    expect(tools.world.relations['db:2']!.local).toEqual({ database: 'minio' });
  });

  it('an Endpoint asks Juju for its relations and their units once per hook', async () => {
    const tools = new MemoryHookTools({ relations: relation({ 'mariadb/0': { port: '3306' } }) });
    const db = new Endpoint(specs[0]!, tools);
    await db.relationIds();
    await db.units('db:1');
    await db.publish({ database: 'minio' });
    expect(await db.units('db:1')).toEqual(['mariadb/0']);
    expect(tools.calls.map((c) => c.tool)).toEqual(['relation-ids', 'relation-list', 'relation-set']);
  });
});

describe('secrets', () => {
  it('the redactor replaces every secret, the longest first', () => {
    const redactor = new Redactor();
    redactor.add('minio123');
    redactor.add('minio123-extra');
    redactor.add('ab');
    expect(redactor.redact('key minio123-extra and minio123, ab')).toBe('key *** and ***, ab');
  });

  it('the redactor takes a number as its text (a secret int option), and ignores booleans and objects', () => {
    const redactor = new Redactor();
    redactor.add(424242);
    redactor.add(true);
    redactor.add({ toString: () => 'object-text' });
    expect(redactor.redact('pin 424242, true, object-text')).toBe('pin ***, true, object-text');
  });

  // The rule is @charms/manifest's isSecretSetting, the local model's too (its table is in
  // packages/manifest/test/secret-names.test.ts); these are the cases the two once disagreed on.
  it.each([
    ['secret-key', 'string', true],
    ['admin-password', 'string', true],
    ['api_token', 'string', true],
    ['anything', 'secret', true],
    ['api-key', 'string', true],
    ['apikey', 'string', true],
    ['private-key', 'string', true],
    ['access-key', 'string', false],
    ['public-key', 'string', false],
    ['key', 'string', false],
    ['port', 'int', false],
  ])('isSecretOption(%s, %s) is %s', (name, type, expected) => {
    expect(isSecretOption(name, type)).toBe(expected);
  });
});
