import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCharm } from '@charms/build';
import { createModel, ModelError, statusTable, type LocalModel } from '@charms/model';
import { Service } from 'kubernetes-models/v1';
import { StatefulSet } from 'kubernetes-models/apps/v1';
import { parseAllDocuments } from 'yaml';

const here = dirname(fileURLToPath(import.meta.url));
let built: string;

// Every hook starts Node and loads the charm: on a busy two-core machine a deploy takes
// seconds and a test of a few dozen hooks a minute or more.
const TIMEOUT = 120_000;

beforeAll(async () => {
  built = join(mkdtempSync(join(tmpdir(), 'kv-built-')), 'kv');
  await buildCharm({ charmDir: join(here, 'fixtures', 'podspec-charm'), outDir: built });
}, TIMEOUT);

// Every model a test makes, deleted at the end.
const models: LocalModel[] = [];
afterAll(() => Promise.all(models.map((model) => model.destroy())), TIMEOUT);

async function deployed(options: Parameters<LocalModel['deploy']>[1] = { resources: { image: 'example/kv:1' } }) {
  const hooks: string[] = [];
  const model = await createModel({ onHook: (r) => hooks.push(`${r.unit} ${r.hook}${r.ok ? '' : ' FAILED'}`) });
  models.push(model);
  await model.deploy(built, options);
  return { model, hooks };
}

const unitState = (model: LocalModel, unit: string) => {
  const app = model.snapshot().apps[unit.split('/')[0]!]!;
  const record = app.units.find((u) => u.name === unit)!;
  return JSON.parse(record.controllerState['charms.unit-state'] ?? '{"flags":{},"data":{}}') as { flags: Record<string, unknown>; data: Record<string, unknown> };
};

