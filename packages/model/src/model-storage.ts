/**
 * `LocalModel.addStorage`'s change to the model: `juju add-storage`'s directives read as
 * Juju reads them (storage-requests.ts) become the scheduler's `add-storage` operation,
 * and the operation's new instances are the answer. The listing (`storage()`) is
 * storage-listing.ts, read by model-reader.ts.
 */
import type { ModelRecord } from './model-state.js';
import type { Operation } from './scheduler-operations.js';
import { storageRequests } from './storage-requests.js';

/**
 * Adds the instances `directives` ask for to `unit`, inside a running operation.
 * @param state the operation's record now.
 * @param apply carries out a scheduler operation and returns the next record.
 * @returns the ids of the new instances, in order.
 * @throws ModelError `NOT_FOUND` (unit); `INVALID_STORAGE` for a directive Juju refuses
 *   (its texts); nothing is applied then.
 */
export function addStorageTo(state: ModelRecord, apply: (operation: Operation) => ModelRecord, unit: string, directives: readonly string[]): string[] {
  const before = new Set((state.storage ?? []).map((s) => s.id));
  const after = apply({ type: 'add-storage', unit, requests: storageRequests(state, unit, directives) });
  return (after.storage ?? []).filter((s) => !before.has(s.id)).map((s) => s.id);
}
