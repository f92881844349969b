import { load, use, type Loaded } from './loaded-value.js';
import { LOAD } from './relation-access.js';
import type { Relation } from './relation.js';
import { JsonUnitDataView, UnitDataView, type RawBag } from './unit-data-view.js';

/**
 * A remote unit on a relation (the original's `RelatedUnit`): its name, its relation,
 * and what it published, read once per hook with `relation-get`.
 */
export class RelatedUnit {
  readonly relation: Relation;
  readonly unitName: string;
  /** The unit's application, from its name (`wordpress/0` → `wordpress`). */
  readonly applicationName: string;
  #data: Loaded<JsonUnitDataView> | undefined;
  readonly #read: ((unit: string) => Promise<Record<string, string>>) | undefined;

  /** @internal The runtime builds units; `data` is given for a departed unit kept in unit state. */
  constructor(relation: Relation, unitName: string, read?: (unit: string) => Promise<Record<string, string>>, data?: RawBag) {
    this.relation = relation;
    this.unitName = unitName;
    this.applicationName = unitName.split('/')[0]!;
    this.#read = read;
    if (data) this.#data = { value: new JsonUnitDataView(new UnitDataView({ ...data })) };
  }

  /** What the unit published, JSON-decoded (a value that is not JSON stays a string). */
  get received(): JsonUnitDataView {
    return use(this.#data, `the data of ${this.unitName} on ${this.relation.relationId}`);
  }

  /** What the unit published, as raw strings. */
  get receivedRaw(): UnitDataView {
    return this.received.raw;
  }

  /** @internal Reads the unit's bag once. */
  async [LOAD](): Promise<void> {
    if (this.#data || !this.#read) return;
    const loaded = await load(this.#read(this.unitName));
    this.#data ??= 'error' in loaded ? loaded : { value: new JsonUnitDataView(new UnitDataView({ ...loaded.value })) };
  }
}
