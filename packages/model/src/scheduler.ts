/**
 * The local model's scheduler: which hooks each unit is given, in which order, for every
 * operation on the model and every hook that finishes. It is a pure function over plain
 * data, after xstate's `transition()`: a model record and an operation in; the next record
 * (each unit's queue of hook events, statuses, relations) and the effects the caller must
 * carry out on disk out. It reads no file and starts no process: `LocalModel` (model.ts)
 * carries out the effects, and the hook runner runs the queued hooks.
 *
 * docs/explanation/model-scheduling.md sets each rule here beside Juju's.
 */
import { checkConfig } from './config-values.js';
import { ModelError } from './model-errors.js';
import { findApp, findUnit, modelTime, otherEnd, sameRelation, unitsOf, type AppRecord, type ModelRecord, type RelationRecord, type UnitRecord } from './model-state.js';
import { checkResources } from './resource-values.js';
import { actionStep } from './scheduler-actions.js';
import type { CharmEndpoint, Effect, Operation, Transition } from './scheduler-operations.js';
import { hookExited, hookStarted, queueOnce, resolved } from './scheduler-hooks.js';
import { enterScope, peerRelation, applicationGone, teardown } from './scheduler-relations.js';
import { addStorage, checkStores, detachStorage, initialStorage, newStoresStorage, storeUpgradeProblem } from './scheduler-storage.js';

/** update-status runs on every unit when a `tick` passes a multiple of this (once, however many it passes). */
export const UPDATE_STATUS_INTERVAL = 5 * 60 * 1000;
/** The workload message of a unit whose agent has not run a hook yet (Juju's status of a new unit). */
export const INSTALLING = 'installing agent';
/**
 * The model after `operation`: a new record (the given one is not changed) and the
 * effects to carry out. Each unit's `queue` holds the hooks it will run, first first.
 * @throws ModelError when the model refuses the operation (`NOT_FOUND`, `ALREADY_EXISTS`,
 *   `INVALID_CHARM`, `INVALID_CONFIG`, `INVALID_RESOURCE`, `NOT_IN_ERROR`, `UNIT_IN_ERROR`); nothing is changed.
 * @example
 * const { record } = transition(model, { type: 'run', unit: 'kv/0', hook: 'update-status' });
 * record.apps.kv!.units[0]!.queue;   // [..., { hook: 'update-status' }]
 */
export function transition(record: Readonly<ModelRecord>, operation: Operation): Transition {
  const model = structuredClone(record) as ModelRecord;
  const effects: Effect[] = [];
  step(model, operation, effects);
  return { record: model, effects };
}

/**
 * The checks of a deploy that come before its charm's config is read.
 * @throws ModelError `INVALID_CHARM` for a bad application name; `ALREADY_EXISTS` when it is deployed.
 */
export function checkNewApp(model: Readonly<ModelRecord>, app: string): void {
  if (!/^[a-z][a-z0-9-]*$/.test(app)) throw new ModelError('INVALID_CHARM', `invalid application name "${app}"`);
  if (model.apps[app]) throw new ModelError('ALREADY_EXISTS', `application "${app}" already exists: use charms upgrade, or remove it first`);
}

/**
 * The checks of an upgrade that come before the new revision's config is read: the same
 * charm, and no endpoint in use dropped (Juju refuses such a revision; a peer relation
 * just goes).
 * @throws ModelError `NOT_FOUND` for an unknown application; `INVALID_CHARM`.
 */
export function checkUpgrade(model: Readonly<ModelRecord>, op: Pick<Extract<Operation, { type: 'upgrade' }>, 'app' | 'source' | 'charm' | 'endpoints' | 'stores'>): void {
  const app = findApp(model as ModelRecord, op.app);
  if (op.charm !== app.charm) {
    throw new ModelError('INVALID_CHARM', `${op.source} is the charm "${op.charm}", not "${app.charm}": an application upgrades to a new revision of its own charm`);
  }
  const kept = new Set(op.endpoints.map((e) => e.name));
  const broken = model.relations.filter((r) => r.ends[0].role !== 'peers' && r.ends.some((e) => e.app === op.app && !kept.has(e.endpoint)));
  if (broken.length > 0) {
    const names = broken.map((r) => r.ends.map((e) => `${e.app}:${e.endpoint}`).join(' '));
    throw new ModelError('INVALID_CHARM', `${op.source} has no endpoint for relations in use (${names.join(', ')}): remove them first (charms unrelate)`);
  }
  // Juju refuses a revision whose stores do not fit the old ones (state/application.go checkStorageUpgrade).
  const storeProblem = op.stores && storeUpgradeProblem(model, app, op.stores);
  if (storeProblem) throw new ModelError('INVALID_CHARM', `${op.source} cannot replace revision ${app.revision}: ${storeProblem}`);
}

