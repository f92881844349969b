/**
 * Storage on the model, for the scheduler (scheduler.ts): instances made with a unit or
 * asked for later, their storage-attached and storage-detaching hooks in Juju 2.9's order,
 * and the checks Juju makes of more storage. Pure, like the scheduler: each function
 * changes the record in place and asks for disk work through effects.
 *
 * The order (worker/uniter/storage/resolver.go; docs/explanation/juju-actions-and-storage.md
 * §5.2): a machine charm's unit runs storage-attached for each of its initial instances
 * before install; a container (podspec) charm's storage is only there once the pod is, so
 * its storage-attached hooks come after start. Storage added later is attached when the
 * unit next looks (queued after what it has). A unit going away runs storage-detaching for
 * each instance whose storage-attached has run, before its relations depart and before
 * stop; an instance never attached goes without a hook. Juju's map order of several
 * instances is not fixed; the model takes them in id order.
 */
import { ModelError } from './model-errors.js';
import { modelTime, type AppRecord, type ModelRecord, type StorageRecord, type StoreRecord, type UnitRecord } from './model-state.js';
import type { Effect } from './scheduler-operations.js';

/** Juju's storage directory, under which mount points without a `location` go (state/filesystem.go). */
const JUJU_STORAGE_DIR = '/var/lib/juju/storage';
const ATTACHED = '-storage-attached';
const DETACHING = '-storage-detaching';

/**
 * The checks of a deploy's stores (apiserver application.go, state/storage.go
 * validateStorageConstraintsAgainstCharm).
 * @throws ModelError `INVALID_CHARM`.
 */
export function checkStores(charm: string, stores: readonly StoreRecord[], container: boolean, shared: readonly string[]): void {
  for (const name of shared) throw new ModelError('INVALID_CHARM', `charm "${charm}" store "${name}": shared storage support not implemented`);
  const block = container ? stores.find((s) => s.type === 'block') : undefined;
  if (block) throw new ModelError('INVALID_CHARM', `block storage "${block.name}" is not supported for container charms`);
}

/** The unit's initial instances: each store's minimum count, attached in Juju's order around install and start. */
export function initialStorage(model: ModelRecord, app: AppRecord, unit: UnitRecord, effects: Effect[]): void {
  const made = (app.stores ?? []).flatMap((store) => makeInstances(model, app, unit, store, store.count.min, effects));
  const events = made.map((s) => attachedEvent(s));
  // A machine charm: before install. A container charm: after start (the queue holds install … start already).
  // A sidecar charm (Juju 3.x): before install, as a machine charm's: its pod is made
  // with the volume claims, and the storage resolver runs before install (uniter resolver.go).
  // The charm runs here, so it is given the instance's folder, as a machine charm is.
  if (app.container) unit.queue.push(...events);
  else unit.queue.unshift(...events);
}

/**
 * What stops `requests` (store and count) from being added to `unit`, in Juju's words
 * (state/storage.go addStorageForUnit), or undefined when they can all be added.
 */
export function storageAddProblem(model: ModelRecord, unit: string, requests: readonly { name: string; count: number }[]): string | undefined {
  const app = model.apps[unit.split('/')[0]!];
  // addStorageForUnitOps: a unit on its way out (its stop and remove queued) takes no more storage.
  const record = app?.units.find((u) => u.name === unit);
  if (app?.dying || record?.queue.some((e) => e.hook === 'remove')) return 'unit is not alive';
  const added = new Map<string, number>();
  for (const { name, count } of requests) {
    const store = app?.stores?.find((s) => s.name === name);
    if (!store) return `charm storage "${name}" not found`;
    const have = (model.storage ?? []).filter((s) => s.unit === unit && s.store === name && !s.dying).length + (added.get(name) ?? 0);
    // validateCharmStorageCountChange: singular is exactly one instance, always.
    if (store.count.min === 1 && store.count.max === 1) return 'cannot attach, storage is singular';
    if (store.count.max !== -1 && have + count > store.count.max) {
      return `attaching ${count} storage instance${count === 1 ? '' : 's'} brings the total to ${have + count}, exceeding the maximum of ${store.count.max}`;
    }
    added.set(name, (added.get(name) ?? 0) + count);
  }
  return undefined;
}

