import type { UnitState, UnitStateSnapshot, UnitStateStore } from '@charms/reactive';
import { CONFIG_SNAPSHOT_KEY } from './config-flags.js';

/**
 * The last step of a successful hook: the flags and key-value data it ended with, written
 * to the store in one atomic commit (the store makes it atomic: a temporary file and a
 * rename, or one `state-set`).
 * @throws StateStoreError (`STATE_WRITE_FAILED`, `STATE_TOO_LARGE`) from the store; the
 * committed state is then the one the hook started from.
 */
export async function commitState(store: UnitStateStore, state: UnitState): Promise<void> {
  await store.commit(state.snapshot());
}

/**
 * After a failure late in atexit: commit the previous state with only the new config
 * snapshot, as the original's separate snapshot file would have kept it. Best effort:
 * the hook has failed already.
 */
export async function keepConfigSnapshot(store: UnitStateStore, committed: UnitStateSnapshot | undefined, snapshot: unknown): Promise<void> {
  const previous = committed ?? { flags: {}, data: {} };
  await store.commit({ flags: previous.flags, data: { ...previous.data, [CONFIG_SNAPSHOT_KEY]: structuredClone(snapshot) } }).catch(() => undefined);
}