/**
 * The units that have a hook to run, in application and unit order: those not in error,
 * and those in error whose retry is due on the virtual clock.
 */
export function runnableUnits(model: Readonly<ModelRecord>): string[] {
  const ready = (u: ModelRecord['apps'][string]['units'][number]) => u.agent.status !== 'error' || (u.retryAt !== undefined && u.retryAt <= model.clock);
  return Object.values(model.apps).flatMap((app) => app.units.filter((u) => u.queue.length > 0 && ready(u)).map((u) => u.name));
}

/**
 * Chooses which runnable unit runs next: round-robin from the first, or, given a random
 * source, a shuffled order it reproduces.
 */
export function unitPicker(random?: () => number): (runnable: readonly string[]) => string {
  let cursor = 0;
  return (runnable) => (random ? runnable[Math.floor(random() * runnable.length)]! : runnable[cursor++ % runnable.length]!);
}

/** A 32-bit linear congruential generator: exact integer steps, any number as the seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
}

function step(model: ModelRecord, op: Operation, effects: Effect[]): void {
  switch (op.type) {
    case 'deploy': {
      checkNewApp(model, op.app);
      const config = checkConfig(op.configYaml, op.config);
      const resources = checkResources(op.declaredResources, op.resources);
      // Unit numbers go on from an earlier application of the same name (Juju: unit names
      // are unique per application name, state sequences since juju/juju#2069, lp:1174610).
      const nextUnit = model.unitSequences?.[op.app] ?? 0;
      const stores = (op.stores ?? []).map(({ shared: _shared, ...store }) => store);
      // Kubernetes has no block devices for Juju to give a pod: podspec and sidecar charms alike.
      checkStores(op.charm, stores, op.container === true || op.sidecar !== undefined, (op.stores ?? []).filter((s) => s.shared).map((s) => s.name));
      const app: AppRecord = {
        name: op.app, charm: op.charm, charmDir: op.charmDir, revision: 1, config, resources, units: [], nextUnit, leaderSettings: {},
        ...(stores.length > 0 ? { stores } : {}),
        ...(op.container ? { container: true } : {}),
        ...(op.sidecar ? { sidecar: { containers: op.sidecar.map((c) => ({ ...c, mounts: c.mounts.map((m) => ({ ...m })) })), ...(op.runWorkloads ? { runWorkloads: true } : {}) } } : {}),
      };
      model.apps[op.app] = app;
      // Juju makes each peer relation with the application, before any unit exists.
      for (const peer of op.endpoints.filter((e) => e.role === 'peers')) peerRelation(model, op.app, peer);
      for (let i = 0; i < op.units; i += 1) addUnit(model, app, effects);
      // Juju 3.x makes a sidecar application's StatefulSet at deploy (caasapplicationprovisioner), pods and all.
      if (app.sidecar && op.units === 0) effects.push({ type: 'render-manifests', app: app.name });
      return;
    }
    case 'config': {
      // As `juju config`: every value checked first. Juju's uniter runs config-changed when
      // the hash of the unit's effective config differs from the one it last ran with
      // (worker/uniter/resolver.go, ConfigHash), so a value set to what it already was, or
      // a reset of an option already at its default, runs nothing; a unit with one
      // config-changed still to run gets no second.
      const app = findApp(model, op.app);
      const typed = checkConfig(op.configYaml, op.values, op.reset);
      const before = JSON.stringify(op.effectiveConfig(app.config));
      for (const name of op.reset) delete app.config[name];
      Object.assign(app.config, typed);
      // Keys come sorted, so equal configs are equal texts: Juju's config hash.
      if (JSON.stringify(op.effectiveConfig(app.config)) === before) return;
      for (const unit of app.units) queueOnce(unit, { hook: 'config-changed' });
      return;
    }
    case 'attach-resource': {
      // A new revision of an oci-image resource: Juju runs upgrade-charm, then config-changed.
      const app = findApp(model, op.app);
      const [resource] = Object.values(checkResources(op.declaredResources, { [op.name]: op.image }));
      app.resources[op.name] = { ...resource!, revision: (app.resources[op.name]?.revision ?? 0) + 1 };
      for (const unit of app.units) unit.queue.push({ hook: 'upgrade-charm' }, { hook: 'config-changed' });
      return;
    }
    case 'upgrade':
      return upgrade(model, op, effects);
    case 'relate': {
      const [left, right] = op.ends;
      if (model.relations.some((r) => sameRelation(r, left, right))) {
        throw new ModelError('ALREADY_EXISTS', `relation ${left.app}:${left.endpoint} ${right.app}:${right.endpoint} already exists`);
      }
      const relation: RelationRecord = { id: model.nextRelationId++, interface: op.interface, ends: [{ ...left }, { ...right }], data: {}, joined: {}, members: [] };
      model.relations.push(relation);
      // Every unit on both sides: relation-created first, then the joins.
      for (const end of relation.ends) {
        for (const unit of unitsOf(model, end.app)) unit.queue.push({ hook: `${end.endpoint}-relation-created`, relationId: relation.id, remoteApp: otherEnd(relation, end.app).app });
      }
      // Each installed unit enters the new relation's scope (settings, then the joins).
      for (const end of relation.ends) for (const unit of unitsOf(model, end.app)) enterScope(model, relation, unit);
      return;
    }
    case 'unrelate': {
      const relation = model.relations.find((r) => r.id === op.relationId);
      if (!relation) throw new ModelError('NOT_FOUND', `relation ${op.relationId} not found`);
      // Departed for every remote unit, then broken, on both sides; the relation goes once its last hook ran.
      for (const end of relation.ends) {
        for (const unit of unitsOf(model, end.app)) {
          for (const remote of relation.joined[unit.name] ?? []) {
            unit.queue.push({ hook: `${end.endpoint}-relation-departed`, relationId: relation.id, remoteUnit: remote, remoteApp: remote.split('/')[0], departingUnit: remote });
          }
          unit.queue.push({ hook: `${end.endpoint}-relation-broken`, relationId: relation.id, remoteApp: otherEnd(relation, end.app).app });
        }
      }
      relation.dying = true;
      return;
    }
    case 'add-unit': {
      const app = findApp(model, op.app);
      for (let i = 0; i < op.count; i += 1) addUnit(model, app, effects);
      return;
    }
    case 'remove-unit': {
      // Storage detaches first (the uniter's storage resolver runs before its relations'), then the relations go, then stop and remove.
      const unit = findUnit(model, op.unit);
      detachStorage(model, unit, effects);
      return teardown(model, unit);
    }
    case 'remove': {
      // The units' storage detaches and their relations go first (departed, broken), then stop and remove on each unit.
      const app = findApp(model, op.app);
      for (const unit of app.units) {
        detachStorage(model, unit, effects);
        teardown(model, unit);
      }
      applicationGone(model, op.app);
      app.dying = true;
      return;
    }
    case 'add-storage': {
      addStorage(model, findUnit(model, op.unit), op.requests, effects);
      return;
    }
    case 'run': {
      // A unit in error runs nothing until it is resolved or its retry is due (Juju 2.9's
      // uniter: worker/uniter/resolver.go, nextOpHookError), so a hook asked for now
      // would only wait behind the failed one: refused instead.
      const unit = findUnit(model, op.unit);
      if (unit.agent.status === 'error') {
        throw new ModelError('UNIT_IN_ERROR', `unit ${op.unit} is in error (hook "${unit.error?.hook ?? unit.queue[0]?.hook}" failed) and runs no hook until it is resolved: see charms log ${op.unit}, then charms resolve ${op.unit}`);
      }
      // A workload hook names its container (JUJU_WORKLOAD_NAME), as Juju's hook.Info does.
      const workload = findApp(model, op.unit.split('/')[0]!).sidecar?.containers.find((c) => op.hook.startsWith(`${c.name}-pebble-`));
      unit.queue.push({ hook: op.hook, ...(workload ? { workload: workload.name } : {}) });
      return;
    }
    case 'pebble-notices': {
      const unit = model.apps[op.unit.split('/')[0]!]?.units.find((u) => u.name === op.unit);
      // A unit removed meanwhile has no container left to hear from.
      if (unit === undefined) return;
      for (const notice of op.notices) {
        const hook = notice.check ? `${notice.container}-pebble-check-${notice.check.outcome}` : `${notice.container}-pebble-custom-notice`;
        unit.queue.push({ hook, workload: notice.container, notice: { id: notice.id, type: notice.type, key: notice.key }, ...(notice.check ? { checkName: notice.check.name } : {}) });
      }
      return;
    }
    case 'replay': {
      // As run: a unit in error runs nothing. With its queue empty the replayed event is
      // the unit's next hook, which is how the model knows which hook reads the record.
      const unit = findUnit(model, op.unit);
      if (unit.agent.status === 'error') {
        throw new ModelError('UNIT_IN_ERROR', `unit ${op.unit} is in error (hook "${unit.error?.hook ?? unit.queue[0]?.hook}" failed) and runs no hook until it is resolved: charms resolve ${op.unit} (--no-retry to skip it), then replay`);
      }
      if (unit.queue.length > 0) throw new ModelError('UNIT_BUSY', `unit ${op.unit} has hooks waiting (${unit.queue.map((e) => e.hook).join(', ')}): replay runs when it has none`);
      if (op.event.relationId !== undefined && !model.relations.some((r) => r.id === op.event.relationId)) {
        throw new ModelError('NOT_FOUND', `relation ${op.event.relationId} of the recorded ${op.event.hook} is gone: a replay cannot give the hook its relation`);
      }
      if (op.event.storageId !== undefined && !model.storage?.some((s) => s.id === op.event.storageId && s.unit === op.unit)) {
        throw new ModelError('NOT_FOUND', `storage ${op.event.storageId} of the recorded ${op.event.hook} is gone: a replay cannot give the hook its storage`);
      }
      unit.queue.push({ ...op.event });
      return;
    }
    case 'tick': {
      // The clock jumps. Juju's update-status timer (worker/uniter/remotestate/watcher.go)
      // fires once however long the jump and is started again; each firing moves a
      // version, and versions not yet acted on make one hook (worker/uniter/resolver.go).
      const before = Math.floor(model.clock / UPDATE_STATUS_INTERVAL);
      model.clock += op.ms;
      if (Math.floor(model.clock / UPDATE_STATUS_INTERVAL) === before) return;
      for (const app of Object.values(model.apps)) for (const unit of app.units) queueOnce(unit, { hook: 'update-status' });
      return;
    }
    case 'resolve': {
      const unit = findUnit(model, op.unit);
      if (unit.agent.status !== 'error') throw new ModelError('NOT_IN_ERROR', `unit ${op.unit} is not in error: there is nothing to resolve`);
      return resolved(model, unit, op.retry, effects);
    }
    case 'hook-started':
      return hookStarted(model, findUnit(model, op.unit));
    case 'hook-exited':
      return hookExited(model, op, effects);
    case 'action-queued':
    case 'action-started':
    case 'action-exited':
      return actionStep(model, op, effects);
    case 'settled': {
      for (const relation of [...model.relations]) {
        const busy = relation.ends.some((end) => unitsOf(model, end.app).some((u) => u.queue.some((e) => e.relationId === relation.id)));
        if (relation.dying && !busy) model.relations = model.relations.filter((r) => r !== relation);
      }
      for (const app of Object.values(model.apps)) {
        if (app.dying && app.units.length === 0) {
          delete model.apps[app.name];
          (model.unitSequences ??= {})[app.name] = app.nextUnit;
          effects.push({ type: 'remove-app-files', app: app.name, charmDir: app.charmDir });
        }
      }
      return;
    }
  }
}

/**
 * A new unit: Juju 2.9 runs install, then relation-created for every relation the
 * application is in, then leader-elected (the first unit) or leader-settings-changed,
 * config-changed and start. The unit enters its relations' scopes only once install has
 * run (see `afterHook`): the others see it join then, and it sees them join after start.
 */
