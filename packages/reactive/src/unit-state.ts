/**
 * What a unit remembers between hooks: the flags that are set (with their values) and
 * the key-value data that handlers and the framework keep (`@onlyOnce` marks,
 * `dataChanged` hashes, trigger lists, the config snapshot). Every value is plain JSON.
 */
export interface UnitStateSnapshot {
  readonly flags: Readonly<Record<string, unknown>>;
  readonly data: Readonly<Record<string, unknown>>;
}

/**
 * The live, uncommitted state of one hook. It starts as a copy of the last committed
 * snapshot; handlers change it freely; `snapshot()` gives what to commit when the hook
 * succeeds. Dropping it is the rollback.
 */
export class UnitState {
  /** Flags that are set, in the order they were set. */
  readonly flags: Map<string, unknown>;
  /** Unit key-value data. */
  readonly data: Map<string, unknown>;

  constructor(committed?: UnitStateSnapshot) {
    // Copy so that nothing done during the hook can reach the committed document.
    const copy = committed ? structuredClone(committed) : { flags: {}, data: {} };
    this.flags = new Map(Object.entries(copy.flags));
    this.data = new Map(Object.entries(copy.data));
  }

  /** A detached copy of the current state, keys sorted, ready to commit. */
  snapshot(): UnitStateSnapshot {
    return structuredClone({ flags: sortedRecord(this.flags), data: sortedRecord(this.data) });
  }
}

function sortedRecord(map: Map<string, unknown>): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const key of [...map.keys()].sort()) record[key] = map.get(key);
  return record;
}
