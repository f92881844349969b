import { KeyList } from './key-list.js';
import type { RelatedUnit } from './related-unit.js';
import { JsonUnitDataView, UnitDataView, type RawBag } from './unit-data-view.js';

/**
 * Units of one relation or of every relation of an endpoint (the original's
 * `CombinedUnitsView`), ordered by relation id and then unit name, both compared as
 * strings (`db:10` before `db:9`, `app/10` before `app/9`). `get(unitName)` finds a unit;
 * `received` merges every unit's data, the first unit in that order winning for a key.
 * A unit of an application related twice appears twice.
 */
export class CombinedUnitsView extends KeyList<RelatedUnit> {
  #received: JsonUnitDataView | undefined;

  constructor(units: Iterable<RelatedUnit>) {
    super(
      [...units].sort((a, b) => compare(a.relation.relationId, b.relation.relationId) || compare(a.unitName, b.unitName)),
      (unit) => unit.unitName,
    );
  }

  /** Every unit's data merged and JSON-decoded; for a key, the first unit that has it wins. */
  get received(): JsonUnitDataView {
    if (!this.#received) {
      const merged: RawBag = {};
      for (const unit of [...this.items].reverse()) Object.assign(merged, unit.receivedRaw.toObject());
      this.#received = new JsonUnitDataView(new UnitDataView(merged));
    }
    return this.#received;
  }

  /** Every unit's data merged, as raw strings. */
  get receivedRaw(): UnitDataView {
    return this.received.raw;
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
