import type { HookContext, HookTools } from '@charms/hooktools';
import type { LifecycleCallback, ReactiveContext } from '@charms/reactive';
import { CombinedUnitsView } from './combined-units-view.js';
import { DepartedUnits, type StoredDepartedUnit } from './departed-units.js';
import { EndpointError } from './endpoint-error.js';
import { KeyList } from './key-list.js';
import { LOAD, LOAD_UNITS, FLUSH, type RelationAccess } from './relation-access.js';
import { RelatedUnit } from './related-unit.js';
import { Relation } from './relation.js';
import { settingsSecretsNote } from './settings-secrets.js';

/** A relation endpoint of the charm, as metadata.yaml declares it. */
export interface EndpointSpec {
  readonly name: string;
  readonly role: 'requires' | 'provides' | 'peers';
  readonly interface: string;
}

/** What an endpoint needs to know of the hook: who this unit is, and the relation variables. */
export type EndpointHookInfo = Pick<HookContext, 'hookName' | 'unitName' | 'appName'> &
  Partial<Pick<HookContext, 'relationId' | 'remoteUnit' | 'departingUnit'>>;

/** The relations of an endpoint, in relation-id string order; `get('db:3')` finds one. */
export class RelationList extends KeyList<Relation> {
  /** @internal */
  constructor(relations: Iterable<Relation>) {
    super(relations, (relation) => relation.relationId);
  }

  /** @internal Drops a relation for the rest of the hook. */
  drop(relationId: string): void {
    this.removeKey(relationId);
  }
}

/** Starts an endpoint for one hook; the runtime calls it at atstart. Internal. */
export const START = Symbol('start');

const DEPARTED_PREFIX = 'reactive.endpoints.departed.';

/**
 * A relation endpoint of the charm, and the base class of interface layers (the
 * original's `Endpoint`). The runtime makes one instance per endpoint of metadata.yaml
 * for each hook (of the class registered for its interface and role, else of this
 * class), manages its automatic flags at the start of the hook, and sends what its
 * relations' `toPublish*` bags were given at the end of a successful hook.
 *
 * Automatic flags: `endpoint.<name>.joined` while a remote unit is in scope;
 * `.departed` in the `-departed` hook (cleared at the start of any later hook while
 * still joined); `.changed` and `.changed.<key>` when a remote unit's value changed
 * (JSON-decoded, compared with the last value seen for that relation, unit and key;
 * checked only in this endpoint's relation hooks once joined). `changed` and
 * `departed` are the handlers' to clear.
 *
 * Subclasses add handlers with the reactive decorators; `{endpoint_name}` in a flag is
 * replaced by the endpoint's name, and each method is registered once per endpoint of
 * the class's interface and role, with the endpoint as `this`:
 *
 * @example
 * export class HttpProvides extends Endpoint {
 *   @when('endpoint.{endpoint_name}.joined')
 *   @whenNot('{endpoint_name}.available')
 *   joined() {
 *     setFlag(this.expandName('{endpoint_name}.available'));
 *   }
 *   configure(port: number) {
 *     for (const relation of this.relations) relation.toPublish.set('port', port);
 *   }
 * }
 * export default defineInterface('http', { provides: HttpProvides });
 *
 * The relation data is read from Juju once per hook and kept: handlers of the class,
 * `manageFlags`, `registerTriggers`, `endpointFromFlag` and `endpointFromName` find it
 * loaded; elsewhere `await endpoint.load()` first.
 */
export class Endpoint {
  /** The endpoint's name in metadata.yaml. */
  readonly name: string;
  readonly role: EndpointSpec['role'];
  readonly interface: string;
  readonly #tools: HookTools;
  #hook: EndpointHookInfo | undefined;
  #context: ReactiveContext | undefined;
  #relationIds: Promise<string[]> | undefined;
  readonly #units = new Map<string, Promise<string[]>>();
  #relations: RelationList | undefined;
  #relationsLoading: Promise<RelationList> | undefined;
  #loading: Promise<void> | undefined;
  #allJoinedUnits: CombinedUnitsView | undefined;
  #departed: DepartedUnits | undefined;

  /** The runtime makes endpoints; a test may make one over in-memory tools. */
  constructor(spec: EndpointSpec, tools: HookTools, hook?: EndpointHookInfo) {
    this.name = spec.name;
    this.role = spec.role;
    this.interface = spec.interface;
    this.#tools = tools;
    this.#hook = hook;
  }

