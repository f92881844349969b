import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCharm } from '@charms/build';
import { createModel, ModelError, statusTable, type LocalModel } from '@charms/model';

// Relation lifecycles as Juju 2.9 runs them: peer relations made at deploy,
// relation-created straight after install, and who is departing in -departed hooks.

const here = dirname(fileURLToPath(import.meta.url));
// Every hook starts Node and loads the charm: on a busy two-core machine a deploy of two
// units takes many seconds.
const TIMEOUT = 120_000;
let builds: string;
let peer: string;
let kv: string;

beforeAll(async () => {
  builds = mkdtempSync(join(tmpdir(), 'peer-built-'));
  [peer, kv] = await Promise.all([
    buildCharm({ charmDir: join(here, 'fixtures', 'peer-charm'), outDir: join(builds, 'peer') }).then((b) => b.outDir),
    buildCharm({ charmDir: join(here, 'fixtures', 'podspec-charm'), outDir: join(builds, 'kv') }).then((b) => b.outDir),
  ]);
}, TIMEOUT);

const models: LocalModel[] = [];
afterAll(async () => {
  await Promise.all(models.map((m) => m.destroy()));
  rmSync(builds, { recursive: true, force: true });
}, TIMEOUT);

async function model() {
  const hooks: string[] = [];
  const m = await createModel({ onHook: (r) => hooks.push(`${r.unit} ${r.hook}${r.ok ? '' : ' FAILED'}`) });
  models.push(m);
  return { model: m, hooks, of: (unit: string) => hooks.filter((h) => h.startsWith(`${unit} `)).map((h) => h.slice(unit.length + 1)) };
}

// juju-log puts the relation id first in relation hooks ("cluster:0: …").
const reports = (m: Awaited<ReturnType<typeof model>>['model'], unit: string) =>
  m.log(unit).map((l) => l.message.replace(/^cluster:\d+: /, '')).filter((message) => message.startsWith('cluster-relation-'));

describe('peer relations', { timeout: TIMEOUT }, () => {
  it('are made at deploy: created after install, and the units join each other after start', async () => {
    const { model: m, of } = await model();
    await m.deploy(peer, { units: 2 });
    expect(of('peer/0')).toEqual(['install', 'cluster-relation-created', 'leader-elected', 'config-changed', 'start', 'cluster-relation-joined', 'cluster-relation-changed']);
    expect(of('peer/1')).toEqual(['install', 'cluster-relation-created', 'leader-settings-changed', 'config-changed', 'start', 'cluster-relation-joined', 'cluster-relation-changed']);
    expect(reports(m, 'peer/1')).toEqual(['cluster-relation-created remote=- app=peer departing=-', 'cluster-relation-joined remote=peer/0 app=peer departing=-']);
    expect(m.snapshot().relations).toHaveLength(1);
    expect(m.snapshot().relations[0]!.inScope).toEqual({ 'peer/0': ['peer/1'], 'peer/1': ['peer/0'] });
    expect(statusTable(m.status(), m.relations())).toMatch(/^Relation provider\s+Requirer\s+Interface\s+Type\s+Message\npeer:cluster\s+peer:cluster\s+peer-cluster\s+peer\s*\n$/m);
  });

  it('cannot be related by hand', async () => {
    const { model: m } = await model();
    await m.deploy(peer);
    const error = await m.relate('peer', 'peer').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelError);
    expect((error as ModelError).message).toMatch(/peer:cluster is a peer relation/);
  });

  it('a removed unit is the departing unit in its own -departed hooks and in its peers’, and sees no -relation-broken (Juju 2.9 relation resolver: none for a peer relation)', async () => {
    const { model: m, of } = await model();
    await m.deploy(peer, { units: 2 });
    await m.removeUnit('peer/1');
    expect(reports(m, 'peer/1').slice(-1)).toEqual(['cluster-relation-departed remote=peer/0 app=peer departing=peer/1']);
    expect(of('peer/1').slice(-3)).toEqual(['cluster-relation-departed', 'stop', 'remove']);
    expect(reports(m, 'peer/0').at(-1)).toBe('cluster-relation-departed remote=peer/1 app=peer departing=peer/1');
    expect(Object.keys(m.status().applications.peer!.units)).toEqual(['peer/0']);
  });

  it('go with the application', async () => {
    const { model: m } = await model();
    await m.deploy(peer, { units: 2 });
    await m.remove('peer');
    expect(m.snapshot().relations).toEqual([]);
    expect(m.status().applications.peer).toBeUndefined();
  });
});