function addUnit(model: ModelRecord, app: AppRecord, effects: Effect[]): void {
  const name = `${app.name}/${app.nextUnit++}`;
  const since = modelTime(model);
  const unit: UnitRecord = {
    name,
    workload: { status: 'waiting', message: INSTALLING, since },
    agent: { status: 'allocating', message: '', since },
    queue: [],
    controllerState: {},
    openedPorts: [],
    installed: false,
  };
  app.units.push(unit);
  if (!app.leader) app.leader = name;
  effects.push({ type: 'copy-charm', app: app.name, unit: name, fresh: true });
  // The manifests carry the scale (replicas).
  if (app.podSpec || app.sidecar) effects.push({ type: 'render-manifests', app: app.name });
  const relations = model.relations.filter((r) => r.ends.some((e) => e.app === app.name));
  const created = relations.map((relation) => ({
    hook: `${relation.ends.find((e) => e.app === app.name)!.endpoint}-relation-created`,
    relationId: relation.id,
    remoteApp: otherEnd(relation, app.name).app,
  }));
  unit.queue.push({ hook: 'install' }, ...created, { hook: app.leader === name ? 'leader-elected' : 'leader-settings-changed' }, { hook: 'config-changed' }, { hook: 'start' });
  // A sidecar unit: each workload container's pebble-ready once its Pebble answers, after
  // start. Juju 3.x's workload hook resolver (internal/worker/uniter/container/workload.go)
  // gives a workload event only when the uniter's operation state is Continue or a failed
  // pebble-ready; install, config-changed and start run as one chain of queued hooks
  // (operation/runhook.go queues the next on commit), so a container that is up by then
  // gets its hook after start. The model's Pebble answers from the unit's first hook on.
  for (const container of app.sidecar?.containers ?? []) unit.queue.push({ hook: `${container.name}-pebble-ready`, workload: container.name });
  initialStorage(model, app, unit, effects);
}