  /** The endpoint's name in metadata.yaml (the original's `endpoint_name`). */
  get endpointName(): string {
    return this.name;
  }

  /**
   * The endpoint's relations, in relation-id string order (`db:10` before `db:9`). In
   * the `-departed` hook of a relation's last unit, that relation is left out.
   * @throws EndpointError (`NOT_LOADED`) before the hook's start has read them.
   */
  get relations(): RelationList {
    if (!this.#relations) {
      throw new EndpointError('NOT_LOADED', `the relations of endpoint '${this.name}' are not loaded: call 'await endpoint.load()' first`);
    }
    return this.#relations;
  }

  /** Whether a remote unit is in scope on any relation. @throws EndpointError (`NOT_LOADED`) */
  get isJoined(): boolean {
    return this.allJoinedUnits.length > 0;
  }

  /** The remote units of every relation, by relation id then unit name; `.received` merges their data. @throws EndpointError (`NOT_LOADED`) */
  get allJoinedUnits(): CombinedUnitsView {
    return (this.#allJoinedUnits ??= new CombinedUnitsView([...this.relations].flatMap((relation) => [...relation.joinedUnits])));
  }

  /** Same as {@link allJoinedUnits}. */
  get joinedUnits(): CombinedUnitsView {
    return this.allJoinedUnits;
  }

  /**
   * The units that left, with their last data, kept in unit state until removed.
   * @throws EndpointError (`NOT_LOADED`) outside a hook's run.
   */
  get allDepartedUnits(): DepartedUnits {
    if (!this.#departed) {
      const context = this.#context;
      if (!context) throw new EndpointError('NOT_LOADED', `the departed units of endpoint '${this.name}' are read from unit state while a hook runs`);
      const key = DEPARTED_PREFIX + this.name;
      const stored = context.kv.get<StoredDepartedUnit[]>(key) ?? [];
      // Read from unit state, not through relation-get: their secrets are masked as the live units' are.
      const note = settingsSecretsNote(this.#tools);
      for (const item of stored) note?.(item.data);
      this.#departed = new DepartedUnits(
        context.kv,
        key,
        stored.map((item) => new RelatedUnit(this.#relations?.get(item.relation) ?? new Relation(item.relation, []), item.unit_name, undefined, item.data)),
      );
    }
    return this.#departed;
  }

  /**
   * This endpoint's version of a flag: without `{endpoint_name}` the flag is prefixed
   * with `endpoint.{endpoint_name}.`; then `{endpoint_name}` becomes the name.
   * @example db.expandName('changed') // 'endpoint.db.changed'; db.expandName('{endpoint_name}.ready') // 'db.ready'
   */
  expandName(flag: string): string {
    const template = flag.includes('{endpoint_name}') ? flag : `endpoint.{endpoint_name}.${flag}`;
    return template.replaceAll('{endpoint_name}', this.name);
  }

  /**
   * Override to manage the interface's own flags at the start of a hook, after the
   * automatic ones. Called when the endpoint was not joined before the hook, or in its
   * own relation hooks (the original's rule, to spare the controller).
   */
  manageFlags(): void | Promise<void> {}

  /**
   * Override to register triggers (with `this.expandName` for the flag names) at the
   * start of every hook, before the automatic flags change, so they fire on them.
   */
  registerTriggers(): void | Promise<void> {}

  /**
   * Reads every bag of every relation from Juju, once per hook: remote units', this
   * unit's, both applications'. A bag that could not be read (this application's on a
   * non-peer relation, when not the leader) throws its error where it is used.
   */
  load(): Promise<void> {
    return (this.#loading ??= (async () => {
      for (const relation of await this.#loadRelations()) await relation[LOAD]();
    })());
  }

  /** Relation ids such as `db:3`, asked of Juju once. */
  relationIds(): Promise<string[]> {
    return (this.#relationIds ??= this.#tools.relationIds(this.name));
  }

  /** Remote units of one relation (unsorted, as Juju lists them), asked once per relation. */
  units(relationId: string): Promise<string[]> {
    let units = this.#units.get(relationId);
    if (!units) this.#units.set(relationId, (units = this.#tools.relationList(relationId)));
    return units;
  }

  /** What a remote unit (or, with `app: true`, an application) published, read now. */
  received(relationId: string, unit: string, options: { app?: boolean } = {}): Promise<Record<string, string>> {
    return this.#tools.relationGet({ relationId, unit, app: options.app });
  }

  /**
   * Publishes now (one `relation-set` per relation; Juju applies it when the hook
   * succeeds) on every relation of this endpoint, or one; `app: true` for the
   * application bag (leader only). Interface layers use `toPublish`, sent whole at the end.
   */
  async publish(data: Readonly<Record<string, string>>, options: { relationId?: string; app?: boolean } = {}): Promise<void> {
    const ids = options.relationId ? [options.relationId] : await this.relationIds();
    for (const relationId of ids) await this.#tools.relationSet(data, { relationId, app: options.app });
  }

  /** Reads the relations and their units once (ids sorted as strings; the departing unit left out). */
  #loadRelations(): Promise<RelationList> {
    return (this.#relationsLoading ??= (async () => {
      const hook = this.#hook;
      const access: RelationAccess = {
        tools: this.#tools,
        unitName: hook?.unitName ?? '',
        appName: hook?.appName ?? '',
        peer: this.role === 'peers',
      };
      // Juju prefixes ids with the endpoint name; add it should it ever stop.
      const ids = (await this.relationIds()).map((id) => (id.includes(':') ? id : `${this.name}:${id}`)).sort(compare);
      const relations: Relation[] = [];
      for (const id of ids) {
        const units = (await this.units(id)).filter((unit) => unit !== hook?.departingUnit).sort(compare);
        relations.push(new Relation(id, units, access, this));
      }
      return (this.#relations = new RelationList(relations));
    })());
  }

  /**
   * @internal The hook's start for this endpoint, as the original's `_startup`: its
   * triggers, the departing unit, the automatic flags and `manageFlags`, then the
   * sending of its bags registered for the end of the hook.
   */
  async [START](context: ReactiveContext & { atexit?: (callback: LifecycleCallback) => void }, hook: EndpointHookInfo): Promise<void> {
    this.#hook ??= hook;
    this.#context = context;
    const relations = await this.#loadRelations();
    if (this.registerTriggers !== Endpoint.prototype.registerTriggers) {
      await this.load();
      await this.registerTriggers();
    }
    const relationHook = hook.hookName.startsWith(`${this.name}-relation-`);
    const departedHook = relationHook && hook.hookName.endsWith('-departed');
    if (departedHook) await this.#manageDeparted(relations, hook);
    await this.#manageFlags(context, relationHook, departedHook);
    for (const relation of relations) context.atexit?.(() => relation[FLUSH]());
  }

  async #manageDeparted(relations: RelationList, hook: EndpointHookInfo): Promise<void> {
    const relationId = hook.relationId ?? relations.at(0)?.relationId ?? `${this.name}:?`;
    const relation = relations.get(relationId);
    if (!relation) throw new EndpointError('RELATION_NOT_FOUND', `endpoint '${this.name}' has no relation '${relationId}' in its departed hook`);
    const unitName = hook.remoteUnit ?? hook.departingUnit;
    if (!unitName) throw new EndpointError('RELATION_NOT_FOUND', `endpoint '${this.name}': no remote unit in its departed hook`);
    const unit = new RelatedUnit(relation, unitName, (name) => this.#tools.relationGet({ relationId, unit: name }));
    await unit[LOAD]();
    this.allDepartedUnits.append(unit);
    if (relation.joinedUnits.length === 0) relations.drop(relationId);
  }

  async #manageFlags(context: ReactiveContext, relationHook: boolean, departedHook: boolean): Promise<void> {
    const joined = this.expandName('joined');
    const alreadyJoined = context.isFlagSet(joined);
    context.toggleFlag(joined, this.isJoined);
    if (departedHook) context.setFlag(this.expandName('departed'));
    else if (this.isJoined) context.clearFlag(this.expandName('departed'));
    // Once joined, data is compared only in the endpoint's own relation hooks, to
    // spare the controller (the original's rule).
    if (alreadyJoined && !relationHook) return;
    for (const relation of this.relations) await relation[LOAD_UNITS]();
    for (const unit of this.allJoinedUnits) {
      for (const [key, value] of unit.received.entries()) {
        if (context.dataChanged(`endpoint.${this.name}.${unit.relation.relationId}.${unit.unitName}.${key}`, value)) {
          context.setFlag(this.expandName('changed'));
          context.setFlag(this.expandName(`changed.${key}`));
        }
      }
    }
    if (this.manageFlags !== Endpoint.prototype.manageFlags) {
      await this.load();
      await this.manageFlags();
    }
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
