import { HookToolError, NotInActionError, NotLeaderError, PermissionDeniedError, RelationNotFoundError } from './errors.js';
import type {
  GoalState,
  HookTools,
  LogLevel,
  NetworkInfo,
  PortRange,
  SpecDocument,
  StatusInfo,
  WorkloadStatus,
} from './hook-tools.js';
import { interpretFailure } from './interpret-failure.js';
import { toolCommands as cmd, type ToolCommand } from './tool-commands.js';

/** One relation as the in-memory twin holds it. */
export interface MemoryRelation {
  endpoint: string;
  app: string;
  /** Remote units and what each published. */
  units: Record<string, Record<string, string>>;
  appData?: Record<string, string>;
  /** What this unit published. */
  local?: Record<string, string>;
  localApp?: Record<string, string>;
}

/** The unit's world as {@link MemoryHookTools} sees it; tests arrange it and read it back. */
export interface MemoryWorld {
  unitName: string;
  leader: boolean;
  config: Record<string, unknown>;
  /** Resource name → the path `resource-get` prints (a missing one fails like Juju). */
  resources: Record<string, string>;
  relations: Record<string, MemoryRelation>;
  leaderSettings: Record<string, string>;
  controllerState: Record<string, string>;
  /** Every `status-set`, in order. */
  statusHistory: { status: WorkloadStatus; message: string; application: boolean }[];
  logs: { level: LogLevel; message: string }[];
  podSpec?: { spec: string; k8sResources?: string };
  k8sRaw?: string;
  openedPorts: string[];
  applicationVersion?: string;
  action?: { params: Record<string, unknown>; results: Record<string, unknown>; failed?: string; log: string[] };
  /** Tools made to fail, as Juju would: `{ 'pod-spec-set': { exitCode: 1, stderr: 'ERROR …\n' } }`. */
  failures?: Record<string, { exitCode: number; stderr: string }>;
}

/** One recorded call: the command line `ProcessHookTools` would run. */
export type RecordedCall = ToolCommand;

/**
 * An in-memory twin of the hook tools, for testing charms and layers without processes:
 * it answers from a {@link MemoryWorld}, applies Juju's rules (leader-only tools,
 * missing resources, relations that do not exist, action tools outside actions) and
 * records every call with the argv `ProcessHookTools` would use, so a test can assert
 * both the effects and the exact calls.
 */
export class MemoryHookTools implements HookTools {
  readonly world: MemoryWorld;
  readonly calls: RecordedCall[] = [];

  constructor(world: Partial<MemoryWorld> = {}) {
    this.world = {
      unitName: 'unit/0',
      leader: true,
      config: {},
      resources: {},
      relations: {},
      leaderSettings: {},
      controllerState: {},
      statusHistory: [],
      logs: [],
      openedPorts: [],
      ...world,
    };
  }

  /** The last unit status set, or `unknown` with an empty message. */
  get status(): { status: string; message: string } {
    const last = this.world.statusHistory.filter((s) => !s.application).at(-1);
    return last ? { status: last.status, message: last.message } : { status: 'unknown', message: '' };
  }