describe('upgrade', { timeout: TIMEOUT }, () => {
  it('makes the relation of a peer endpoint the new revision adds, and keeps the settings of options it still has', async () => {
    const source = join(builds, 'peer-v2-source');
    cpSync(join(here, 'fixtures', 'peer-charm'), source, { recursive: true });
    writeFileSync(join(source, 'metadata.yaml'), 'name: peer\nsummary: revision 2\nseries: [kubernetes]\npeers:\n  cluster:\n    interface: peer-cluster\n  gossip:\n    interface: peer-gossip\n');
    writeFileSync(join(source, 'config.yaml'), 'options: {}\n');
    const v2 = (await buildCharm({ charmDir: source, outDir: join(builds, 'peer-v2') })).outDir;

    const { model: m, of } = await model();
    await m.deploy(peer, { units: 2, config: { 'fail-remove': false } });
    const before = of('peer/0').length;
    await m.upgrade('peer', v2);
    expect(of('peer/0').slice(before)).toEqual(['upgrade-charm', 'config-changed', 'gossip-relation-created', 'gossip-relation-joined', 'gossip-relation-changed']);
    expect(m.relations().map((r) => r.provider)).toEqual(['peer:cluster', 'peer:gossip']);
    expect(m.config('peer')).toEqual({});
  });

  it('refuses a revision without an endpoint that is in a relation, and changes nothing', async () => {
    const source = join(builds, 'kv-without-backend');
    cpSync(join(here, 'fixtures', 'podspec-charm'), source, { recursive: true });
    const metadata = readFileSync(join(source, 'metadata.yaml'), 'utf8');
    writeFileSync(join(source, 'metadata.yaml'), metadata.replace(/requires:\n  backend:\n    interface: kv\n/, ''));
    const withoutBackend = (await buildCharm({ charmDir: source, outDir: join(builds, 'kv-without-backend-built') })).outDir;

    const { model: m } = await model();
    await m.deploy(kv, { resources: { image: 'example/kv:1' } });
    await m.deploy(kv, { app: 'client', resources: { image: 'example/kv:1' } });
    await m.relate('client:backend', 'kv:kv');
    const before = m.snapshot();
    const error = await m.upgrade('client', withoutBackend).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'INVALID_CHARM', message: expect.stringContaining('client:backend') });
    expect(m.snapshot()).toEqual(before);
  });

  it('refuses another charm, and changes nothing', async () => {
    const { model: m } = await model();
    await m.deploy(peer);
    const before = m.snapshot();
    const error = await m.upgrade('peer', kv).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'INVALID_CHARM', message: expect.stringContaining('is the charm "kv", not "peer"') });
    expect(m.snapshot()).toEqual(before);
  });
});

describe('a unit added later', { timeout: TIMEOUT }, () => {
  it('runs relation-created for existing relations right after install', async () => {
    const { model: m, of } = await model();
    await m.deploy(kv, { resources: { image: 'example/kv:1' } });
    await m.deploy(kv, { app: 'client', resources: { image: 'example/kv:1' } });
    await m.relate('client:backend', 'kv:kv');
    // Listed once, provider first, whichever side was named first.
    expect(m.relations()).toEqual([{ provider: 'kv:kv', requirer: 'client:backend', interface: 'kv', type: 'regular', status: 'joined' }]);
    await m.addUnit('kv');
    // Once started, a podspec unit's storage is attached before its relations are joined: the
    // uniter asks its storage resolver before its relations' (worker/uniter/resolver.go).
    expect(of('kv/1')).toEqual(['install', 'kv-relation-created', 'leader-settings-changed', 'config-changed', 'start', 'data-storage-attached', 'kv-relation-joined', 'kv-relation-changed']);
  });
});

describe('k8s-raw-set', { timeout: TIMEOUT }, () => {
  it('commits the raw spec with the hook, for k8s-raw-get', async () => {
    const { model: m } = await model();
    await m.deploy(peer, { units: 2, config: { 'raw-spec': 'kind: ConfigMap\nmetadata: {name: extra}\n' } });
    expect(m.snapshot().apps.peer!.rawSpec).toEqual({ spec: 'kind: ConfigMap\nmetadata: {name: extra}\n', revision: 1 });
    // The same spec again changes nothing.
    await m.run('peer/0', 'config-changed');
    expect(m.snapshot().apps.peer!.rawSpec!.revision).toBe(1);
  });
});

describe('resolve --no-retry on a failed remove hook', { timeout: TIMEOUT }, () => {
  it('removes the unit, as Juju does', async () => {
    const { model: m, hooks } = await model();
    await m.deploy(peer, { units: 2, config: { 'fail-remove': true } });
    await m.removeUnit('peer/1');
    expect(hooks.at(-1)).toBe('peer/1 remove FAILED');
    expect(Object.keys(m.status().applications.peer!.units)).toEqual(['peer/0', 'peer/1']);
    await m.resolve('peer/1', { retry: false });
    expect(Object.keys(m.status().applications.peer!.units)).toEqual(['peer/0']);
  });
});
