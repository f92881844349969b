import { ModelError } from './model-errors.js';

/** A status as Juju keeps it: the value, its message, and when it was set (virtual clock). */
export interface StatusRecord {
  status: string;
  message: string;
  since: string;
}

/** One queued hook of a unit. */
export interface HookEvent {
  hook: string;
  relationId?: number;
  remoteUnit?: string;
  remoteApp?: string;
  departingUnit?: string;
  /** A storage hook's instance (`data/0`): JUJU_STORAGE_ID. */
  storageId?: string;
  /** A workload hook's container (`<container>-pebble-ready`): JUJU_WORKLOAD_NAME. */
  workload?: string;
  /** A Pebble notice hook's notice (custom-notice, check-failed, check-recovered): JUJU_NOTICE_ID, JUJU_NOTICE_TYPE, JUJU_NOTICE_KEY. */
  notice?: { id: string; type: string; key: string };
  /** A `<container>-pebble-check-failed` or `-recovered` hook's check: JUJU_PEBBLE_CHECK_NAME. */
  checkName?: string;
}

/** A Pebble notice of one of a unit's containers, for the scheduler to queue as a hook. */
export interface PebbleNoticeEvent {
  readonly container: string;
  readonly id: string;
  readonly type: string;
  readonly key: string;
  /** A change-update notice of a check's change: the check, and whether it failed or recovered. */
  readonly check?: { readonly name: string; readonly outcome: 'failed' | 'recovered' };
}

export interface UnitRecord {
  name: string;
  workload: StatusRecord;
  /**
   * allocating, idle, executing, or error with `hook failed: "<hook>"` (then `error` says
   * which hook failed). As Juju's state, a failed hook is recorded on the agent; `juju
   * status` shows it as the workload's error with the agent idle (state/unit.go,
   * state/unitagent.go).
   */
  agent: StatusRecord;
  error?: HookEvent;
  /**
   * Virtual time (`ModelRecord.clock`) at which the failed hook is retried by itself
   * (automatically-retry-hooks); absent when no retry is due.
   */
  retryAt?: number;
  /**
   * The next delay of the unit agent's retry back-off in ms (5 s, doubled after each
   * failure, at most 5 min); absent means 5 s. Reset by `resolve`, kept when a retried
   * hook succeeds, as Juju's uniter does.
   */
  retryDelay?: number;
  /** Hooks still to run, first first; a failed hook stays at the head until resolved. */
  queue: HookEvent[];
  controllerState: Record<string, string>;
  openedPorts: string[];
  /**
   * The install hook has run (or was skipped by resolve): the unit enters its relations'
   * scopes. Absent in records written before the model kept it, meaning installed.
   */
  installed?: boolean;
  /**
   * The charm has set its workload status in a hook that succeeded (Juju's uniter state
   * `StatusSet`): install then leaves the status alone, and start does not set `unknown`.
   */
  statusSet?: boolean;
}

export interface ResourceRecord {
  image: string;
  username: string;
  password: string;
  revision: number;
}

export interface AppRecord {
  name: string;
  charm: string;
  /** The charm's files in the model directory (relative path). */
  charmDir: string;
  revision: number;
  /** Config values the user set (not defaults). */
  config: Record<string, unknown>;
  resources: Record<string, ResourceRecord>;
  units: UnitRecord[];
  nextUnit: number;
  leader?: string;
  podSpec?: { spec: string; k8sResources?: string; revision: number };
  /** The committed `k8s-raw-set` spec: stored and given back by `k8s-raw-get`, not rendered. */
  rawSpec?: { spec: string; revision: number };
  leaderSettings: Record<string, string>;
  applicationStatus?: StatusRecord;
  version?: string;
  /** Being removed: the record goes with its last unit. */
  dying?: boolean;
  /**
   * The charm's stores (metadata.yaml `storage:`), as the scheduler needs them to make
   * and check instances; absent for a charm without storage (or a record older than it).
   */
  stores?: StoreRecord[];
  /**
   * A Kubernetes (podspec) charm, `series: [kubernetes]`: its storage hooks wait until the
   * unit has started, as Juju's uniter runs them for container charms.
   */
  container?: boolean;
  /**
   * A sidecar charm (Juju 3.x, metadata `containers:`): its workload containers, each
   * beside the charm's own in the unit's pod, with Pebble as its entrypoint. Absent for
   * other charms.
   */
  sidecar?: {
    containers: ContainerRecord[];
    /** Deployed with `--run-workloads`: Pebble runs the services' commands as local processes. */
    runWorkloads?: boolean;
  };
}

