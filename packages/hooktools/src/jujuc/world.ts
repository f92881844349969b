import type { ToolFiles } from './files.js';
import type { ToolResult } from './result.js';

/** A workload status and its message. */
export interface StatusValue {
  readonly status: string;
  readonly message: string;
}

/** One relation as the unit sees it. */
export interface JujucRelation {
  readonly id: number;
  /** This unit's endpoint of it. */
  readonly endpoint: string;
  readonly remoteApp: string;
  /** A peer relation: both ends are this unit's application. */
  readonly peer: boolean;
  /** The remote units in scope, as `relation-list` reports them. */
  readonly units: readonly string[];
  /**
   * The committed data bags, by unit or application name: every unit that has entered
   * the relation's scope has one (Juju creates it then), empty or not.
   */
  readonly data: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** The relation as Juju names it in errors (`kv:db pg:db`, the provider first); defaults to `<endpoint>:<id>`. */
  readonly key?: string;
  /**
   * The world cannot tell which remote units once entered the scope (the in-memory twin,
   * whose tests drop a departed unit from `units` with its data): a unit of the remote
   * application without a bag then reads as an empty bag, not as "settings not found".
   */
  readonly formerUnitsUnknown?: boolean;
}

/** A running action: its parameters, and what the action tools record. */
export interface JujucAction {
  readonly params: Record<string, unknown>;
  readonly results: Record<string, unknown>;
  failed?: string;
  readonly log: string[];
}

/** `goal-state`'s document. */
export interface GoalStateData {
  readonly units: Readonly<Record<string, { readonly status: string; readonly since?: string }>>;
  readonly relations: Readonly<Record<string, Readonly<Record<string, { readonly status: string; readonly since?: string }>>>>;
}

/**
 * What a hook asks Juju to do when, and only when, it succeeds (`HookContext.Flush`).
 * The transactional tools (relation-set, pod-spec-set, k8s-raw-set, open/close-port,
 * state-set, state-delete, storage-add) add to it; the world commits or drops it.
 */
export interface HookChanges {
  podSpec?: { spec: string; k8sResources?: string };
  k8sRaw?: string;
  /** Each relation-set; `bag` is the unit or application name written; an empty value deletes a key. */
  relationSets: { relationId: number; bag: string; data: Record<string, string> }[];
  ports: { action: 'open' | 'close'; port: string }[];
  /** state-set values; null for state-delete. */
  state: Record<string, string | null>;
  /** storage-add requests: more instances of a store, added (and checked) when the hook commits. */
  storage: { name: string; count: number }[];
}

/** No changes yet. */
export function noChanges(): HookChanges {
  return { relationSets: [], ports: [], state: {}, storage: [] };
}

/**
 * The unit's world as the tool emulator sees it: what a hook context holds in Juju.
 * The caller backs it: the local model with its model record, `MemoryHookTools` with
 * memory, tests with a fake. The emulator reads committed data through it, changes the
 * immediate things through it (status, leader settings, log, application version), and
 * adds transactional requests to {@link JujucWorld.changes}.
 */
export interface JujucWorld {
  readonly unitName: string;
  isLeader(): boolean;
  /** The hook's relation and remote side (JUJU_RELATION_ID, JUJU_REMOTE_UNIT, JUJU_REMOTE_APP). */
  readonly hook: { readonly relationId?: number; readonly remoteUnit?: string; readonly remoteApp?: string; readonly storageId?: string };
  /** The hook's pending transactional changes; the emulator adds to them. */
  readonly changes: HookChanges;
  readonly files: ToolFiles;

  unitStatus(): StatusValue;
  /** The application's status and its units'. */
  applicationStatus(): StatusValue & { readonly units: Readonly<Record<string, StatusValue>> };
  /** status-set: immediate. */
  setStatus(value: StatusValue, application: boolean): void;
  setApplicationVersion(version: string): void;

  /** Every option: its value, else its default, else null; in the order `config-get` prints them. */
  config(): Record<string, unknown>;

  leaderSettings(): Readonly<Record<string, string>>;
  /** leader-set: immediate; the whole new settings. */
  setLeaderSettings(settings: Record<string, string>): void;

  /**
   * The relations the unit sees: the ones it has joined (entered the scope of). Juju's
   * hook context lists no other, so none is seen during install.
   */
  relations(): readonly JujucRelation[];

  controllerState(): Readonly<Record<string, string>>;

  /** The local path of a resource's file, made ready for the unit; undefined when the resource does not exist. */
  resourcePath(name: string): string | undefined;

  /**
   * The unit's charm is a sidecar charm (metadata.yaml `containers:`, Juju 3.x): the spec
   * tools (pod-spec-set, k8s-spec-set, k8s-raw-set) refuse to set a spec for it.
   */
  readonly sidecar?: boolean;
  /** The committed specs, as set. */
  specs(): { readonly podSpec?: string; readonly rawSpec?: string };
  /**
   * Checks a pod spec beyond YAML syntax (schema, what Kubernetes would accept), given its
   * decoded document and both texts; returns the problem, if any.
   */
  checkPodSpec?(document: unknown, spec: string, k8sResources: string | undefined): string | undefined;

  /** The committed opened ports, as `9000/tcp`. */
  openedPorts(): readonly string[];
  /** The endpoint (binding) names network-get knows. */
  bindings(): readonly string[];
  /** The unit's address and the subnet it is in. */
  network(): { readonly address: string; readonly cidr: string };
  goalState(): GoalStateData;

  /** The unit's storage attachments by id (`data/0`); none when absent. */
  storage?(): Readonly<Record<string, { readonly kind: string; readonly location: string }>>;
  /** The cloud spec credential-get prints, for a trusted application; absent otherwise. */
  cloudSpec?(): Record<string, unknown> | undefined;

  /** The running action, if this is one. */
  action(): JujucAction | undefined;

  /** Writes to the unit's log (juju-log and Juju's own warnings). */
  log(level: string, message: string): void;
}

/** One hook tool: its arguments (after the tool name) and stdin in, its answer out. */
export type JujucTool = (argv: readonly string[], stdin: string, world: JujucWorld) => ToolResult;

/** The unit's application: the part of its name before the slash. */
export function appOf(unitName: string): string {
  return unitName.split('/')[0]!;
}
