/**
 * `juju add-storage`'s directives checked against a unit's charm, before the scheduler adds
 * them (cmd/juju/storage/add.go, state/storage.go): the store's pool and minimum size. The
 * counts are the scheduler's to check (scheduler-storage.ts), as they are storage-add's.
 */
import type { StoreDeclaration } from '@charms/manifest';
import { parseStorageDirectives } from '@charms/hooktools/jujuc';
import { iecSize } from './iec-size.js';
import { ModelError } from './model-errors.js';
import { findApp, findUnit, type ModelRecord, type StoreRecord } from './model-state.js';
import { storageAddProblem } from './scheduler-storage.js';

/** A store of the charm's metadata as the model records it. */
export function storeRecord({ name, type, location, size, count, shared }: StoreDeclaration): StoreRecord & { shared: boolean } {
  return { name, type, ...(location !== undefined ? { location } : {}), size, count, shared };
}

/**
 * The requests `directives` (`<store>[=<pool>,<count>,<size>]`) make of `unit`'s stores.
 * @throws ModelError `NOT_FOUND` (unit), `INVALID_STORAGE` with Juju's words
 *   (`failed to add storage "<s>" to <unit>: …`).
 */
export function storageRequests(model: ModelRecord, unit: string, directives: readonly string[]): { name: string; count: number; size?: number }[] {
  findUnit(model, unit);
  const app = findApp(model, unit.split('/')[0]!);
  if (directives.length === 0) throw new ModelError('INVALID_STORAGE', 'add-storage requires a unit and a storage directive');
  let parsed;
  try {
    parsed = parseStorageDirectives(directives);
  } catch (error) {
    throw new ModelError('INVALID_STORAGE', (error as Error).message);
  }
  const requests = parsed.map(({ name, count, pool, size }) => {
    const fail = (reason: string) => new ModelError('INVALID_STORAGE', `failed to add storage "${name}" to ${unit}: ${reason}`);
    const store = app.stores?.find((s) => s.name === name);
    if (!store) throw fail(`charm storage "${name}" not found`);
    // The model has one pool per kind of storage, Juju's default for it.
    const only = app.container || app.sidecar ? 'kubernetes' : store.type === 'block' ? 'loop' : 'rootfs';
    if (pool !== undefined && pool !== only) throw fail(`pool "${pool}" not found (the local model's pool for ${store.type} storage of this charm is "${only}")`);
    if (size !== undefined && size < store.size) throw fail(`charm "${app.charm}" store "${name}": minimum storage size is ${iecSize(store.size)}, ${iecSize(size)} specified`);
    return { name, count, ...(size !== undefined ? { size } : {}) };
  });
  // The counts, checked as the scheduler will (scheduler-storage.ts), worded as add.go words
  // a failure: the store that cannot be added named first.
  for (let i = 0; i < requests.length; i += 1) {
    const problem = storageAddProblem(model, unit, requests.slice(0, i + 1));
    if (problem) throw new ModelError('INVALID_STORAGE', `failed to add storage "${requests[i]!.name}" to ${unit}: ${problem}`);
  }
  return requests;
}