/** One workload container of a sidecar charm, from metadata.yaml `containers:`. */
export interface ContainerRecord {
  name: string;
  /** The oci-image resource it runs (`resources:`); absent when metadata names none. */
  resource?: string;
  /** The stores it mounts and where. */
  mounts: { storage: string; location: string }[];
}

/** One store of an application's charm: metadata's declaration with Juju's defaults. */
export interface StoreRecord {
  name: string;
  type: 'filesystem' | 'block';
  /** metadata `location`: where a container charm's workload mounts it. */
  location?: string;
  /** MiB. */
  size: number;
  /** Instances per unit; `max` -1 for no upper bound. */
  count: { min: number; max: number };
}

/**
 * One storage instance, attached to one unit (Juju's storage instance and its unit
 * attachment, state/storage.go). Its data is a folder in the model (`dir`).
 */
export interface StorageRecord {
  /** `<store>/<n>`, `n` from the model-wide sequence `nextStorage`. */
  id: string;
  store: string;
  kind: 'filesystem' | 'block';
  unit: string;
  /** Juju's default pool for it: `kubernetes`, `rootfs` or `loop`. */
  pool: string;
  /** MiB. */
  size: number;
  /** The instance's folder, relative to the model's. */
  dir: string;
  /**
   * Where a container charm's workload sees it (state/filesystem.go FilesystemMountPoint);
   * absent for a machine charm, which runs here and is given the folder itself.
   */
  mountPoint?: string;
  /** Its storage-attached hook has run (storage/state.go `attached`): only then does it get storage-detaching. */
  hooked: boolean;
  /** Being detached: its storage-detaching hook is queued. */
  dying?: boolean;
  /** Virtual time of its last status change, ISO. */
  since: string;
}

export interface RelationEnd {
  app: string;
  endpoint: string;
  role: 'provides' | 'requires' | 'peers';
}

export interface RelationRecord {
  id: number;
  interface: string;
  ends: [RelationEnd, RelationEnd];
  /** Data bags by unit name or application name. */
  data: Record<string, Record<string, string>>;
  /** For each unit: the remote units whose relation-joined it has been given (queued). */
  joined: Record<string, string[]>;
  /**
   * The units in the relation's scope, in the order they entered (Juju's relation scope,
   * state/relationunit.go EnterScope): a unit enters once its install has run, writing
   * its address settings, and leaves when it is removed.
   */
  members?: string[];
  /**
   * For each unit: the remote units in scope, as `relation-list` reports them: added when
   * the unit's `-relation-joined` for them runs, removed when `-relation-departed` runs,
   * emptied by `-relation-broken`.
   */
  inScope?: Record<string, string[]>;
  /** Being removed: the record goes once no unit has a hook of it queued. */
  dying?: boolean;
}

/** Everything the model remembers, in `model.json`. */
export interface ModelRecord {
  version: 1;
  apps: Record<string, AppRecord>;
  relations: RelationRecord[];
  nextRelationId: number;
  /** Virtual time in milliseconds since the model was created. */
  clock: number;
  hookCounter: number;
  /**
   * The next unit number of each application name that was removed: a redeploy under the
   * same name goes on from there, as Juju's unit sequences (one per application name,
   * kept when the application goes) never give a unit name twice.
   */
  unitSequences?: Record<string, number>;
  /**
   * The next number of Juju's model sequence `task`, which operations and actions share
   * (state/operation.go, state/action.go: min 1); absent means 1. Each run-action takes
   * two: its operation's, then its action's, so the first action is "2".
   */
  nextTask?: number;
  /** Every action run-action queued, in queueing order (absent: none yet). */
  actions?: ActionRecord[];
  /** The storage instances, in creation order (absent: none yet). */
  storage?: StorageRecord[];
  /** The next number of Juju's model-wide storage sequence `stores` (state/storage.go); absent means 0. */
  nextStorage?: number;
}

