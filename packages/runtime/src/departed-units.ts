import type { UnitKeyValue } from '@charms/reactive';
import { KeyList } from './key-list.js';
import type { RelatedUnit } from './related-unit.js';

/** How a departed unit is kept in unit state (the original's format, so state carries over). */
export interface StoredDepartedUnit {
  readonly relation: string;
  readonly unit_name: string;
  readonly data: Record<string, string | null>;
}

/**
 * The units that left any relation of an endpoint, with the data they had (the
 * original's `all_departed_units`). Kept in unit state, committed with the hook, until
 * the charm removes them (`clear()` or `remove(unit)`), so a handler can clean up after
 * each unit that left.
 */
export class DepartedUnits extends KeyList<RelatedUnit> {
  readonly #kv: UnitKeyValue;
  readonly #key: string;

  /** @internal The endpoint builds it from unit state. */
  constructor(kv: UnitKeyValue, key: string, units: Iterable<RelatedUnit>) {
    super(units, (unit) => unit.unitName);
    this.#kv = kv;
    this.#key = key;
  }

  /** Forgets every departed unit. */
  clear(): void {
    this.items.length = 0;
    this.#save();
  }

  /**
   * Forgets one departed unit: that very object, or the first of that name (a unit of an
   * application related twice departs once from each relation, under one name); true if
   * it was there.
   */
  remove(unit: RelatedUnit | string): boolean {
    let removed: boolean;
    if (typeof unit === 'string') removed = this.removeKey(unit);
    else {
      const index = this.items.indexOf(unit);
      removed = index !== -1;
      if (removed) this.items.splice(index, 1);
    }
    if (removed) this.#save();
    return removed;
  }

  /** @internal Adds the unit that is departing in this hook. */
  append(unit: RelatedUnit): void {
    this.items.push(unit);
    this.#save();
  }

  #save(): void {
    if (this.items.length === 0) this.#kv.unset(this.#key);
    else {
      const stored: StoredDepartedUnit[] = this.items.map((unit) => ({
        relation: unit.relation.relationId,
        unit_name: unit.unitName,
        data: unit.receivedRaw.toObject(),
      }));
      this.#kv.set(this.#key, stored);
    }
  }
}