describe('the local model', { timeout: TIMEOUT }, () => {
  it('deploys a podspec charm: setup hooks in Juju 2.9 order, active, pod spec committed, state on the controller', async () => {
    const { model, hooks } = await deployed();
    // A podspec unit's storage is attached once it has started (worker/uniter/storage/resolver.go, CAAS).
    expect(hooks).toEqual(['kv/0 install', 'kv/0 leader-elected', 'kv/0 config-changed', 'kv/0 start', 'kv/0 data-storage-attached']);
    const status = model.status();
    expect(status.applications.kv!.units['kv/0']).toMatchObject({
      'workload-status': { current: 'active', message: 'serving' },
      'juju-status': { current: 'idle' },
      leader: true,
    });
    expect(model.podSpec('kv')).toContain('imagePath: example/kv:1');
    expect(Object.keys(unitState(model, 'kv/0').flags)).toContain('kv.configured');
    expect(statusTable(status)).toMatch(/kv\/0\*\s+active\s+idle\s+10\.1\.1\.10\s+serving/);
  });

  it('records the tool calls of each hook in the timeline, with commits', async () => {
    const { model } = await deployed();
    const install = model.timeline('kv/0').filter((e) => e.hook === 'install');
    const tools = install.filter((e) => e.kind === 'tool').map((e) => e.tool);
    expect(tools.slice(0, 2)).toEqual(['juju-log', 'config-get']);
    expect(tools).toEqual(expect.arrayContaining(['state-get', 'resource-get', 'is-leader', 'pod-spec-set', 'state-set']));
    expect(install.at(0)?.kind).toBe('hook-start');
    expect(install.at(-1)).toMatchObject({ kind: 'commit', exitCode: 0 });
  });

  it('renders the pod spec as manifests that pass the Kubernetes schemas', async () => {
    const { model } = await deployed();
    const documents = parseAllDocuments(readFileSync(model.manifestsPath('kv')!, 'utf8')).map((d) => d.toJS());
    expect(documents.map((d) => d.kind)).toEqual(['StatefulSet', 'Service']);
    new StatefulSet(documents[0]).validate();
    new Service(documents[1]).validate();
    expect(documents[0].spec.volumeClaimTemplates[0].metadata.name).toBe('kv-data');
    expect(documents[1].spec.ports).toEqual([{ name: 'kv', port: 7000, targetPort: 7000, protocol: 'TCP' }]);
  });

  it('a failing hook puts the unit in error, holds its queue and rolls back; resolve retries', async () => {
    const { model, hooks } = await deployed();
    const before = model.snapshot();
    hooks.length = 0;
    await model.setConfig('kv', { 'fail-config': 'true', port: '7001' });
    expect(hooks).toEqual(['kv/0 config-changed FAILED']);
    const unit = model.status().applications.kv!.units['kv/0']!;
    expect(unit['workload-status']).toMatchObject({ current: 'error', message: 'hook failed: "config-changed"' });
    // Juju shows a failed hook on the workload; the agent is idle (state/unitagent.go).
    expect(unit['juju-status'].current).toBe('idle');
    // Rolled back: the unit state and the pod spec are as before the hook.
    expect(model.snapshot().apps.kv!.units[0]!.controllerState).toEqual(before.apps.kv!.units[0]!.controllerState);
    expect(model.podSpec('kv')).toContain('containerPort: 7000');
    expect(model.log('kv/0').some((l) => l.level === 'ERROR' && l.message === 'hook "config-changed" failed: exit status 1')).toBe(true);

    // Held: nothing else runs for the unit until it is resolved; run refuses it (issue 15).
    await expect(model.run('kv/0', 'update-status')).rejects.toMatchObject({ code: 'UNIT_IN_ERROR' });
    expect(hooks).toEqual(['kv/0 config-changed FAILED']);

    await model.setConfig('kv', { 'fail-config': 'false' });
    await model.resolve('kv/0');
    expect(hooks.slice(1)).toEqual(['kv/0 config-changed', 'kv/0 config-changed']);
    expect(model.podSpec('kv')).toContain('containerPort: 7001');
    expect(model.status().applications.kv!.units['kv/0']!['workload-status'].current).toBe('active');
  });

  it('resolve --no-retry skips the failed hook', async () => {
    const { model, hooks } = await deployed();
    await model.setConfig('kv', { 'fail-config': true });
    await model.setConfig('kv', { 'fail-config': false });
    hooks.length = 0;
    await model.resolve('kv/0', { retry: false });
    expect(hooks).toEqual(['kv/0 config-changed']);
  });

  it('refuses bad config and leaves the model as it was', async () => {
    const { model } = await deployed();
    const before = model.snapshot();
    const error = await model.setConfig('kv', { port: 'seven', colour: 'blue' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelError);
    expect(error).toMatchObject({ code: 'INVALID_CONFIG', problems: ['option "port" expected int, got "seven"', 'unknown option "colour"'] });
    expect(model.snapshot()).toEqual(before);
  });

  it('relates two applications: both sides run their hooks and see each other’s data', async () => {
    const { model, hooks } = await deployed();
    await model.deploy(built, { app: 'client', resources: { image: 'example/kv:1' } });
    hooks.length = 0;
    await model.relate('client:backend', 'kv:kv');
    expect(hooks).toEqual(
      expect.arrayContaining([
        'kv/0 kv-relation-created',
        'client/0 backend-relation-created',
        'kv/0 kv-relation-joined',
        'kv/0 kv-relation-changed',
        'client/0 backend-relation-joined',
        'client/0 backend-relation-changed',
      ]),
    );
    const relation = model.snapshot().relations[0]!;
    // The address settings Juju writes as the unit enters the scope, then what the charm published.
    expect(relation.data['kv/0']).toEqual({ 'egress-subnets': '10.1.1.10/32', 'ingress-address': '10.1.1.10', 'private-address': '10.1.1.10', port: '7000', password: 's3cret-pass' });
    expect(unitState(model, 'client/0').data['backend-port']).toBe('7000');
    expect(model.status().applications.kv!.relations).toEqual({ kv: ['client'] });

    // A config change republishes; the client sees relation-changed.
    hooks.length = 0;
    await model.setConfig('kv', { port: 7002 });
    expect(hooks).toContain('client/0 backend-relation-changed');
    expect(unitState(model, 'client/0').data['backend-port']).toBe('7002');

    expect(model.snapshot().relations[0]!.inScope).toEqual({ 'kv/0': ['client/0'], 'client/0': ['kv/0'] });

    hooks.length = 0;
    await model.unrelate('client:backend', 'kv:kv');
    // In departed and broken, relation-list no longer lists the unit, so the endpoint is not joined.
    expect(model.log('kv/0').filter((l) => l.hook === 'kv-relation-broken' && l.message.includes('Kv.republish'))).toEqual([]);
    expect(hooks).toEqual(expect.arrayContaining(['kv/0 kv-relation-departed', 'kv/0 kv-relation-broken', 'client/0 backend-relation-broken']));
    expect(model.snapshot().relations).toEqual([]);
  });

  it('a second unit waits for the leader; only the leader sets the pod spec', async () => {
    const { model, hooks } = await deployed();
    hooks.length = 0;
    await model.addUnit('kv');
    expect(hooks).toEqual(['kv/1 install', 'kv/1 leader-settings-changed', 'kv/1 config-changed', 'kv/1 start', 'kv/1 data-storage-attached']);
    expect(model.status().applications.kv!.units['kv/1']!['workload-status']).toMatchObject({
      current: 'waiting',
      message: 'waiting for the leader to set the pod spec',
    });
    // kv/1 asked whether it leads (so its tool calls are in the timeline) and set no pod spec.
    const tools = model.timeline('kv/1').filter((e) => e.kind === 'tool').map((e) => e.tool);
    expect(tools).toContain('is-leader');
    expect(tools).not.toContain('pod-spec-set');
  });

  it('attach-resource runs upgrade-charm and config-changed', async () => {
    const { model, hooks } = await deployed();
    hooks.length = 0;
    await model.attachResource('kv', 'image', 'example/kv:2');
    expect(hooks).toEqual(['kv/0 upgrade-charm', 'kv/0 config-changed']);
    expect(model.snapshot().apps.kv!.resources.image).toMatchObject({ image: 'example/kv:2', revision: 2 });
  });

  it('moves the virtual clock: update-status when it passes a five-minute mark, once however far it jumps (Juju 2.9 update-status timer)', async () => {
    const { model, hooks } = await deployed();
    hooks.length = 0;
    await model.tick(11 * 60 * 1000);
    expect(hooks).toEqual(['kv/0 update-status']);
  });

  it('removes an application: storage detaching, stop and remove on every unit', async () => {
    const { model, hooks } = await deployed();
    hooks.length = 0;
    await model.remove('kv');
    expect(hooks).toEqual(['kv/0 data-storage-detaching', 'kv/0 stop', 'kv/0 remove']);
    expect(model.status().applications).toEqual({});
  });

  it('never puts config secrets in the environment of a hook', async () => {
    const { model } = await deployed();
    // The charm publishes its password through relation data only.
    const env = readFileSync(join(model.dir, 'units', 'kv-0', 'charm', 'dispatch'), 'utf8');
    expect(env).not.toContain('s3cret-pass');
    // The timeline holds the hooks' tool calls, config-get among them, but not the secret.
    expect(model.timeline().map((e) => e.tool)).toContain('config-get');
    expect(JSON.stringify(model.timeline())).not.toContain('s3cret-pass');
    // Tool calls pass values (secrets among them) through files in run/: nobody else may look.
    expect(statSync(join(model.dir, 'run')).mode & 0o777).toBe(0o700);
    expect(readdirSync(join(model.dir, 'run')).filter((name) => name.startsWith('tool.'))).toEqual([]);
  });

  it('refuses hookEnv that would replace what the model tells a hook', async () => {
    const error = await createModel({ hookEnv: { JUJU_RELATION_ID: 'db:3', NODE_OPTIONS: '' } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'INVALID_OPTION', message: expect.stringContaining('JUJU_RELATION_ID') });
  });

  it('elects a new leader when the leader is removed', async () => {
    const { model, hooks } = await deployed({ resources: { image: 'example/kv:1' }, units: 2 });
    hooks.length = 0;
    await model.removeUnit('kv/0');
    expect(hooks).toEqual(['kv/0 data-storage-detaching', 'kv/0 stop', 'kv/0 remove', 'kv/1 leader-elected']);
    expect(model.status().applications.kv!.units['kv/1']!.leader).toBe(true);
    expect(model.status().applications.kv!.units['kv/1']!['workload-status'].current).toBe('active');
  });

  it('removing an application breaks its relations on the other side and ends them', async () => {
    const { model, hooks } = await deployed();
    await model.deploy(built, { app: 'client', resources: { image: 'example/kv:1' } });
    await model.relate('client:backend', 'kv:kv');
    hooks.length = 0;
    await model.remove('client');
    expect(hooks).toContain('kv/0 kv-relation-broken');
    expect(model.snapshot().relations).toEqual([]);
    // Juju leaves `relations` out when there are none (omitempty).
    expect(model.status().applications.kv!.relations).toBeUndefined();
  });

  it('refuses a pod spec Kubernetes would reject, at pod-spec-set, so the hook fails instead of the model', async () => {
    const model = await createModel();
    models.push(model);
    const ctxSpec = 'version: 3\ncontainers: [{name: kv, imageDetails: {imagePath: i}, kubernetes: {readinessProbe: 5}}]\n';
    const { runHookTool } = await import('@charms/model/testing');
    await model.deploy(built, { resources: { image: 'example/kv:1' } });
    const app = model.snapshot().apps.kv!;
    const result = runHookTool('pod-spec-set', [], ctxSpec, {
      model: model.snapshot(), app, unit: app.units[0]!, event: { hook: 'config-changed' }, pending: { relationSets: [], ports: [], state: {}, storage: [] }, modelDir: tmpdir(),
      configYaml: undefined, metadata: { endpoints: [] }, now: () => '', writeResource: () => '', log: () => undefined, leaderSettingsChanged: () => undefined,
      checkPodSpec: () => 'rendered StatefulSet kv does not pass the Kubernetes schema: readinessProbe must be object',
    });
    expect(result).toMatchObject({ exitCode: 1, stderr: 'ERROR rendered StatefulSet kv does not pass the Kubernetes schema: readinessProbe must be object\n' });
  });

  it('keeps the manifests at the application’s scale as units come and go', async () => {
    const { model } = await deployed();
    const replicas = () => parseAllDocuments(readFileSync(model.manifestsPath('kv')!, 'utf8'))[0]!.toJS().spec.replicas;
    expect(replicas()).toBe(1);
    await model.addUnit('kv', 2);
    expect(replicas()).toBe(3);
    await model.removeUnit('kv/2');
    expect(replicas()).toBe(2);
    await model.removeUnit('kv/1');
    await model.removeUnit('kv/0');
    expect(replicas()).toBe(0);
  });

  it('destroy() deletes the model, and a second call does nothing', async () => {
    const model = await createModel();
    await model.destroy();
    expect(existsSync(model.dir)).toBe(false);
    await model.destroy();
  });

  it('any seed gives a reproducible order', async () => {
    const order = async (seed: number) => {
      const hooks: string[] = [];
      const model = await createModel({ seed, onHook: (r) => hooks.push(`${r.unit} ${r.hook}`), hookEnv: { CHARMS_TEST_MARK: 'seeded' } });
      models.push(model);
      await model.deploy(built, { units: 3, resources: { image: 'example/kv:1' } });
      expect(model.status().applications.kv!.units['kv/2']!['workload-status'].current).toBe('waiting');
      return hooks;
    };
    const first = await order(-7);
    // Three units of five hooks: install, leader-elected or leader-settings-changed, config-changed, start, data-storage-attached.
    expect(first).toHaveLength(15);
    expect(await order(-7)).toEqual(first);
    expect(await order(2 ** 40 + 3)).toHaveLength(15);
  }, 300_000);
});