/**
 * Juju 2.9's action states: pending (queued), running, completed, failed, and error for
 * an action refused at enqueue (its params did not validate); it never ran.
 */
export type ActionStatus = 'pending' | 'running' | 'completed' | 'failed' | 'error';

/** One action as Juju's state keeps it (state/action.go actionDoc). */
export interface ActionRecord {
  /** Decimal, from the `task` sequence: `action-<id>` is its tag. */
  id: string;
  /** Its operation's id (the number before it). */
  operation: string;
  unit: string;
  name: string;
  /** The params as validated, with the schema's defaults inserted: what action-get reads. */
  params: Record<string, unknown>;
  status: ActionStatus;
  /** action-fail's message, `exit status N`, or the enqueue error; empty when none. */
  message: string;
  /**
   * What Juju stores: action-set's results (string leaves), plus `Code` (the exit code as
   * a string) and `Stdout` / `Stderr` when not empty (worker/uniter/runner/runner.go
   * updateActionResults). Empty until the action has run.
   */
  results: Record<string, unknown>;
  /** action-log's messages, with the (virtual) time of each. */
  log: { time: string; message: string }[];
  /** Virtual times, ISO. */
  enqueued: string;
  started?: string;
  completed?: string;
}

/** An empty model: no applications, no relations, the clock at zero. */
export function emptyModel(): ModelRecord {
  return { version: 1, apps: {}, relations: [], nextRelationId: 0, clock: 0, hookCounter: 0 };
}

/** What a hook has asked Juju to do when (and only if) it succeeds: the tool emulator's record of it. */
export type { HookChanges as PendingChanges } from '@charms/hooktools/jujuc';

/**
 * The pod address of a unit, as a Kubernetes unit of a podspec application has one:
 * `10.1.<application's index + 1>.<unit number + 10>`; what network-get and status show.
 */
export function podAddress(model: ModelRecord, unit: string): string {
  const [app, number] = unit.split('/');
  return `10.1.${Object.keys(model.apps).indexOf(app!) + 1}.${Number(number) + 10}`;
}

/** The model's virtual time as Juju prints it: 2026-01-01 plus the clock. */
export function modelTime(model: ModelRecord): string {
  return new Date(Date.UTC(2026, 0, 1) + model.clock).toISOString();
}

/**
 * The application record named `name`.
 * @throws ModelError `NOT_FOUND`, listing the applications there are.
 */
export function findApp(model: ModelRecord, name: string): AppRecord {
  const app = model.apps[name];
  if (!app) throw new ModelError('NOT_FOUND', `application "${name}" not found (applications: ${Object.keys(model.apps).join(', ') || 'none'})`);
  return app;
}

/**
 * The unit record named `name` (`app/n`).
 * @throws ModelError `NOT_FOUND`.
 */
export function findUnit(model: ModelRecord, name: string): UnitRecord {
  const unit = model.apps[name.split('/')[0]!]?.units.find((u) => u.name === name);
  if (!unit) throw new ModelError('NOT_FOUND', `unit "${name}" not found`);
  return unit;
}

/** The units of `app`; none when it does not exist (any more). */
export function unitsOf(model: ModelRecord, app: string): UnitRecord[] {
  return model.apps[app]?.units ?? [];
}

/** The end of `relation` that is not `app`'s (for a peer relation, the one end there is). */
export function otherEnd(relation: RelationRecord, app: string): RelationEnd {
  return relation.ends[0].app === app ? relation.ends[1] : relation.ends[0];
}

/** Whether `relation` joins the endpoints `a` and `b`, in either order. */
export function sameRelation(relation: RelationRecord, a: { app: string; endpoint: string }, b: { app: string; endpoint: string }): boolean {
  const key = (e: { app: string; endpoint: string }) => `${e.app}:${e.endpoint}`;
  const keys = relation.ends.map(key).sort().join(' ');
  return keys === [key(a), key(b)].sort().join(' ');
}
