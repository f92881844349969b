import { describe, expect, it } from 'vitest';
import { noChanges } from '@charms/hooktools/jujuc';
import { ModelError } from '../src/model-errors.js';
import { emptyModel, type ModelRecord, type StoreRecord } from '../src/model-state.js';
import { commitProblem } from '../src/scheduler-storage.js';
import { runnableUnits, transition, unitPicker } from '../src/scheduler.js';
import type { Effect, Operation } from '../src/scheduler-operations.js';

// Storage in the pure scheduler: which storage hooks a unit is given, and when, after
// Juju 2.9's uniter (worker/uniter/storage/resolver.go; docs/explanation/
// juju-actions-and-storage.md §5.2 gives the sources).

const DATA: StoreRecord = { name: 'data', type: 'filesystem', location: '/srv/data', size: 10240, count: { min: 1, max: 1 } };
const LOGS: StoreRecord = { name: 'logs', type: 'filesystem', size: 1024, count: { min: 0, max: 3 } };

function deployOp(options: { container: boolean; stores?: readonly (StoreRecord & { shared?: boolean })[] }): Extract<Operation, { type: 'deploy' }> {
  return {
    type: 'deploy', app: 'kv', charm: 'kv', charmDir: 'charms/kv', configYaml: undefined, config: {}, declaredResources: undefined, resources: {},
    endpoints: [], units: 1, stores: options.stores ?? [DATA, LOGS], container: options.container,
  };
}

function apply(model: ModelRecord, operation: Operation, effects: Effect[] = []): ModelRecord {
  const next = transition(model, operation);
  effects.push(...next.effects);
  return next.record;
}

/** Runs every queued hook, each exiting 0 with `pending` for the hooks named in it; the `unit hook [storage]` lines in order. */
function drain(model: ModelRecord, effects: Effect[] = [], pendingFor: Record<string, ReturnType<typeof noChanges>> = {}): { model: ModelRecord; ran: string[] } {
  const ran: string[] = [];
  const pick = unitPicker();
  for (let runnable = runnableUnits(model); runnable.length > 0; runnable = runnableUnits(model)) {
    const unit = pick(runnable);
    model = apply(model, { type: 'hook-started', unit }, effects);
    const event = model.apps.kv!.units.find((u) => u.name === unit)!.queue[0]!;
    ran.push(`${unit} ${event.hook}${event.storageId ? ` ${event.storageId}` : ''}`);
    model = apply(model, { type: 'hook-exited', unit, exitCode: 0, pending: pendingFor[event.hook] ?? noChanges() }, effects);
  }
  return { model: apply(model, { type: 'settled' }, effects), ran };
}

