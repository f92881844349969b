import type { CharmServices, EndpointHookInfo } from '@charms/runtime';
import type { FixtureRelation } from './fixture-schema.js';

type HookTools = CharmServices['tools'];
type Bag = Record<string, string>;

/** The unit every Endpoint fixture runs as, and its application. */
export const LOCAL_UNIT = 'oracle-charm/0';
export const LOCAL_APP = 'oracle-charm';

/** A relation of the world, every default filled in. */
interface WorldRelation {
  readonly endpoint: string;
  readonly app: string;
  readonly peer: boolean;
  readonly units: Record<string, Bag>;
  readonly departing: Record<string, Bag>;
  app_data: Bag;
  local_unit_data: Bag;
  local_app_data: Bag;
}

/** One accepted `relation-set`, as the results list it. */
export interface RelationSetCall {
  readonly relation_id: string;
  readonly app: boolean;
  readonly settings: Record<string, string | null>;
}

/** A hook tool that exited non-zero (charm-helpers raises `CalledProcessError`). */
export class FixtureToolError extends Error {
  readonly tool: string;
  readonly argv: readonly string[];
  readonly exitCode: number;

  constructor(tool: string, argv: readonly string[], exitCode: number, stderr: string) {
    super(`Command '${[tool, ...argv].join(' ')}' returned non-zero exit status ${exitCode}: ${stderr}`);
    this.name = 'FixtureToolError';
    this.tool = tool;
    this.argv = argv;
    this.exitCode = exitCode;
  }
}

const RELATION_HOOK = /^(.+)-relation-(created|joined|changed|departed|broken)$/;

/**
 * The relation state of an Endpoint fixture across its hooks
 * (shared/endpoints/README.md, "World across hooks"), the hook environment it implies,
 * and hook tools that answer from it as Juju 2.9 does.
 */
export class FixtureWorld {
  #relations = new Map<string, WorldRelation>();
  #leader: boolean;
  readonly #peers: ReadonlySet<string>;

  constructor(relations: Record<string, FixtureRelation> | undefined, leader: boolean | undefined, peers: Iterable<string>) {
    this.#peers = new Set(peers);
    this.#leader = leader ?? true;
    this.#replace(relations ?? {});
  }

  /** What a hook entry changes before it runs: the relations, leadership. */
  enter(entry: { relations?: Record<string, FixtureRelation>; leader?: boolean }): void {
    if (entry.relations) this.#replace(entry.relations);
    if (entry.leader !== undefined) this.#leader = entry.leader;
  }