  /** Records the command and returns its argv; fails it if the world says so. */
  #record(command: ToolCommand): readonly string[] {
    this.calls.push(command);
    const failure = this.world.failures?.[command.tool];
    if (failure) throw interpretFailure({ tool: command.tool, argv: command.argv, exitCode: failure.exitCode, stdout: '', stderr: failure.stderr });
    return command.argv;
  }

  #fail(ErrorClass: typeof HookToolError, tool: string, argv: readonly string[], exitCode: number, message: string, code: HookToolError['code']): never {
    throw new ErrorClass({ tool, argv, exitCode, stderr: `ERROR ${message}\n` }, code);
  }

  #relation(tool: string, argv: readonly string[], id: string | undefined): MemoryRelation {
    const relation = id ? this.world.relations[id] : undefined;
    if (!relation) this.#fail(RelationNotFoundError, tool, argv, 2, `invalid value "${id}" for option -r: relation not found`, 'RELATION_NOT_FOUND');
    return relation;
  }

  async statusSet(status: WorkloadStatus, message = '', options: { application?: boolean } = {}): Promise<void> {
    const argv = this.#record(cmd.statusSet(status, message, options.application));
    if (options.application && !this.world.leader) this.#fail(NotLeaderError, 'status-set', argv, 1, 'this unit is not the leader', 'NOT_LEADER');
    this.world.statusHistory.push({ status, message, application: Boolean(options.application) });
  }

  async statusGet(options: { application?: boolean } = {}): Promise<StatusInfo> {
    this.#record(cmd.statusGet(options.application));
    const last = this.world.statusHistory.filter((s) => s.application === Boolean(options.application)).at(-1);
    return { status: last?.status ?? 'unknown', message: last?.message ?? '', statusData: {} };
  }

  async applicationVersionSet(version: string): Promise<void> {
    this.#record(cmd.applicationVersionSet(version));
    this.world.applicationVersion = version;
  }

  async configGet(): Promise<Record<string, unknown>> {
    this.#record(cmd.configGet());
    return structuredClone(this.world.config);
  }

  async isLeader(): Promise<boolean> {
    this.#record(cmd.isLeader());
    return this.world.leader;
  }

  async leaderGet(): Promise<Record<string, string>> {
    this.#record(cmd.leaderGet());
    return { ...this.world.leaderSettings };
  }

  async leaderSet(settings: Readonly<Record<string, string>>): Promise<void> {
    const argv = this.#record(cmd.leaderSet(settings));
    if (!this.world.leader) {
      this.#fail(NotLeaderError, 'leader-set', argv, 1, 'cannot write leadership settings: cannot write settings: not the leader', 'NOT_LEADER');
    }
    for (const [key, value] of Object.entries(settings)) {
      if (value === '') delete this.world.leaderSettings[key];
      else this.world.leaderSettings[key] = value;
    }
  }

  async relationIds(endpoint: string): Promise<string[]> {
    this.#record(cmd.relationIds(endpoint));
    return Object.keys(this.world.relations)
      .filter((id) => this.world.relations[id]!.endpoint === endpoint)
      .sort();
  }

  async relationList(relationId?: string): Promise<string[]> {
    const argv = this.#record(cmd.relationList(relationId));
    return Object.keys(this.#relation('relation-list', argv, relationId).units).sort();
  }

  async relationRemoteApp(relationId?: string): Promise<string> {
    const argv = this.#record(cmd.relationRemoteApp(relationId));
    return this.#relation('relation-list', argv, relationId).app;
  }

  async relationGet(options: { relationId?: string; unit?: string; app?: boolean } = {}): Promise<Record<string, string>> {
    const argv = this.#record(cmd.relationGet(options.relationId, options.unit, options.app));
    const relation = this.#relation('relation-get', argv, options.relationId);
    if (options.app) return { ...(options.unit === relation.app ? relation.appData : relation.localApp) };
    if (options.unit === this.world.unitName) return { ...relation.local };
    return { ...relation.units[options.unit ?? ''] };
  }

  async relationSet(data: Readonly<Record<string, string>>, options: { relationId?: string; app?: boolean } = {}): Promise<void> {
    const argv = this.#record(cmd.relationSet(data, options.relationId, options.app));
    const relation = this.#relation('relation-set', argv, options.relationId);
    if (options.app && !this.world.leader) this.#fail(PermissionDeniedError, 'relation-set', argv, 1, 'cannot write relation settings', 'PERMISSION_DENIED');
    const bag = options.app ? (relation.localApp ??= {}) : (relation.local ??= {});
    // An empty value deletes the key, and so does null (JSON null is YAML null to Juju),
    // which an Endpoint's raw bag sends for a key it deleted.
    for (const [key, value] of Object.entries(data) as [string, string | null][]) {
      if (value === '' || value === null) delete bag[key];
      else bag[key] = value;
    }
  }

  async resourceGet(name: string): Promise<string> {
    this.#record(cmd.resourceGet(name));
    const path = this.world.resources[name];
    const app = this.world.unitName.split('/')[0];
    if (path === undefined) this.#fail(HookToolError, 'resource-get', [name], 1, `could not download resource: resource#${app}/${name} not found`, 'HOOK_TOOL_FAILED');
    return path;
  }

  podSpecSet(spec: SpecDocument, options: { k8sResources?: SpecDocument } = {}): Promise<void> {
    return this.#specSet('pod-spec-set', spec, options.k8sResources);
  }

  k8sSpecSet(spec: SpecDocument, options: { k8sResources?: SpecDocument } = {}): Promise<void> {
    return this.#specSet('k8s-spec-set', spec, options.k8sResources);
  }

  async #specSet(tool: 'pod-spec-set' | 'k8s-spec-set', spec: SpecDocument, k8sResources: SpecDocument | undefined): Promise<void> {
    const command = cmd.specSet(tool, spec, k8sResources === undefined ? undefined : '<k8s-resources file>');
    const argv = this.#record(command);
    const text = command.stdin!;
    if (!this.world.leader) this.#fail(NotLeaderError, tool, argv, 1, 'this unit is not the leader', 'NOT_LEADER');
    this.world.podSpec = {
      spec: text,
      ...(k8sResources === undefined ? {} : { k8sResources: typeof k8sResources === 'string' ? k8sResources : JSON.stringify(k8sResources) }),
    };
  }

  async k8sRawSet(spec: SpecDocument): Promise<void> {
    const command = cmd.k8sRawSet(spec);
    this.#record(command);
    this.world.k8sRaw = command.stdin;
  }

  async openPort(port: PortRange, protocol?: 'tcp' | 'udp', options: { endpoints?: readonly string[] } = {}): Promise<void> {
    this.#record(cmd.openPort(port, protocol, options.endpoints));
    const normal = portName(port, protocol);
    if (!this.world.openedPorts.includes(normal)) this.world.openedPorts.push(normal);
  }

  async closePort(port: PortRange, protocol?: 'tcp' | 'udp', options: { endpoints?: readonly string[] } = {}): Promise<void> {
    this.#record(cmd.closePort(port, protocol, options.endpoints));
    const normal = portName(port, protocol);
    this.world.openedPorts = this.world.openedPorts.filter((p) => p !== normal);
  }

  async openedPorts(): Promise<string[]> {
    this.#record(cmd.openedPorts());
    return [...this.world.openedPorts];
  }

  async networkGet(binding: string): Promise<NetworkInfo> {
    this.#record(cmd.networkGet(binding));
    return { 'bind-addresses': [{ 'interface-name': 'eth0', addresses: [{ value: '10.1.2.3', cidr: '10.1.2.0/24' }] }], 'ingress-addresses': ['10.1.2.3'] };
  }

  async unitGet(setting: 'private-address' | 'public-address'): Promise<string> {
    this.#record(cmd.unitGet(setting));
    return '10.1.2.3';
  }

  #action(tool: string, argv: readonly string[]): NonNullable<MemoryWorld['action']> {
    if (!this.world.action) this.#fail(NotInActionError, tool, argv, 1, 'not running an action', 'NOT_IN_ACTION');
    return this.world.action;
  }

  async actionGet(): Promise<Record<string, unknown>> {
    const argv = this.#record(cmd.actionGet());
    return structuredClone(this.#action('action-get', argv).params);
  }

  async actionSet(results: Readonly<Record<string, unknown>>): Promise<void> {
    const argv = this.#record(cmd.actionSet(results));
    Object.assign(this.#action('action-set', argv).results, structuredClone(results));
  }

  async actionFail(message?: string): Promise<void> {
    const argv = this.#record(cmd.actionFail(message));
    this.#action('action-fail', argv).failed = message ?? 'action failed without reason given, check action for errors';
  }

  async actionLog(message: string): Promise<void> {
    const argv = this.#record(cmd.actionLog(message));
    this.#action('action-log', argv).log.push(message);
  }

  async stateGet(): Promise<Record<string, string>> {
    this.#record(cmd.stateGet());
    return { ...this.world.controllerState };
  }

  async stateSet(data: Readonly<Record<string, string>>): Promise<void> {
    this.#record(cmd.stateSet(data));
    Object.assign(this.world.controllerState, data);
  }

  async stateDelete(key: string): Promise<void> {
    this.#record(cmd.stateDelete(key));
    delete this.world.controllerState[key];
  }

  async goalState(): Promise<GoalState> {
    this.#record(cmd.goalState());
    return { units: { [this.world.unitName]: { status: 'active' } }, relations: {} };
  }

  async jujuLog(message: string, level: LogLevel = 'INFO'): Promise<void> {
    this.#record(cmd.jujuLog(message, level));
    this.world.logs.push({ level, message });
  }
}

/** How opened-ports names a port: `9000/tcp`, `icmp`. */
function portName(port: PortRange, protocol: 'tcp' | 'udp' | undefined): string {
  return port === 'icmp' ? 'icmp' : `${port}/${protocol ?? 'tcp'}`;
}