describe('storage in the scheduler', () => {
  it('a machine charm attaches its initial storage before install (storage resolver: IAAS, not installed)', () => {
    const effects: Effect[] = [];
    const { model, ran } = drain(apply(emptyModel(), deployOp({ container: false }), effects), effects);
    expect(ran).toEqual(['kv/0 data-storage-attached data/0', 'kv/0 install', 'kv/0 leader-elected', 'kv/0 config-changed', 'kv/0 start']);
    expect(model.storage).toMatchObject([{ id: 'data/0', unit: 'kv/0', kind: 'filesystem', pool: 'rootfs', size: 10240, dir: 'storage/data-0', hooked: true }]);
    expect(model.storage![0]!.mountPoint).toBeUndefined();
    expect(effects).toContainEqual({ type: 'make-storage', id: 'data/0', dir: 'storage/data-0', kind: 'filesystem', size: 10240 });
  });

  it('a container (podspec) charm attaches it after start (storage resolver: CAAS, started), mounted where metadata says', () => {
    const { model, ran } = drain(apply(emptyModel(), deployOp({ container: true })));
    expect(ran).toEqual(['kv/0 install', 'kv/0 leader-elected', 'kv/0 config-changed', 'kv/0 start', 'kv/0 data-storage-attached data/0']);
    expect(model.storage).toMatchObject([{ id: 'data/0', pool: 'kubernetes', mountPoint: '/srv/data' }]);
  });

  it('numbers instances from one model-wide sequence, and mounts a store of several under its location by id (FilesystemMountPoint)', () => {
    let model = drain(apply(emptyModel(), deployOp({ container: true }))).model;
    model = apply(model, { type: 'add-storage', unit: 'kv/0', requests: [{ name: 'logs', count: 2 }] });
    model = apply(model, { type: 'add-unit', app: 'kv', count: 1 });
    const { model: after, ran } = drain(model);
    expect(after.storage!.map((s) => [s.id, s.unit, s.mountPoint])).toEqual([
      ['data/0', 'kv/0', '/srv/data'],
      ['logs/1', 'kv/0', '/var/lib/juju/storage/logs/1'],
      ['logs/2', 'kv/0', '/var/lib/juju/storage/logs/2'],
      ['data/3', 'kv/1', '/srv/data'],
    ]);
    expect(ran.filter((line) => line.includes('storage'))).toEqual(['kv/0 logs-storage-attached logs/1', 'kv/0 logs-storage-attached logs/2', 'kv/1 data-storage-attached data/3']);
  });

  it('a unit going away detaches attached storage before its relations go and before stop; the instance and its folder go after', () => {
    const effects: Effect[] = [];
    let model = drain(apply(emptyModel(), deployOp({ container: false }))).model;
    model = apply(model, { type: 'remove-unit', unit: 'kv/0' }, effects);
    const { model: after, ran } = drain(model, effects);
    expect(ran).toEqual(['kv/0 data-storage-detaching data/0', 'kv/0 stop', 'kv/0 remove']);
    expect(after.storage).toEqual([]);
    expect(effects).toContainEqual({ type: 'remove-storage', id: 'data/0', dir: 'storage/data-0' });
  });

  it('storage never attached goes without a hook (resolver.go maybeShortCircuitRemoval)', () => {
    let model = apply(emptyModel(), deployOp({ container: true }));
    model = apply(model, { type: 'remove-unit', unit: 'kv/0' });
    expect(model.apps.kv!.units[0]!.queue.some((e) => e.storageId)).toBe(false);
    expect(model.storage).toEqual([]);
  });

  it('storage-add takes effect only when the hook commits, and its instances are attached afterwards', () => {
    let model = drain(apply(emptyModel(), deployOp({ container: false }))).model;
    const pending = { ...noChanges(), storage: [{ name: 'logs', count: 1 }] };
    model = apply(model, { type: 'run', unit: 'kv/0', hook: 'update-status' });
    model = apply(apply(model, { type: 'hook-started', unit: 'kv/0' }), { type: 'hook-exited', unit: 'kv/0', exitCode: 1, pending });
    expect(model.storage!.map((s) => s.id)).toEqual(['data/0']);
    model = apply(model, { type: 'resolve', unit: 'kv/0', retry: true });
    model = apply(apply(model, { type: 'hook-started', unit: 'kv/0' }), { type: 'hook-exited', unit: 'kv/0', exitCode: 0, pending });
    expect(model.storage!.map((s) => s.id)).toEqual(['data/0', 'logs/1']);
    expect(model.apps.kv!.units[0]!.queue).toEqual([{ hook: 'logs-storage-attached', storageId: 'logs/1' }]);
  });

  it("refuses what Juju refuses at commit, in its words (state/storage.go addStorageForUnit), and a refused commit fails the hook", () => {
    const model = drain(apply(emptyModel(), deployOp({ container: false }))).model;
    expect(commitProblem(model, 'kv/0', 0, [{ name: 'nope', count: 1 }])).toBe('cannot apply changes: charm storage "nope" not found');
    expect(commitProblem(model, 'kv/0', 0, [{ name: 'data', count: 1 }])).toBe('cannot apply changes: cannot attach, storage is singular');
    expect(commitProblem(model, 'kv/0', 0, [{ name: 'logs', count: 2 }, { name: 'logs', count: 2 }])).toBe(
      'cannot apply changes: attaching 2 storage instances brings the total to 4, exceeding the maximum of 3',
    );
    expect(commitProblem(model, 'kv/0', 1, [{ name: 'nope', count: 1 }])).toBeUndefined();
    const ran = apply(apply(apply(model, { type: 'run', unit: 'kv/0', hook: 'update-status' }), { type: 'hook-started', unit: 'kv/0' }), {
      type: 'hook-exited', unit: 'kv/0', exitCode: 0, pending: { ...noChanges(), storage: [{ name: 'nope', count: 1 }] }, commitError: 'cannot apply changes: charm storage "nope" not found',
    });
    expect(ran.apps.kv!.units[0]!.agent).toMatchObject({ status: 'error', message: 'hook failed: "update-status"' });
    expect(() => transition(model, { type: 'add-storage', unit: 'kv/0', requests: [{ name: 'data', count: 1 }] })).toThrow(ModelError);
  });

  it('refuses storage-add on a unit on its way out (addStorageForUnitOps: unit is not alive)', () => {
    let model = drain(apply(emptyModel(), deployOp({ container: false }))).model;
    model = apply(model, { type: 'remove-unit', unit: 'kv/0' });
    expect(commitProblem(model, 'kv/0', 0, [{ name: 'logs', count: 1 }])).toBe('cannot apply changes: unit is not alive');
  });

  it('checks a new revision\'s stores as Juju does (state/application.go checkStorageUpgrade) and gives units the minimum of a new store', () => {
    const model = drain(apply(emptyModel(), deployOp({ container: false }))).model;
    const upgrade = (stores: readonly StoreRecord[]): Extract<Operation, { type: 'upgrade' }> => ({ type: 'upgrade', app: 'kv', source: './kv', charm: 'kv', configYaml: undefined, endpoints: [], stores });
    const refused = (stores: readonly StoreRecord[]) => (() => transition(model, upgrade(stores)));
    expect(refused([LOGS])).toThrow('./kv cannot replace revision 1: required storage "data" removed');
    expect(refused([{ ...DATA, type: 'block', location: undefined }, LOGS])).toThrow('existing storage "data" type changed from "filesystem" to "block"');
    expect(refused([DATA, { ...LOGS, count: { min: 0, max: 2 } }])).toThrow('existing storage "logs" range contracted: max decreased from 3 to 2');
    expect(refused([{ ...DATA, count: { min: 1, max: 2 } }, LOGS])).toThrow('existing storage "data" with location changed from single to multiple');
    const CACHE: StoreRecord = { name: 'cache', type: 'filesystem', size: 1024, count: { min: 1, max: 1 } };
    const { model: after, ran } = drain(apply(model, upgrade([DATA, { ...LOGS, count: { min: 0, max: -1 } }, CACHE])));
    expect(ran).toEqual(['kv/0 upgrade-charm', 'kv/0 config-changed', 'kv/0 cache-storage-attached cache/1']);
    expect(after.storage!.map((s) => s.id)).toEqual(['data/0', 'cache/1']);
  });

  it('refuses to replay a storage hook whose instance is gone (it would run without JUJU_STORAGE_*)', () => {
    let model = drain(apply(emptyModel(), deployOp({ container: false }))).model;
    model = drain(apply(model, { type: 'add-storage', unit: 'kv/0', requests: [{ name: 'logs', count: 1 }] })).model;
    const replay = (storageId: string): Operation => ({ type: 'replay', unit: 'kv/0', event: { hook: 'logs-storage-attached', storageId } });
    expect(transition(model, replay('logs/1')).record.apps.kv!.units[0]!.queue).toEqual([{ hook: 'logs-storage-attached', storageId: 'logs/1' }]);
    expect(() => transition(model, replay('logs/7'))).toThrow('storage logs/7 of the recorded logs-storage-attached is gone');
  });

  it('refuses block storage for a container charm and shared storage, as Juju 2.9 does at deploy', () => {
    const disk: StoreRecord = { name: 'disk', type: 'block', size: 1024, count: { min: 1, max: 1 } };
    expect(() => transition(emptyModel(), deployOp({ container: true, stores: [disk] }))).toThrow('block storage "disk" is not supported for container charms');
    expect(() => transition(emptyModel(), deployOp({ container: false, stores: [{ ...DATA, shared: true }] }))).toThrow('charm "kv" store "data": shared storage support not implemented');
    expect(transition(emptyModel(), deployOp({ container: false, stores: [disk] })).record.storage).toMatchObject([{ id: 'disk/0', kind: 'block', pool: 'loop' }]);
  });
});
