/** The four workload statuses a charm may set. */
export type WorkloadStatus = 'maintenance' | 'blocked' | 'waiting' | 'active';

/** juju-log levels (loggo's). */
export type LogLevel = 'TRACE' | 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR' | 'CRITICAL';

/** What `status-get --include-data` reports. */
export interface StatusInfo {
  readonly status: string;
  readonly message: string;
  readonly statusData: Readonly<Record<string, unknown>>;
}

/** A port, a range `from-to`, or `icmp`, for open-port / close-port. */
export type PortRange = number | `${number}-${number}` | 'icmp';

/** `network-get <binding>` without selectors. */
export interface NetworkInfo {
  readonly 'bind-addresses'?: readonly {
    readonly 'mac-address'?: string;
    readonly 'interface-name'?: string;
    readonly addresses?: readonly { readonly hostname?: string; readonly value: string; readonly cidr?: string }[];
  }[];
  readonly 'egress-subnets'?: readonly string[];
  readonly 'ingress-addresses'?: readonly string[];
}

/** `goal-state`. */
export interface GoalState {
  readonly units: Readonly<Record<string, { readonly status: string; readonly since?: string }>>;
  readonly relations: Readonly<Record<string, Readonly<Record<string, { readonly status: string; readonly since?: string }>>>>;
}

/** A pod spec or k8s resources document: YAML text, or an object (sent as YAML 1.1). */
export type SpecDocument = string | Readonly<Record<string, unknown>>;

/** A storage instance as `storage-get` gives it. */
export interface StorageInfo {
  readonly kind: 'filesystem' | 'block';
  /** The mount point (filesystem) or device path (block). */
  readonly location: string;
}

/**
 * Every Juju hook tool a charm needs, one typed method each. `ProcessHookTools` runs the
 * real tools; the local model and tests provide other implementations. Methods that
 * read ask for `--format=json`; free text follows `--`; maps travel as JSON through
 * `--file -` and stdin. A failed tool rejects with a `HookToolError` (or a narrower
 * subclass: `RelationNotFoundError`, `NotLeaderError`, `PermissionDeniedError`,
 * `NotInActionError`).
 */
export interface HookTools {
  /** `status-set [--application] <status> -- <message>`; immediate in Juju. */
  statusSet(status: WorkloadStatus, message?: string, options?: { application?: boolean }): Promise<void>;
  /** `status-get --format=json --include-data [--application]`. */
  statusGet(options?: { application?: boolean }): Promise<StatusInfo>;
  /** `application-version-set -- <version>`. */
  applicationVersionSet(version: string): Promise<void>;
  /** `config-get --format=json --all`: every option, `null` where unset and without default. */
  configGet(): Promise<Record<string, unknown>>;
  /** `is-leader --format=json`. */
  isLeader(): Promise<boolean>;
  /** `leader-get --format=json -`: the leader settings. */
  leaderGet(): Promise<Record<string, string>>;
  /** `leader-set key=value …`; an empty value deletes the key. Leader only. */
  leaderSet(settings: Readonly<Record<string, string>>): Promise<void>;
  /** `relation-ids --format=json <endpoint>`: ids such as `db:3`, sorted by Juju. */
  relationIds(endpoint: string): Promise<string[]>;
  /** `relation-list --format=json [-r <id>]`: remote units in scope. */
  relationList(relationId?: string): Promise<string[]>;
  /** `relation-list --format=json --app [-r <id>]`: the remote application's name. */
  relationRemoteApp(relationId?: string): Promise<string>;
  /** `relation-get --format=json [-r <id>] [--app] - [<unit-or-app>]`: one data bag. */
  relationGet(options?: { relationId?: string; unit?: string; app?: boolean }): Promise<Record<string, string>>;
  /** `relation-set [-r <id>] [--app] --file -`: values are strings; an empty one deletes the key. */
  relationSet(data: Readonly<Record<string, string>>, options?: { relationId?: string; app?: boolean }): Promise<void>;
  /** `resource-get <name>`: the local path of the resource file. */
  resourceGet(name: string): Promise<string>;
  /** `pod-spec-set --file - [--k8s-resources <file>]`; leader only; applied when the hook commits. */
  podSpecSet(spec: SpecDocument, options?: { k8sResources?: SpecDocument }): Promise<void>;
  /** `k8s-spec-set`, the Juju 2.9 name of pod-spec-set. */
  k8sSpecSet(spec: SpecDocument, options?: { k8sResources?: SpecDocument }): Promise<void>;
  /** `k8s-raw-set --file -`. */
  k8sRawSet(spec: SpecDocument): Promise<void>;
  /** `open-port <port>[/<protocol>] [--endpoints a,b]`. */
  openPort(port: PortRange, protocol?: 'tcp' | 'udp', options?: { endpoints?: readonly string[] }): Promise<void>;
  /** `close-port <port>[/<protocol>] [--endpoints a,b]`. */
  closePort(port: PortRange, protocol?: 'tcp' | 'udp', options?: { endpoints?: readonly string[] }): Promise<void>;
  /** `opened-ports --format=json`: e.g. `["9000/tcp"]`. */
  openedPorts(): Promise<string[]>;
  /** `network-get --format=json [-r <id>] <binding>`. */
  networkGet(binding: string, options?: { relationId?: string }): Promise<NetworkInfo>;
  /** `unit-get --format=json <setting>` (deprecated in Juju; use networkGet). */
  unitGet(setting: 'private-address' | 'public-address'): Promise<string>;
  /** `action-get --format=json`: the action's parameters. */
  actionGet(): Promise<Record<string, unknown>>;
  /** `action-set key=value …`; nested objects become dotted keys. */
  actionSet(results: Readonly<Record<string, unknown>>): Promise<void>;
  /** `action-fail -- <message>`: marks the action failed; the hook goes on. */
  actionFail(message?: string): Promise<void>;
  /** `action-log -- <message>`. */
  actionLog(message: string): Promise<void>;
  /** `state-get --format=json -`: controller-side unit state. */
  stateGet(): Promise<Record<string, string>>;
  /** `state-set --file -`: committed with the hook. */
  stateSet(data: Readonly<Record<string, string>>): Promise<void>;
  /** `state-delete <key>`. */
  stateDelete(key: string): Promise<void>;
  /** `goal-state --format=json`. */
  goalState(): Promise<GoalState>;
  /**
   * `storage-get --format=json [-s <id>]`: a storage instance attached to the unit, its kind
   * and where it is; without an id, the storage hook's own instance.
   */
  storageGet(storageId?: string): Promise<StorageInfo>;
  /** `storage-list --format=json [<store>]`: the ids of the unit's storage, of one store when named. */
  storageList(store?: string): Promise<string[]>;
  /** `storage-add <store>=<count> …`: more instances, added (and checked) when the hook commits. */
  storageAdd(counts: Readonly<Record<string, number>>): Promise<void>;
  /** `juju-log --log-level <level> -- <message>`. */
  jujuLog(message: string, level?: LogLevel): Promise<void>;
}
