import type { UnitStateSnapshot } from './unit-state.js';

/**
 * Where committed unit state lives between hooks. `load` returns the last committed
 * snapshot (or `undefined` before the first commit); `commit` replaces it as one
 * atomic step. The runtime calls `commit` once, only after a hook succeeds.
 */
export interface UnitStateStore {
  load(): Promise<UnitStateSnapshot | undefined>;
  commit(snapshot: UnitStateSnapshot): Promise<void>;
}

/**
 * A {@link UnitStateStore} in memory, for tests and the conformance runner. It keeps
 * its own copy, so a caller can never change committed state by accident.
 *
 * @example
 * const store = new MemoryUnitStateStore({ flags: { 'app.installed': null }, data: {} });
 */
export class MemoryUnitStateStore implements UnitStateStore {
  #committed: UnitStateSnapshot | undefined;
  /** How many times `commit` was called. */
  commits = 0;

  constructor(initial?: UnitStateSnapshot) {
    this.#committed = initial ? structuredClone(initial) : undefined;
  }

  async load(): Promise<UnitStateSnapshot | undefined> {
    return this.#committed ? structuredClone(this.#committed) : undefined;
  }

  async commit(snapshot: UnitStateSnapshot): Promise<void> {
    this.#committed = structuredClone(snapshot);
    this.commits += 1;
  }

  /** The committed snapshot, synchronously (a copy). */
  peek(): UnitStateSnapshot | undefined {
    return this.#committed ? structuredClone(this.#committed) : undefined;
  }
}
