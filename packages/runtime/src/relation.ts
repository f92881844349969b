import { CombinedUnitsView } from './combined-units-view.js';
import type { Endpoint } from './endpoint.js';
import { load, use, type Loaded } from './loaded-value.js';
import { FLUSH, LOAD, LOAD_UNITS, type RelationAccess } from './relation-access.js';
import { RelatedUnit } from './related-unit.js';
import { settingsSecretsNote } from './settings-secrets.js';
import { JsonUnitDataView, UnitDataView, type RawBag } from './unit-data-view.js';

/**
 * One established relation of an endpoint (the original's `Relation`): its id, the
 * remote application, the units that joined, what they and their application sent,
 * and the bags this unit (and, as leader, its application) publishes. Bags are read
 * once per hook; assignments to `toPublish*` are sent at the end of a successful hook,
 * the whole bag in one `relation-set`, and are dropped when the hook fails.
 */
export class Relation {
  readonly relationId: string;
  /** The endpoint's name (`db` for `db:3`). */
  readonly endpointName: string;
  readonly #endpoint: Endpoint | undefined;
  readonly #access: RelationAccess | undefined;
  readonly #units: CombinedUnitsView;
  #local: Loaded<JsonUnitDataView> | undefined;
  #localApp: Loaded<JsonUnitDataView> | undefined;
  #remoteApp: Loaded<JsonUnitDataView> | undefined;

  /**
   * @internal The runtime builds relations. Without `access` the relation is one that
   * is gone (the relation of a departed unit kept in unit state): it has no units and
   * no data.
   */
  constructor(relationId: string, unitNames: readonly string[], access?: RelationAccess, endpoint?: Endpoint) {
    this.relationId = relationId;
    this.endpointName = relationId.split(':')[0]!;
    this.#endpoint = endpoint;
    this.#access = access;
    const read = access
      ? (unit: string) => access.tools.relationGet({ relationId, unit })
      : undefined;
    this.#units = new CombinedUnitsView(unitNames.map((name) => new RelatedUnit(this, name, read)));
  }

  /** The endpoint this relation belongs to. */
  get endpoint(): Endpoint | undefined {
    return this.#endpoint;
  }

  /**
   * The remote application: that of the first joined unit; with no unit joined (a
   * single-unit peer relation, a relation being broken), this unit's own application,
   * as in the original.
   */
  get applicationName(): string {
    return this.#units.at(0)?.applicationName ?? this.#access?.appName ?? '';
  }

  /** The remote units in scope, by name (string order). */
  get joinedUnits(): CombinedUnitsView {
    return this.#units;
  }

  /** Same as {@link joinedUnits}. */
  get units(): CombinedUnitsView {
    return this.#units;
  }

  /** What this unit publishes, JSON-encoded on assignment (Python's `json.dumps(v, sort_keys=True)`). */
  get toPublish(): JsonUnitDataView {
    return use(this.#local, `this unit's data on ${this.relationId}`);
  }

  /** What this unit publishes, raw strings (for interfaces that do not use JSON). */
  get toPublishRaw(): UnitDataView {
    return this.toPublish.raw;
  }

  /** What this application publishes (the leader only may assign), JSON-encoded. */
  get toPublishApp(): JsonUnitDataView {
    return use(this.#localApp, `this application's data on ${this.relationId}`);
  }

  /** What this application publishes, raw strings. */
  get toPublishAppRaw(): UnitDataView {
    return this.toPublishApp.raw;
  }

  /** What the remote application published, JSON-decoded. */
  get receivedApp(): JsonUnitDataView {
    return use(this.#remoteApp, `the application data of ${this.applicationName} on ${this.relationId}`);
  }

  /** What the remote application published, raw strings. */
  get receivedAppRaw(): UnitDataView {
    return this.receivedApp.raw;
  }

  /** @internal Reads the joined units' bags once. */
  async [LOAD_UNITS](): Promise<void> {
    for (const unit of this.#units) await unit[LOAD]();
  }

  /** @internal Reads every bag once: this unit's, both applications', the units'. An error is kept for where the bag is used. */
  async [LOAD](): Promise<void> {
    const access = this.#access;
    if (!access) return;
    const { tools, unitName, appName } = access;
    const relationId = this.relationId;
    // A value assigned under a secret key is masked from then on, not only once the
    // relation-set at the end of the hook sends it.
    const note = settingsSecretsNote(tools);
    const noteSet = note && ((key: string, value: string) => note({ [key]: value }));
    this.#local ??= await loadBag(tools.relationGet({ relationId, unit: unitName }), true, noteSet);
    this.#localApp ??= await loadBag(tools.relationGet({ relationId, unit: appName, app: true }), true, noteSet);
    this.#remoteApp ??= await loadBag(tools.relationGet({ relationId, unit: this.applicationName, app: true }), false);
    await this[LOAD_UNITS]();
  }

  /** @internal Sends the modified bags: this unit's, then the application's. */
  async [FLUSH](): Promise<void> {
    const tools = this.#access?.tools;
    if (!tools) return;
    const local = this.#local && 'value' in this.#local ? this.#local.value : undefined;
    const localApp = this.#localApp && 'value' in this.#localApp ? this.#localApp.value : undefined;
    // `null` travels as JSON null (YAML null), which Juju takes as "delete the key".
    if (local?.modified) await tools.relationSet(local.raw.toObject() as Record<string, string>, { relationId: this.relationId });
    if (localApp?.modified) await tools.relationSet(localApp.raw.toObject() as Record<string, string>, { relationId: this.relationId, app: true });
  }
}

async function loadBag(read: Promise<Record<string, string>>, writeable: boolean, noteSet?: (key: string, value: string) => void): Promise<Loaded<JsonUnitDataView>> {
  const loaded = await load(read);
  return 'error' in loaded ? loaded : { value: new JsonUnitDataView(new UnitDataView({ ...loaded.value } as RawBag, writeable, noteSet)) };
}
