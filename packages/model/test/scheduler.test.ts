import { describe, expect, it } from 'vitest';
import { effectiveConfig } from '@charms/manifest';
import type { ModelError } from '../src/model-errors.js';
import { noChanges } from '@charms/hooktools/jujuc';
import { emptyModel, type ModelRecord } from '../src/model-state.js';
import { runnableUnits, seededRandom, transition, unitPicker } from '../src/scheduler.js';
import type { CharmEndpoint, Operation } from '../src/scheduler-operations.js';

// The scheduler without processes: a model record and an operation in, each unit's
// queued hooks out. Where a rule follows Juju, the test names the rule.

const KV: readonly CharmEndpoint[] = [
  { name: 'kv', role: 'provides', interface: 'kv' },
  { name: 'backend', role: 'requires', interface: 'kv' },
];
const PEER: readonly CharmEndpoint[] = [{ name: 'cluster', role: 'peers', interface: 'peer-cluster' }];
const CONFIG_YAML = { options: { port: { type: 'int' as const, default: 7000 }, debug: { type: 'boolean' as const, default: false } } };

function deploy(model: ModelRecord, app: string, options: { units?: number; endpoints?: readonly CharmEndpoint[] } = {}): ModelRecord {
  return apply(model, { ...deployOp(app), endpoints: options.endpoints ?? KV, units: options.units ?? 1 });
}

function apply(model: ModelRecord, operation: Operation): ModelRecord {
  return transition(model, operation).record;
}

/** Each unit's queue as `hook (remote)` lines. */
function queues(model: ModelRecord): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const app of Object.values(model.apps)) {
    for (const unit of app.units) {
      result[unit.name] = unit.queue.map((e) => (e.remoteUnit ? `${e.hook} (${e.remoteUnit})` : e.departingUnit ? `${e.hook} (departing ${e.departingUnit})` : e.hook));
    }
  }
  return result;
}

/** Runs every queued hook as the model does (round-robin over runnable units), each succeeding with no changes; returns `unit hook` lines in order. */
function drain(model: ModelRecord): { model: ModelRecord; ran: string[] } {
  const ran: string[] = [];
  const pick = unitPicker();
  for (let runnable = runnableUnits(model); runnable.length > 0; runnable = runnableUnits(model)) {
    const unit = pick(runnable);
    model = apply(model, { type: 'hook-started', unit });
    const event = model.apps[unit.split('/')[0]!]!.units.find((u) => u.name === unit)!.queue[0]!;
    ran.push(`${unit} ${event.hook}${event.hook.endsWith('-relation-joined') ? ` (${event.remoteUnit})` : ''}`);
    model = apply(model, { type: 'hook-exited', unit, exitCode: 0, pending: noChanges() });
  }
  return { model: apply(model, { type: 'settled' }), ran };
}

const fail = (model: ModelRecord, unit: string) => apply(apply(model, { type: 'hook-started', unit }), { type: 'hook-exited', unit, exitCode: 1, pending: noChanges() });