/**
 * Why Juju would refuse to commit what a hook or action that exited 0 asked for, if it
 * would: the only such request the model knows is a storage-add over the charm's limits
 * (`cannot apply changes: …`, the uniter's commit of the hook's changes). The hook then
 * fails (`commitError` of `hook-exited` and `action-exited`).
 */
export function commitProblem(model: ModelRecord, unit: string, exitCode: number, requests: readonly { name: string; count: number }[]): string | undefined {
  if (exitCode !== 0 || requests.length === 0) return undefined;
  const problem = storageAddProblem(model, unit, requests);
  return problem === undefined ? undefined : `cannot apply changes: ${problem}`;
}

/**
 * Adds instances to `unit` (storage-add at commit, `charms add-storage`), each with its
 * storage-attached queued; checked first with {@link storageAddProblem}.
 * @returns the new instances' ids.
 * @throws ModelError `INVALID_STORAGE` with Juju's text when they cannot be added.
 */
export function addStorage(model: ModelRecord, unit: UnitRecord, requests: readonly { name: string; count: number; size?: number }[], effects: Effect[]): string[] {
  const problem = storageAddProblem(model, unit.name, requests);
  if (problem) throw new ModelError('INVALID_STORAGE', problem);
  const app = model.apps[unit.name.split('/')[0]!]!;
  const made = requests.flatMap(({ name, count, size }) => makeInstances(model, app, unit, app.stores!.find((s) => s.name === name)!, count, effects, size));
  const events = made.map((s) => attachedEvent(s));
  // A machine unit that has not installed yet attaches it before install, with the rest.
  const install = unit.queue.findIndex((e) => e.hook === 'install');
  if (!app.container && unit.installed === false && install !== -1) unit.queue.splice(install, 0, ...events);
  else unit.queue.push(...events);
  return made.map((s) => s.id);
}

/**
 * What Juju finds wrong with a revision's stores against the application's
 * (state/application.go checkStorageUpgrade), or undefined: a store that had to have
 * instances, or that has some, is gone; a store changed its kind or location; its maximum
 * count went down; a store with a location went from one instance to several.
 */
export function storeUpgradeProblem(model: ModelRecord, app: AppRecord, stores: readonly StoreRecord[]): string | undefined {
  const next = new Map(stores.map((store) => [store.name, store]));
  for (const old of app.stores ?? []) {
    if (next.has(old.name)) continue;
    if (old.count.min > 0) return `required storage "${old.name}" removed`;
    if ((model.storage ?? []).some((s) => s.store === old.name && s.unit.split('/')[0] === app.name)) return `in-use storage "${old.name}" removed`;
  }
  // A maximum of -1 is no maximum: lower than any other is only a number below a bigger one, or any number below -1.
  const less = (a: number, b: number) => a !== -1 && (b === -1 || a < b);
  for (const store of stores) {
    const old = (app.stores ?? []).find((s) => s.name === store.name);
    if (!old) continue;
    if (store.type !== old.type) return `existing storage "${store.name}" type changed from "${old.type}" to "${store.type}"`;
    if ((store.location ?? '') !== (old.location ?? '')) return `existing storage "${store.name}" location changed from "${old.location ?? ''}" to "${store.location ?? ''}"`;
    if (less(store.count.max, old.count.max)) return `existing storage "${store.name}" range contracted: max decreased from ${old.count.max === -1 ? '<unbounded>' : old.count.max} to ${store.count.max}`;
    if (old.location !== undefined && old.count.max === 1 && store.count.max !== 1) return `existing storage "${store.name}" with location changed from single to multiple`;
  }
  return undefined;
}

/**
 * After an upgrade: each unit gets the minimum count of a store the new revision adds,
 * each instance attached by its own hook after what the unit has queued (Juju's
 * upgradeStorageOps adds the instances with the new charm).
 */