/** A new revision of the application's charm; `juju refresh` (`upgrade-charm` in 2.9). */
function upgrade(model: ModelRecord, op: Extract<Operation, { type: 'upgrade' }>, effects: Effect[]): void {
  checkUpgrade(model, op);
  const app = findApp(model, op.app);
  const kept = new Set(op.endpoints.map((e) => e.name));
  model.relations = model.relations.filter((r) => !(r.ends[0].role === 'peers' && r.ends[0].app === op.app && !kept.has(r.ends[0].endpoint)));
  // Juju keeps the settings of options the new revision still has, and drops the others.
  const settings = Object.fromEntries(Object.entries(app.config).filter(([name]) => Object.hasOwn(op.configYaml?.options ?? {}, name)));
  app.config = checkConfig(op.configYaml, settings);
  app.revision += 1;
  const storesBefore = app.stores ?? [];
  if (op.stores) {
    if (op.stores.length > 0) app.stores = op.stores.map((store) => ({ ...store }));
    else delete app.stores;
  }
  // A sidecar application's refresh changes its pod template: Kubernetes makes each pod
  // again, so every container's Pebble starts empty and says so with pebble-ready, after
  // the new charm's upgrade-charm and config-changed.
  if (app.sidecar && op.sidecar) {
    app.sidecar.containers = op.sidecar.map((c) => ({ ...c, mounts: c.mounts.map((m) => ({ ...m })) }));
    effects.push({ type: 'render-manifests', app: app.name });
  }
  for (const unit of app.units) {
    effects.push({ type: 'copy-charm', app: app.name, unit: unit.name });
    unit.queue.push({ hook: 'upgrade-charm' }, { hook: 'config-changed' });
    if (!app.sidecar || !op.sidecar) continue;
    effects.push({ type: 'restart-containers', app: app.name, unit: unit.name });
    for (const container of app.sidecar.containers) unit.queue.push({ hook: `${container.name}-pebble-ready`, workload: container.name });
  }
  // A store new in this revision: its instances attach once the charm that declares it is in place.
  if (op.stores) newStoresStorage(model, app, storesBefore, effects);
  // A peer endpoint new in this revision gets its relation, as at deploy.
  for (const peer of op.endpoints.filter((e) => e.role === 'peers')) {
    if (model.relations.some((r) => r.ends.some((e) => e.app === op.app && e.endpoint === peer.name))) continue;
    const relation = peerRelation(model, op.app, peer);
    for (const unit of app.units) {
      unit.queue.push({ hook: `${peer.name}-relation-created`, relationId: relation.id, remoteApp: op.app });
      enterScope(model, relation, unit);
    }
  }
}