  #replace(relations: Record<string, FixtureRelation>): void {
    const next = new Map<string, WorldRelation>();
    for (const [id, relation] of Object.entries(relations)) {
      const previous = this.#relations.get(id);
      const endpoint = relation.endpoint ?? id.split(':')[0]!;
      const peer = this.#peers.has(endpoint);
      const units = structuredClone(relation.units ?? {});
      const firstUnit = Object.keys(units)[0];
      const app = relation.app ?? (peer ? LOCAL_APP : firstUnit?.split('/')[0]);
      if (app === undefined) throw new Error(`relation ${id}: no units and no app`);
      next.set(id, {
        endpoint,
        app,
        peer,
        units,
        departing: structuredClone(relation.departing ?? {}),
        app_data: { ...(relation.app_data ?? (peer ? previous?.app_data : undefined) ?? {}) },
        local_unit_data: { ...(relation.local_unit_data ?? previous?.local_unit_data ?? {}) },
        local_app_data: { ...(relation.local_app_data ?? previous?.local_app_data ?? {}) },
      });
    }
    this.#relations = next;
  }

  /** The hook variables: for `<endpoint>-relation-<event>`, the relation, remote unit and departing unit. */
  hookInfo(hookName: string, entry: { relation_id?: string; remote_unit?: string | null }): EndpointHookInfo & { relationName?: string } {
    const base = { hookName, unitName: LOCAL_UNIT, appName: LOCAL_APP };
    const match = RELATION_HOOK.exec(hookName);
    if (!match) return base;
    const [, relationName, event] = match as unknown as [string, string, string];
    const relationId =
      entry.relation_id ?? [...this.#relations].find(([, relation]) => relation.endpoint === relationName)?.[0] ?? `${relationName}:0`;
    const relation = this.#relations.get(relationId);
    let remoteUnit: string | undefined;
    if ('remote_unit' in entry) remoteUnit = entry.remote_unit ?? undefined;
    else if (event === 'departed') remoteUnit = Object.keys(relation?.departing ?? {}).sort()[0];
    else if (event !== 'created' && event !== 'broken') remoteUnit = Object.keys(relation?.units ?? {}).sort()[0];
    return { ...base, relationName, relationId, remoteUnit, departingUnit: event === 'departed' ? remoteUnit : undefined };
  }

  /** Hook tools over this world for one hook; `calls` lists the accepted `relation-set`s. */
  tools(): { tools: HookTools; calls: RelationSetCall[] } {
    const calls: RelationSetCall[] = [];
    const world = this;
    const relation = (tool: string, argv: string[], id: string | undefined): WorldRelation => {
      const found = id === undefined ? undefined : world.#relations.get(id);
      if (!found) throw new FixtureToolError(tool, argv, 2, `ERROR invalid value "${id}" for option -r: relation not found`);
      return found;
    };
    const tools = {
      async isLeader() {
        return world.#leader;
      },
      async relationIds(endpoint: string) {
        return [...world.#relations].filter(([, r]) => r.endpoint === endpoint).map(([id]) => id);
      },
      async relationList(relationId?: string) {
        return Object.keys(relation('relation-list', ['--format=json', '-r', String(relationId)], relationId).units).sort();
      },
      async relationGet(options: { relationId?: string; unit?: string; app?: boolean } = {}) {
        const argv = ['--format=json', ...(options.app ? ['--app'] : []), '-r', String(options.relationId), '-', String(options.unit)];
        const found = relation('relation-get', argv, options.relationId);
        if (options.app) {
          if (options.unit !== LOCAL_APP) return { ...found.app_data };
          if (found.peer) return { ...found.app_data };
          if (!world.#leader) throw new FixtureToolError('relation-get', argv, 1, 'ERROR permission denied');
          return { ...found.local_app_data };
        }
        if (options.unit === LOCAL_UNIT) return { ...found.local_unit_data };
        const bag = found.units[options.unit ?? ''] ?? found.departing[options.unit ?? ''];
        if (!bag) throw new FixtureToolError('relation-get', argv, 1, `ERROR cannot read settings for unit "${options.unit}"`);
        return { ...bag };
      },
      async relationSet(data: Record<string, string | null>, options: { relationId?: string; app?: boolean } = {}) {
        const argv = [...(options.app ? ['--app'] : []), '-r', String(options.relationId), '--file', '<tmpfile>'];
        relation('relation-set', argv, options.relationId);
        if (options.app && !world.#leader) throw new FixtureToolError('relation-set', argv, 1, 'ERROR permission denied');
        calls.push({ relation_id: options.relationId!, app: Boolean(options.app), settings: { ...data } });
      },
    };
    // Only the relation tools and is-leader are part of Endpoint fixtures; any other
    // tool is a runner error, reported as such.
    const strict = new Proxy(tools, {
      get(target, property) {
        if (property in target) return target[property as keyof typeof target];
        if (typeof property === 'symbol' || property === 'then') return undefined;
        return () => Promise.reject(new Error(`hook tool ${String(property)} is not part of Endpoint fixtures`));
      },
    });
    return { tools: strict as unknown as HookTools, calls };
  }

  /** After a successful hook: Juju applies its `relation-set` calls (null or empty deletes). */
  commit(calls: readonly RelationSetCall[]): void {
    for (const call of calls) {
      const relation = this.#relations.get(call.relation_id);
      if (!relation) continue;
      const bag = call.app ? (relation.peer ? relation.app_data : relation.local_app_data) : relation.local_unit_data;
      for (const [key, value] of Object.entries(call.settings)) {
        if (value === null || value === '') delete bag[key];
        else bag[key] = value;
      }
    }
  }
}