export function newStoresStorage(model: ModelRecord, app: AppRecord, before: readonly StoreRecord[], effects: Effect[]): void {
  const added = (app.stores ?? []).filter((store) => store.count.min > 0 && !before.some((old) => old.name === store.name));
  for (const unit of app.units) {
    const made = added.flatMap((store) => makeInstances(model, app, unit, store, store.count.min, effects));
    unit.queue.push(...made.map((s) => attachedEvent(s)));
  }
}

/**
 * The unit is going: storage-detaching for each instance whose storage-attached has run,
 * queued now (before the unit's relation departures, stop and remove); the others go at once.
 */
export function detachStorage(model: ModelRecord, unit: UnitRecord, effects: Effect[]): void {
  for (const instance of (model.storage ?? []).filter((s) => s.unit === unit.name && !s.dying)) {
    if (!instance.hooked) {
      // storage/resolver.go maybeShortCircuitRemoval: never attached here, removed without a hook.
      unit.queue = unit.queue.filter((e) => e.storageId !== instance.id);
      destroy(model, instance, effects);
      continue;
    }
    instance.dying = true;
    instance.since = modelTime(model);
    unit.queue.push({ hook: `${instance.store}${DETACHING}`, storageId: instance.id });
  }
}

/** What follows a storage hook that ran or was skipped: attached, or detached and gone. */
export function storageHookDone(model: ModelRecord, hook: string, storageId: string | undefined, effects: Effect[]): void {
  const instance = model.storage?.find((s) => s.id === storageId);
  if (!instance) return;
  if (hook.endsWith(ATTACHED)) instance.hooked = true;
  if (hook.endsWith(DETACHING)) destroy(model, instance, effects);
}

/** The unit is gone: what storage it still had goes with it (the model's pools are not persistent). */
export function unitStorageGone(model: ModelRecord, unit: string, effects: Effect[]): void {
  for (const instance of (model.storage ?? []).filter((s) => s.unit === unit)) destroy(model, instance, effects);
}

function makeInstances(model: ModelRecord, app: AppRecord, unit: UnitRecord, store: StoreRecord, count: number, effects: Effect[], size?: number): StorageRecord[] {
  const made: StorageRecord[] = [];
  for (let i = 0; i < count; i += 1) {
    // One model-wide sequence for every store (state/storage.go newStorageInstanceId).
    const number = model.nextStorage ?? 0;
    model.nextStorage = number + 1;
    const id = `${store.name}/${number}`;
    const instance: StorageRecord = {
      id,
      store: store.name,
      kind: store.type,
      unit: unit.name,
      // storageConstraintsWithDefaults: Kubernetes models use `kubernetes`; machines `rootfs` or `loop`.
      pool: app.container || app.sidecar ? 'kubernetes' : store.type === 'block' ? 'loop' : 'rootfs',
      size: Math.max(size ?? store.size, store.size),
      dir: `storage/${store.name}-${number}`,
      ...(app.container ? { mountPoint: mountPoint(store, id) } : {}),
      hooked: false,
      since: modelTime(model),
    };
    (model.storage ??= []).push(instance);
    effects.push({ type: 'make-storage', id, dir: instance.dir, kind: instance.kind, size: instance.size });
    made.push(instance);
  }
  return made;
}

/**
 * state/filesystem.go FilesystemMountPoint: a store of one instance with a `location` is
 * mounted there; otherwise each instance under the location (or Juju's storage folder), by id.
 */
function mountPoint(store: StoreRecord, id: string): string {
  if (store.location !== undefined && store.count.max === 1) return store.location;
  return `${(store.location ?? JUJU_STORAGE_DIR).replace(/\/+$/, '')}/${id}`;
}

function attachedEvent(instance: StorageRecord): { hook: string; storageId: string } {
  return { hook: `${instance.store}${ATTACHED}`, storageId: instance.id };
}

function destroy(model: ModelRecord, instance: StorageRecord, effects: Effect[]): void {
  model.storage = (model.storage ?? []).filter((s) => s !== instance);
  effects.push({ type: 'remove-storage', id: instance.id, dir: instance.dir });
}