describe('the scheduler', () => {
  it('does not change the record it is given', () => {
    const model = deploy(emptyModel(), 'kv');
    const before = structuredClone(model);
    transition(model, { type: 'run', unit: 'kv/0', hook: 'update-status' });
    transition(model, { type: 'remove', app: 'kv' });
    expect(model).toEqual(before);
  });

  it('install before leader-elected before config-changed before start (uniter/operation ordering, Juju 2.9)', () => {
    const { record, effects } = transition(emptyModel(), deployOp('kv'));
    expect(queues(record)).toEqual({ 'kv/0': ['install', 'leader-elected', 'config-changed', 'start'] });
    expect(record.apps.kv!.leader).toBe('kv/0');
    expect(record.apps.kv!.units[0]).toMatchObject({ workload: { status: 'waiting', message: 'installing agent' }, agent: { status: 'allocating' } });
    expect(effects).toEqual([{ type: 'copy-charm', app: 'kv', unit: 'kv/0', fresh: true }]);
  });

  it('a unit that is not the leader gets leader-settings-changed where the leader gets leader-elected (Juju 2.9 uniter: leadership resolver on first start)', () => {
    const model = deploy(emptyModel(), 'kv', { units: 2 });
    expect(queues(model)['kv/1']).toEqual(['install', 'leader-settings-changed', 'config-changed', 'start']);
  });

  it('refuses a bad name, an existing application, bad config or resources, and changes nothing', () => {
    const model = deploy(emptyModel(), 'kv');
    const code = (op: Operation) => {
      try {
        transition(model, op);
      } catch (error) {
        return (error as ModelError).code;
      }
      return 'accepted';
    };
    expect(code({ ...deployOp('Bad') })).toBe('INVALID_CHARM');
    expect(code({ ...deployOp('kv') })).toBe('ALREADY_EXISTS');
    expect(code({ ...deployOp('other'), config: { nope: 1 } })).toBe('INVALID_CONFIG');
    expect(code({ ...deployOp('other'), resources: { nope: 'x' } })).toBe('INVALID_RESOURCE');
    expect(code({ type: 'resolve', unit: 'kv/0', retry: true })).toBe('NOT_IN_ERROR');
    expect(code({ type: 'run', unit: 'kv/9', hook: 'start' })).toBe('NOT_FOUND');
  });

  it('peer relations exist from deploy: relation-created right after install; a unit enters the scope once its install ran, the other sees it join then and it sees the other after its start (worker/uniter/relation/statetracker.go SynchronizeScopes from the created-relations resolver, Juju 2.9)', () => {
    let model = deploy(emptyModel(), 'peer', { units: 2, endpoints: PEER });
    expect(model.relations).toEqual([expect.objectContaining({ interface: 'peer-cluster', ends: [{ app: 'peer', endpoint: 'cluster', role: 'peers' }, { app: 'peer', endpoint: 'cluster', role: 'peers' }] })]);
    expect(queues(model)).toEqual({
      'peer/0': ['install', 'cluster-relation-created', 'leader-elected', 'config-changed', 'start'],
      'peer/1': ['install', 'cluster-relation-created', 'leader-settings-changed', 'config-changed', 'start'],
    });
    const run = (unit: string) => (model = apply(apply(model, { type: 'hook-started', unit }), { type: 'hook-exited', unit, exitCode: 0, pending: noChanges() }));
    run('peer/0');
    expect(model.relations[0]!.members).toEqual(['peer/0']);
    expect(queues(model)['peer/0']).toEqual(['cluster-relation-created', 'leader-elected', 'config-changed', 'start']);
    run('peer/1');
    expect(model.relations[0]!.members).toEqual(['peer/0', 'peer/1']);
    expect(queues(model)).toEqual({
      'peer/0': ['cluster-relation-created', 'leader-elected', 'config-changed', 'start', 'cluster-relation-joined (peer/1)', 'cluster-relation-changed (peer/1)'],
      'peer/1': ['cluster-relation-created', 'leader-settings-changed', 'config-changed', 'start', 'cluster-relation-joined (peer/0)', 'cluster-relation-changed (peer/0)'],
    });
  });

  it('a relation recorded before the model kept its scope counts every unit of both sides as in scope', () => {
    let model = drain(deploy(emptyModel(), 'peer', { units: 2, endpoints: PEER })).model;
    delete model.relations[0]!.members;
    for (const unit of model.apps.peer!.units) delete unit.installed;
    model = apply(model, { type: 'add-unit', app: 'peer', count: 1 });
    model = apply(apply(model, { type: 'hook-started', unit: 'peer/2' }), { type: 'hook-exited', unit: 'peer/2', exitCode: 0, pending: noChanges() });
    expect(model.relations[0]!.members).toEqual(['peer/0', 'peer/1', 'peer/2']);
    expect(queues(model)['peer/0']).toEqual(['cluster-relation-joined (peer/2)', 'cluster-relation-changed (peer/2)']);
  });

  it('in any order of units, nobody sees a unit join before its install ran, and a unit sees others join only after its own start (worker/uniter/resolver.go: relations after config-changed and start, Juju 2.9)', () => {
    for (const seed of [undefined, 1, 2, 3, 42]) {
      let model = deploy(emptyModel(), 'peer', { units: 3, endpoints: PEER });
      const ran: string[] = [];
      const pick = unitPicker(seed === undefined ? undefined : seededRandom(seed));
      for (let runnable = runnableUnits(model); runnable.length > 0; runnable = runnableUnits(model)) {
        const unit = pick(runnable);
        model = apply(model, { type: 'hook-started', unit });
        const event = model.apps.peer!.units.find((u) => u.name === unit)!.queue[0]!;
        ran.push(`${unit} ${event.hook}${event.remoteUnit ? ` ${event.remoteUnit}` : ''}`);
        model = apply(model, { type: 'hook-exited', unit, exitCode: 0, pending: noChanges() });
      }
      for (const [index, line] of ran.entries()) {
        const [unit, hook, remote] = line.split(' ');
        if (hook !== 'cluster-relation-joined') continue;
        expect(ran.indexOf(`${remote} install`)).toBeLessThan(index);
        expect(ran.indexOf(`${unit} start`)).toBeLessThan(index);
      }
      expect(ran.filter((l) => l.includes('cluster-relation-joined'))).toHaveLength(6);
    }
  });

  it('entering a relation\'s scope writes the unit\'s private-address, ingress-address and egress-subnets, its pod address (apiserver/facades/agent/uniter EnterScope, Juju 2.9)', () => {
    let model = drain(deploy(deploy(emptyModel(), 'kv', { units: 2 }), 'client')).model;
    model = apply(model, { type: 'relate', interface: 'kv', ends: [{ app: 'client', endpoint: 'backend', role: 'requires' }, { app: 'kv', endpoint: 'kv', role: 'provides' }] });
    expect(model.relations[0]!.data).toEqual({
      'kv/0': { 'egress-subnets': '10.1.1.10/32', 'ingress-address': '10.1.1.10', 'private-address': '10.1.1.10' },
      'kv/1': { 'egress-subnets': '10.1.1.11/32', 'ingress-address': '10.1.1.11', 'private-address': '10.1.1.11' },
      'client/0': { 'egress-subnets': '10.1.2.10/32', 'ingress-address': '10.1.2.10', 'private-address': '10.1.2.10' },
    });
    // A unit whose install failed is not in scope: nobody sees it join, it has no settings.
    model = fail(apply(model, { type: 'add-unit', app: 'client', count: 1 }), 'client/1');
    expect(model.relations[0]!.members).not.toContain('client/1');
    expect(model.relations[0]!.data['client/1']).toBeUndefined();
    expect(queues(model)['kv/0']).toEqual(['kv-relation-created', 'kv-relation-joined (client/0)', 'kv-relation-changed (client/0)']);
    model = apply(model, { type: 'resolve', unit: 'client/1', retry: false });
    expect(model.relations[0]!.data['client/1']).toEqual({ 'egress-subnets': '10.1.2.11/32', 'ingress-address': '10.1.2.11', 'private-address': '10.1.2.11' });
    expect(queues(model)['kv/0']!.slice(-2)).toEqual(['kv-relation-joined (client/1)', 'kv-relation-changed (client/1)']);
  });

  it('config-changed on every unit only when the effective config changes: the same value, a default set explicitly or a reset to it runs nothing (worker/uniter/resolver.go: ConfigHash, Juju 2.9)', () => {
    let model = drain(deploy(emptyModel(), 'kv', { units: 2 })).model;
    const config = (values: Record<string, unknown>, reset: string[] = []) => (model = apply(model, { type: 'config', app: 'kv', configYaml: CONFIG_YAML, values, reset, effectiveConfig: (set) => effectiveConfig(CONFIG_YAML.options, set) }));
    config({ port: '7001' });
    expect(model.apps.kv!.config).toEqual({ port: 7001 });
    expect(queues(model)).toEqual({ 'kv/0': ['config-changed'], 'kv/1': ['config-changed'] });
    // A second change before the units look: still one hook each.
    config({ debug: 'true' });
    expect(queues(model)).toEqual({ 'kv/0': ['config-changed'], 'kv/1': ['config-changed'] });
    model = drain(model).model;
    config({ port: 7001 });
    expect(queues(model)).toEqual({ 'kv/0': [], 'kv/1': [] });
    config({}, ['debug']);
    expect(queues(model)['kv/0']).toEqual(['config-changed']);
    model = drain(model).model;
    // debug is at its default (false) now: setting it to false or resetting it again changes nothing.
    config({ debug: false });
    config({}, ['debug']);
    expect(queues(model)['kv/0']).toEqual([]);
    config({}, ['port']);
    expect(model.apps.kv!.config).toEqual({});
    expect(queues(model)['kv/0']).toEqual(['config-changed']);
  });

  it('a new resource revision runs upgrade-charm, then config-changed (Juju 2.9: resources are part of the charm URL change)', () => {
    const model = apply(drain(deploy(emptyModel(), 'kv')).model, { type: 'attach-resource', app: 'kv', name: 'image', image: 'example/kv:2', declaredResources: { image: { type: 'oci-image' } } as never });
    expect(model.apps.kv!.resources.image).toMatchObject({ image: 'example/kv:2', revision: 2 });
    expect(queues(model)).toEqual({ 'kv/0': ['upgrade-charm', 'config-changed'] });
  });

  it('an upgrade runs upgrade-charm, then config-changed, copies the charm to every unit, and makes a new peer relation (uniter upgrade operation, Juju 2.9)', () => {
    const model = drain(deploy(emptyModel(), 'kv', { units: 2 })).model;
    const { record, effects } = transition(model, { type: 'upgrade', app: 'kv', source: 'build/kv', charm: 'kv', configYaml: CONFIG_YAML, endpoints: [...KV, ...PEER] });
    expect(record.apps.kv!.revision).toBe(2);
    expect(effects).toEqual([
      { type: 'copy-charm', app: 'kv', unit: 'kv/0' },
      { type: 'copy-charm', app: 'kv', unit: 'kv/1' },
    ]);
    expect(queues(record)['kv/0']).toEqual(['upgrade-charm', 'config-changed', 'cluster-relation-created', 'cluster-relation-joined (kv/1)', 'cluster-relation-changed (kv/1)']);
  });

  it('an upgrade that drops an endpoint in use, or is another charm, is refused (Juju: refresh checks relations in use)', () => {
    let model = deploy(deploy(emptyModel(), 'kv'), 'client');
    model = drain(apply(model, { type: 'relate', interface: 'kv', ends: [{ app: 'client', endpoint: 'backend', role: 'requires' }, { app: 'kv', endpoint: 'kv', role: 'provides' }] })).model;
    const upgrade = (endpoints: readonly CharmEndpoint[], charm = 'kv') => () => transition(model, { type: 'upgrade', app: 'kv', source: 'build/kv', charm, configYaml: CONFIG_YAML, endpoints });
    expect(upgrade([KV[1]!])).toThrow(expect.objectContaining({ code: 'INVALID_CHARM', message: expect.stringContaining('client:backend kv:kv') }));
    expect(upgrade(KV, 'other')).toThrow(expect.objectContaining({ code: 'INVALID_CHARM' }));
  });

  it('relating: relation-created on every unit of both sides, then -relation-joined and -relation-changed per remote unit (Juju 2.9 relation resolver)', () => {
    let model = drain(deploy(deploy(emptyModel(), 'kv', { units: 2 }), 'client')).model;
    model = apply(model, { type: 'relate', interface: 'kv', ends: [{ app: 'client', endpoint: 'backend', role: 'requires' }, { app: 'kv', endpoint: 'kv', role: 'provides' }] });
    expect(queues(model)).toEqual({
      'kv/0': ['kv-relation-created', 'kv-relation-joined (client/0)', 'kv-relation-changed (client/0)'],
      'kv/1': ['kv-relation-created', 'kv-relation-joined (client/0)', 'kv-relation-changed (client/0)'],
      'client/0': ['backend-relation-created', 'backend-relation-joined (kv/0)', 'backend-relation-changed (kv/0)', 'backend-relation-joined (kv/1)', 'backend-relation-changed (kv/1)'],
    });
    expect(() => apply(model, { type: 'relate', interface: 'kv', ends: [{ app: 'kv', endpoint: 'kv', role: 'provides' }, { app: 'client', endpoint: 'backend', role: 'requires' }] })).toThrow(
      expect.objectContaining({ code: 'ALREADY_EXISTS' }),
    );
  });

  it('unrelating: -relation-departed per remote unit, then -relation-broken, on both sides; the relation goes after its last hook (Juju 2.9 relation resolver)', () => {
    let model = drain(deploy(deploy(emptyModel(), 'kv'), 'client')).model;
    model = drain(apply(model, { type: 'relate', interface: 'kv', ends: [{ app: 'client', endpoint: 'backend', role: 'requires' }, { app: 'kv', endpoint: 'kv', role: 'provides' }] })).model;
    expect(model.relations[0]!.inScope).toEqual({ 'kv/0': ['client/0'], 'client/0': ['kv/0'] });
    model = apply(model, { type: 'unrelate', relationId: 0 });
    expect(queues(model)).toEqual({ 'kv/0': ['kv-relation-departed (client/0)', 'kv-relation-broken'], 'client/0': ['backend-relation-departed (kv/0)', 'backend-relation-broken'] });
    expect(model.relations[0]!.dying).toBe(true);
    const after = drain(model).model;
    expect(after.relations).toEqual([]);
  });

  it('a new unit gets relation-created after install; the units already there see it join once its install ran, and it sees them after its start (statetracker.go SynchronizeScopes, Juju 2.9)', () => {
    let model = drain(deploy(emptyModel(), 'peer', { endpoints: PEER })).model;
    const { record, effects } = transition(model, { type: 'add-unit', app: 'peer', count: 1 });
    model = record;
    expect(effects).toEqual([{ type: 'copy-charm', app: 'peer', unit: 'peer/1', fresh: true }]);
    expect(queues(model)).toEqual({ 'peer/0': [], 'peer/1': ['install', 'cluster-relation-created', 'leader-settings-changed', 'config-changed', 'start'] });
    model = apply(apply(model, { type: 'hook-started', unit: 'peer/1' }), { type: 'hook-exited', unit: 'peer/1', exitCode: 0, pending: noChanges() });
    expect(queues(model)).toEqual({
      'peer/0': ['cluster-relation-joined (peer/1)', 'cluster-relation-changed (peer/1)'],
      'peer/1': ['cluster-relation-created', 'leader-settings-changed', 'config-changed', 'start', 'cluster-relation-joined (peer/0)', 'cluster-relation-changed (peer/0)'],
    });
  });

  it('a unit leaving a peer relation: departed (itself departing), stop, remove, and no -relation-broken; the others see it depart (worker/uniter/relation/resolver.go, Juju 2.9: no broken hook for a peer relation)', () => {
    let model = drain(deploy(emptyModel(), 'peer', { units: 2, endpoints: PEER })).model;
    model = apply(model, { type: 'remove-unit', unit: 'peer/1' });
    expect(queues(model)).toEqual({
      'peer/0': ['cluster-relation-departed (peer/1)'],
      'peer/1': ['cluster-relation-departed (peer/0)', 'stop', 'remove'],
    });
    expect(model.apps.peer!.units[1]!.queue[0]!.departingUnit).toBe('peer/1');
    const { model: after, ran } = drain(model);
    expect(ran.at(-1)).toBe('peer/1 remove');
    expect(after.apps.peer!.units.map((u) => u.name)).toEqual(['peer/0']);
  });

  it('removing an application with a peer relation runs no -relation-broken on any of its units (worker/uniter/relation/resolver.go, Juju 2.9)', () => {
    const model = apply(drain(deploy(emptyModel(), 'peer', { units: 2, endpoints: PEER })).model, { type: 'remove', app: 'peer' });
    expect(queues(model)).toEqual({
      'peer/0': ['cluster-relation-departed (peer/1)', 'stop', 'remove'],
      'peer/1': ['cluster-relation-departed (peer/0)', 'stop', 'remove'],
    });
    expect(drain(model).model.relations).toEqual([]);
  });

  it('when the leader goes, the first remaining unit is elected: leader-elected (Juju elects a new leader when the lease expires)', () => {
    let model = drain(deploy(emptyModel(), 'kv', { units: 2 })).model;
    model = drain(apply(model, { type: 'remove-unit', unit: 'kv/0' })).model;
    expect(model.apps.kv!.leader).toBe('kv/1');
    const ran = drain(apply(drain(deploy(emptyModel(), 'kv', { units: 2 })).model, { type: 'remove-unit', unit: 'kv/0' })).ran;
    expect(ran).toContain('kv/1 leader-elected');
  });

  it('removing an application: each unit leaves, the other side sees the relation broken, then the application and its files go', () => {
    let model = drain(deploy(deploy(emptyModel(), 'kv'), 'client')).model;
    model = drain(apply(model, { type: 'relate', interface: 'kv', ends: [{ app: 'client', endpoint: 'backend', role: 'requires' }, { app: 'kv', endpoint: 'kv', role: 'provides' }] })).model;
    model = apply(model, { type: 'remove', app: 'kv' });
    expect(queues(model)).toEqual({
      'kv/0': ['kv-relation-departed (client/0)', 'kv-relation-broken', 'stop', 'remove'],
      'client/0': ['backend-relation-departed (kv/0)', 'backend-relation-broken'],
    });
    expect(model.apps.kv!.units[0]!.queue[0]!.departingUnit).toBe('kv/0');
    const { model: drained } = drain(model);
    expect(drained.apps.kv).toBeUndefined();
    expect(drained.relations).toEqual([]);
    // The files go in the `settled` step, once the last unit ran remove.
    let running = model;
    for (const unit of ['kv/0', 'kv/0', 'kv/0']) running = apply(apply(running, { type: 'hook-started', unit }), { type: 'hook-exited', unit, exitCode: 0, pending: noChanges() });
    // The unit's own files go as its remove hook exits.
    const removed = transition(apply(running, { type: 'hook-started', unit: 'kv/0' }), { type: 'hook-exited', unit: 'kv/0', exitCode: 0, pending: noChanges() });
    expect(removed.effects).toEqual([{ type: 'remove-unit-files', app: 'kv', unit: 'kv/0' }]);
    running = removed.record;
    expect(transition(running, { type: 'settled' }).effects).toEqual([{ type: 'remove-app-files', app: 'kv', charmDir: 'charms/kv' }]);
  });

  it('update-status on every unit when the clock passes a 5-minute mark, once after a long jump and once while one is still to run (worker/uniter/remotestate/watcher.go timer, resolver.go UpdateStatusVersion, Juju 2.9)', () => {
    let model = drain(deploy(emptyModel(), 'kv', { units: 2 })).model;
    expect(queues(apply(model, { type: 'tick', ms: 60_000 }))).toEqual({ 'kv/0': [], 'kv/1': [] });
    model = apply(model, { type: 'tick', ms: 5 * 60_000 });
    expect(queues(model)).toEqual({ 'kv/0': ['update-status'], 'kv/1': ['update-status'] });
    model = apply(model, { type: 'tick', ms: 5 * 60_000 });
    expect(queues(model)).toEqual({ 'kv/0': ['update-status'], 'kv/1': ['update-status'] });
    model = apply(drain(model).model, { type: 'tick', ms: 3 * 60 * 60_000 });
    expect(queues(model)).toEqual({ 'kv/0': ['update-status'], 'kv/1': ['update-status'] });
  });

  it('a failed hook is recorded on the agent and holds the unit; resolve retries or skips it and resets the back-off (uniter.go reportHookError, resolver.go nextOpHookError, Juju 2.9)', () => {
    let model = apply(deploy(emptyModel(), 'kv'), { type: 'hook-started', unit: 'kv/0' });
    expect(model.apps.kv!.units[0]!.agent).toMatchObject({ status: 'executing', message: 'running install hook' });
    model = fail(deploy(emptyModel(), 'kv'), 'kv/0');
    expect(model.apps.kv!.units[0]).toMatchObject({ agent: { status: 'error', message: 'hook failed: "install"' }, error: { hook: 'install' }, retryAt: 6_000, retryDelay: 10_000 });
    expect(runnableUnits(model)).toEqual([]);
    const retried = apply(model, { type: 'resolve', unit: 'kv/0', retry: true });
    expect(queues(retried)['kv/0']).toEqual(['install', 'leader-elected', 'config-changed', 'start']);
    expect(retried.apps.kv!.units[0]!.agent.status).toBe('idle');
    expect(retried.apps.kv!.units[0]).not.toHaveProperty('retryAt');
    expect(retried.apps.kv!.units[0]).not.toHaveProperty('retryDelay');
    const skipped = apply(model, { type: 'resolve', unit: 'kv/0', retry: false });
    expect(queues(skipped)['kv/0']).toEqual(['leader-elected', 'config-changed', 'start']);
  });

  it('a failed hook is retried on the clock after 5 s, 10 s, 20 s … at most 5 min, and not at all without automatically-retry-hooks (retrystrategy.go, uniter.go BackoffTimer, Juju 2.9)', () => {
    let model = fail(deploy(emptyModel(), 'kv'), 'kv/0');
    const unit = () => model.apps.kv!.units[0]!;
    const waits: number[] = [];
    for (let attempt = 0; attempt < 8; attempt += 1) {
      const failedAt = model.clock;
      model = apply(model, { type: 'tick', ms: unit().retryAt! - failedAt - 1 });
      expect(runnableUnits(model)).toEqual([]);
      model = apply(model, { type: 'tick', ms: 1 });
      expect(runnableUnits(model)).toEqual(['kv/0']);
      waits.push(model.clock - failedAt);
      model = apply(model, { type: 'hook-started', unit: 'kv/0' });
      expect(unit().agent).toMatchObject({ status: 'executing', message: 'running install hook' });
      model = apply(model, { type: 'hook-exited', unit: 'kv/0', exitCode: 1, pending: noChanges() });
    }
    expect(waits).toEqual([5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
    // The retry that succeeds clears the error; the back-off stays where it was, as Juju's does.
    model = apply(apply(model, { type: 'tick', ms: 300_000 }), { type: 'hook-started', unit: 'kv/0' });
    model = apply(model, { type: 'hook-exited', unit: 'kv/0', exitCode: 0, pending: noChanges() });
    expect(unit()).toMatchObject({ agent: { status: 'idle' }, retryDelay: 300_000 });
    expect(unit()).not.toHaveProperty('error');
    expect(unit()).not.toHaveProperty('retryAt');
    // The ticks passed 5-minute marks: one update-status waits behind the setup hooks.
    expect(queues(model)['kv/0']).toEqual(['leader-elected', 'config-changed', 'start', 'update-status']);

    const held = apply(apply(deploy(emptyModel(), 'kv'), { type: 'hook-started', unit: 'kv/0' }), { type: 'hook-exited', unit: 'kv/0', exitCode: 1, pending: noChanges(), retryHooks: false });
    expect(held.apps.kv!.units[0]).not.toHaveProperty('retryAt');
    expect(runnableUnits(apply(held, { type: 'tick', ms: 24 * 60 * 60_000 }))).toEqual([]);
  });

  it('run refuses a unit in error, which runs no hook until resolved (worker/uniter/resolver.go nextOpHookError), and queues nothing', () => {
    const held = fail(deploy(emptyModel(), 'kv'), 'kv/0');
    expect(() => apply(held, { type: 'run', unit: 'kv/0', hook: 'update-status' })).toThrow(expect.objectContaining({ code: 'UNIT_IN_ERROR', message: expect.stringContaining('hook "install" failed') }));
    const resolved = apply(held, { type: 'resolve', unit: 'kv/0', retry: false });
    expect(queues(apply(resolved, { type: 'run', unit: 'kv/0', hook: 'update-status' }))['kv/0']!.at(-1)).toBe('update-status');
  });

  it('resolving a failed remove hook without retry removes the unit (juju resolved --no-retry)', () => {
    let model = apply(drain(deploy(emptyModel(), 'kv', { units: 2 })).model, { type: 'remove-unit', unit: 'kv/1' });
    model = apply(apply(model, { type: 'hook-started', unit: 'kv/1' }), { type: 'hook-exited', unit: 'kv/1', exitCode: 0, pending: noChanges() });
    model = fail(model, 'kv/1');
    expect(model.apps.kv!.units[1]!.error).toEqual({ hook: 'remove' });
    model = apply(model, { type: 'resolve', unit: 'kv/1', retry: false });
    expect(model.apps.kv!.units.map((u) => u.name)).toEqual(['kv/0']);
  });

  it('a changed relation setting runs -relation-changed on the remote units that joined the writer; the application bag on all of them (Juju 2.9 relation resolver)', () => {
    let model = drain(deploy(deploy(emptyModel(), 'kv', { units: 2 }), 'client')).model;
    model = drain(apply(model, { type: 'relate', interface: 'kv', ends: [{ app: 'client', endpoint: 'backend', role: 'requires' }, { app: 'kv', endpoint: 'kv', role: 'provides' }] })).model;
    const started = apply(apply(model, { type: 'run', unit: 'client/0', hook: 'update-status' }), { type: 'hook-started', unit: 'client/0' });
    const exited = (bag: string, data: Record<string, string>) =>
      apply(started, { type: 'hook-exited', unit: 'client/0', exitCode: 0, pending: { ...noChanges(), relationSets: [{ relationId: 0, bag, data }] } });
    const unitBag = exited('client/0', { host: 'a' });
    expect(unitBag.relations[0]!.data['client/0']).toMatchObject({ host: 'a', 'private-address': '10.1.2.10' });
    expect(queues(unitBag)).toEqual({ 'kv/0': ['kv-relation-changed (client/0)'], 'kv/1': ['kv-relation-changed (client/0)'], 'client/0': [] });
    expect(unitBag.apps.kv!.units[0]!.queue[0]).toMatchObject({ relationId: 0, remoteApp: 'client' });
    const appBag = exited('client', { url: 'x' });
    expect(queues(appBag)['kv/0']).toEqual(['kv-relation-changed']);
    // Writing what the bag holds is no change; a failed hook commits nothing.
    const same = apply(apply(apply(unitBag, { type: 'run', unit: 'client/0', hook: 'update-status' }), { type: 'hook-started', unit: 'client/0' }), {
      type: 'hook-exited',
      unit: 'client/0',
      exitCode: 0,
      pending: { ...noChanges(), relationSets: [{ relationId: 0, bag: 'client/0', data: { host: 'a' } }] },
    });
    expect(queues(same)['kv/0']).toEqual(['kv-relation-changed (client/0)']);
    const failed = apply(started, { type: 'hook-exited', unit: 'client/0', exitCode: 1, pending: { ...noChanges(), relationSets: [{ relationId: 0, bag: 'client/0', data: { host: 'b' } }] } });
    expect(failed.relations[0]!.data['client/0']).not.toHaveProperty('host');
    expect(queues(failed)['kv/0']).toEqual([]);
  });

  it('a successful hook commits its pod spec once per change, asking for the manifests to be written (HookContext.Flush)', () => {
    const model = apply(drain(deploy(emptyModel(), 'kv')).model, { type: 'run', unit: 'kv/0', hook: 'config-changed' });
    const started = apply(model, { type: 'hook-started', unit: 'kv/0' });
    const spec = { ...noChanges(), podSpec: { spec: 'version: 3\n' }, state: { key: 'v' }, ports: [{ action: 'open' as const, port: '80/tcp' }] };
    const first = transition(started, { type: 'hook-exited', unit: 'kv/0', exitCode: 0, pending: spec });
    expect(first.record.apps.kv!.podSpec).toEqual({ spec: 'version: 3\n', revision: 1 });
    expect(first.record.apps.kv!.units[0]).toMatchObject({ controllerState: { key: 'v' }, openedPorts: ['80/tcp'] });
    expect(first.effects).toEqual([{ type: 'render-manifests', app: 'kv' }]);
    const again = apply(apply(first.record, { type: 'run', unit: 'kv/0', hook: 'config-changed' }), { type: 'hook-started', unit: 'kv/0' });
    expect(transition(again, { type: 'hook-exited', unit: 'kv/0', exitCode: 0, pending: spec }).effects).toEqual([]);
  });

  it('changed leader settings queue one leader-settings-changed on every other unit, failed hook or not, and none when nothing changed (worker/uniter/leadership/resolver.go: LeaderSettingsVersion, Juju 2.9)', () => {
    const model = apply(drain(deploy(emptyModel(), 'kv', { units: 3 })).model, { type: 'run', unit: 'kv/0', hook: 'config-changed' });
    const exit = (from: ModelRecord, exitCode: number, leaderSettingsChanged: boolean) =>
      apply(apply(from, { type: 'hook-started', unit: 'kv/0' }), { type: 'hook-exited', unit: 'kv/0', exitCode, pending: noChanges(), leaderSettingsChanged });
    const failed = exit(model, 1, true);
    expect(queues(failed)).toEqual({ 'kv/0': ['config-changed'], 'kv/1': ['leader-settings-changed'], 'kv/2': ['leader-settings-changed'] });
    expect(queues(exit(model, 0, false))).toEqual({ 'kv/0': [], 'kv/1': [], 'kv/2': [] });
    // A second change before kv/1 and kv/2 ran the first: still one hook each.
    const twice = exit(apply(exit(model, 0, true), { type: 'run', unit: 'kv/0', hook: 'config-changed' }), 0, true);
    expect(queues(twice)).toEqual({ 'kv/0': [], 'kv/1': ['leader-settings-changed'], 'kv/2': ['leader-settings-changed'] });
  });

  it('the agent sets the workload status around hooks: maintenance before install, stop and remove, unknown after start unless the charm set one (worker/uniter/operation/runhook.go beforeHook, afterHook, Juju 2.9)', () => {
    const run = (from: ModelRecord, unit: string, statusSet = false) => {
      const started = apply(from, { type: 'hook-started', unit });
      const during = structuredClone(started.apps[unit.split('/')[0]!]!.units.find((u) => u.name === unit)!);
      return { during, after: apply(started, { type: 'hook-exited', unit, exitCode: 0, pending: noChanges(), statusSet }) };
    };
    const workload = (model: ModelRecord) => {
      const { status, message } = model.apps.kv!.units[0]!.workload;
      return `${status} ${message}`.trim();
    };
    let model = deploy(emptyModel(), 'kv');
    expect(workload(model)).toBe('waiting installing agent');
    let step = run(model, 'kv/0');
    expect(`${step.during.workload.status} ${step.during.workload.message}`).toBe('maintenance installing charm software');
    model = step.after;
    for (const hook of ['leader-elected', 'config-changed']) {
      expect(model.apps.kv!.units[0]!.queue[0]!.hook).toBe(hook);
      model = run(model, 'kv/0').after;
      expect(workload(model)).toBe('maintenance installing charm software');
    }
    model = run(model, 'kv/0').after;
    expect(workload(model)).toBe('unknown');
    // A charm that set a status in an earlier hook keeps it after start.
    let quiet = deploy(emptyModel(), 'kv');
    quiet = run(quiet, 'kv/0', true).after;
    quiet.apps.kv!.units[0]!.workload = { status: 'active', message: 'ready', since: '' };
    for (let i = 0; i < 3; i += 1) quiet = run(quiet, 'kv/0').after;
    expect(workload(quiet)).toBe('active ready');
    expect(quiet.apps.kv!.units[0]!.statusSet).toBe(true);
    // Stop and remove.
    model = apply(model, { type: 'remove-unit', unit: 'kv/0' });
    step = run(model, 'kv/0');
    expect(`${step.during.workload.status} ${step.during.workload.message}`).toBe('maintenance stopping charm software');
    expect(workload(step.after)).toBe('maintenance');
    step = run(step.after, 'kv/0');
    expect(`${step.during.workload.status} ${step.during.workload.message}`).toBe('maintenance cleaning up prior to charm deletion');
  });

  it('update-status leaves the agent status and its time alone (runhook.go: not recorded, to spare the controller)', () => {
    let model = apply(drain(deploy(emptyModel(), 'kv')).model, { type: 'tick', ms: 5 * 60_000 });
    const before = model.apps.kv!.units[0]!.agent;
    model = apply(model, { type: 'hook-started', unit: 'kv/0' });
    expect(model.apps.kv!.units[0]!.agent).toEqual(before);
    model = apply(model, { type: 'hook-exited', unit: 'kv/0', exitCode: 0, pending: noChanges() });
    expect(model.apps.kv!.units[0]!.agent).toEqual(before);
  });

  it('each hook moves the virtual clock one second; statuses carry the virtual time', () => {
    const { model } = drain(deploy(emptyModel(), 'kv'));
    expect(model.clock).toBe(4000);
    expect(model.apps.kv!.units[0]!.agent).toEqual({ status: 'idle', message: '', since: '2026-01-01T00:00:04.000Z' });
    expect(model.apps.kv!.units[0]!.workload.status).toBe('unknown');
    expect(model.hookCounter).toBe(4);
  });

  it('picks units round-robin, or in an order a seed reproduces', () => {
    const roundRobin = unitPicker();
    expect(['a', 'b', 'c', 'a'].map(() => roundRobin(['a', 'b', 'c']))).toEqual(['a', 'b', 'c', 'a']);
    const order = (seed: number) => {
      const pick = unitPicker(seededRandom(seed));
      return Array.from({ length: 8 }, () => pick(['a', 'b', 'c']));
    };
    expect(order(42)).toEqual(order(42));
    expect(new Set(order(42)).size).toBeGreaterThan(1);
  });
});

function deployOp(app: string): Extract<Operation, { type: 'deploy' }> {
  return {
    type: 'deploy',
    app,
    charm: app,
    charmDir: `charms/${app}`,
    configYaml: CONFIG_YAML,
    config: {},
    declaredResources: { image: { type: 'oci-image' } } as never,
    resources: { image: 'example/kv:1' },
    endpoints: KV,
    units: 1,
  };
}
