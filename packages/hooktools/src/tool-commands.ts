import type { PortRange, SpecDocument, LogLevel, WorkloadStatus } from './hook-tools.js';

/** One hook tool invocation: the program, its arguments, and what goes to its stdin. */
export interface ToolCommand {
  readonly tool: string;
  readonly argv: readonly string[];
  readonly stdin?: string;
}

/**
 * The command line of every hook-tool method, in one place, so that the real tools
 * and the in-memory twin agree on it: `--format=json` for anything read, `--` before
 * free text, maps as JSON through `--file -`.
 */
export const toolCommands = {
  statusSet: (status: WorkloadStatus, message = '', application = false): ToolCommand => ({
    tool: 'status-set',
    argv: [...(application ? ['--application'] : []), status, '--', message],
  }),
  statusGet: (application = false): ToolCommand => ({
    tool: 'status-get',
    argv: ['--format=json', '--include-data', ...(application ? ['--application'] : [])],
  }),
  applicationVersionSet: (version: string): ToolCommand => ({ tool: 'application-version-set', argv: ['--', version] }),
  configGet: (): ToolCommand => ({ tool: 'config-get', argv: ['--format=json', '--all'] }),
  isLeader: (): ToolCommand => ({ tool: 'is-leader', argv: ['--format=json'] }),
  leaderGet: (): ToolCommand => ({ tool: 'leader-get', argv: ['--format=json', '-'] }),
  leaderSet: (settings: Readonly<Record<string, string>>): ToolCommand => ({
    tool: 'leader-set',
    argv: Object.entries(settings).map(([key, value]) => `${key}=${value}`),
  }),
  relationIds: (endpoint: string): ToolCommand => ({ tool: 'relation-ids', argv: ['--format=json', endpoint] }),
  relationList: (relationId?: string): ToolCommand => ({ tool: 'relation-list', argv: ['--format=json', ...relationFlag(relationId)] }),
  relationRemoteApp: (relationId?: string): ToolCommand => ({
    tool: 'relation-list',
    argv: ['--format=json', '--app', ...relationFlag(relationId)],
  }),
  relationGet: (relationId?: string, unit?: string, app = false): ToolCommand => ({
    tool: 'relation-get',
    argv: ['--format=json', ...relationFlag(relationId), ...(app ? ['--app'] : []), '-', ...(unit ? [unit] : [])],
  }),
  relationSet: (data: Readonly<Record<string, string>>, relationId?: string, app = false): ToolCommand => ({
    tool: 'relation-set',
    argv: [...relationFlag(relationId), ...(app ? ['--app'] : []), '--file', '-'],
    stdin: JSON.stringify(data),
  }),
  resourceGet: (name: string): ToolCommand => ({ tool: 'resource-get', argv: [name] }),
  /** `k8sResourcesFile` is where the resources document was written, when there is one. */
  specSet: (tool: 'pod-spec-set' | 'k8s-spec-set', spec: SpecDocument, k8sResourcesFile?: string): ToolCommand => ({
    tool,
    argv: ['--file', '-', ...(k8sResourcesFile === undefined ? [] : ['--k8s-resources', k8sResourcesFile])],
    stdin: documentText(spec),
  }),
  k8sRawSet: (spec: SpecDocument): ToolCommand => ({ tool: 'k8s-raw-set', argv: ['--file', '-'], stdin: documentText(spec) }),
  openPort: (port: PortRange, protocol?: 'tcp' | 'udp', endpoints?: readonly string[]): ToolCommand => ({
    tool: 'open-port',
    argv: portArgs(port, protocol, endpoints),
  }),
  closePort: (port: PortRange, protocol?: 'tcp' | 'udp', endpoints?: readonly string[]): ToolCommand => ({
    tool: 'close-port',
    argv: portArgs(port, protocol, endpoints),
  }),
  openedPorts: (): ToolCommand => ({ tool: 'opened-ports', argv: ['--format=json'] }),
  networkGet: (binding: string, relationId?: string): ToolCommand => ({
    tool: 'network-get',
    argv: ['--format=json', ...relationFlag(relationId), binding],
  }),
  unitGet: (setting: string): ToolCommand => ({ tool: 'unit-get', argv: ['--format=json', setting] }),
  actionGet: (): ToolCommand => ({ tool: 'action-get', argv: ['--format=json'] }),
  actionSet: (results: Readonly<Record<string, unknown>>): ToolCommand => ({
    tool: 'action-set',
    argv: flatten(results).map(([key, value]) => `${key}=${value}`),
  }),
  actionFail: (message?: string): ToolCommand => ({ tool: 'action-fail', argv: message === undefined ? [] : ['--', message] }),
  actionLog: (message: string): ToolCommand => ({ tool: 'action-log', argv: ['--', message] }),
  stateGet: (): ToolCommand => ({ tool: 'state-get', argv: ['--format=json', '-'] }),
  stateSet: (data: Readonly<Record<string, string>>): ToolCommand => ({ tool: 'state-set', argv: ['--file', '-'], stdin: JSON.stringify(data) }),
  stateDelete: (key: string): ToolCommand => ({ tool: 'state-delete', argv: [key] }),
  goalState: (): ToolCommand => ({ tool: 'goal-state', argv: ['--format=json'] }),
  storageGet: (storageId?: string): ToolCommand => ({ tool: 'storage-get', argv: ['--format=json', ...(storageId ? ['-s', storageId] : [])] }),
  storageList: (store?: string): ToolCommand => ({ tool: 'storage-list', argv: ['--format=json', ...(store ? [store] : [])] }),
  storageAdd: (counts: Readonly<Record<string, number>>): ToolCommand => ({ tool: 'storage-add', argv: Object.entries(counts).map(([store, count]) => `${store}=${count}`) }),
  jujuLog: (message: string, level: LogLevel = 'INFO'): ToolCommand => ({ tool: 'juju-log', argv: ['--log-level', level, '--', message] }),
};

function relationFlag(relationId: string | undefined): string[] {
  return relationId ? ['-r', relationId] : [];
}

function portArgs(port: PortRange, protocol: string | undefined, endpoints: readonly string[] | undefined): string[] {
  const target = port === 'icmp' || protocol === undefined ? String(port) : `${port}/${protocol}`;
  return [...(endpoints && endpoints.length > 0 ? ['--endpoints', endpoints.join(',')] : []), target];
}

/** A spec document as the text sent: YAML as given, or an object as JSON (which YAML reads). */
export function documentText(document: SpecDocument): string {
  return typeof document === 'string' ? document : JSON.stringify(document);
}

/** `{a: {b: 1}}` → `[['a.b', '1']]`, as action-set wants its keys. */
function flatten(value: Readonly<Record<string, unknown>>, prefix = ''): [string, string][] {
  return Object.entries(value).flatMap(([key, inner]) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? flatten(inner as Record<string, unknown>, `${prefix}${key}.`)
      : [[`${prefix}${key}`, typeof inner === 'string' ? inner : JSON.stringify(inner)] as [string, string]],
  );
}
