import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HookToolError } from './errors.js';
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
import { interpretFailure, type ToolRun } from './interpret-failure.js';
import { runTool, type RunToolOptions } from './run-tool.js';

/**
 * {@link HookTools} over the real tools on `PATH`, as Juju provides them to a hook.
 * Every call is one child process; nothing is cached (a unit's leadership, config and
 * relation data can change between calls).
 *
 * @example
 * const tools = new ProcessHookTools();
 * await tools.statusSet('maintenance', 'fetching resource: oci-image');
 */
export class ProcessHookTools implements HookTools {
  readonly #options: RunToolOptions;

  constructor(options: RunToolOptions = {}) {
    this.#options = options;
  }

  /**
   * Runs any tool and returns its stdout.
   * @throws HookToolError (or a narrower subclass) when it exits non-zero or cannot start.
   */
  async run(tool: string, argv: readonly string[], stdin?: string): Promise<string> {
    const result = await runTool(tool, argv, stdin, this.#options);
    if (result.exitCode === null) {
      throw new HookToolError(
        result,
        'HOOK_TOOL_NOT_FOUND',
        `hook tool '${tool}' could not be run (${result.stderr}). Hook tools exist only inside a Juju hook (or the local model): run the charm through its dispatch script.`,
      );
    }
    if (result.exitCode !== 0) throw interpretFailure(result);
    return result.stdout;
  }

  /** Runs a tool that prints JSON and parses it. */
  async #json<T>(tool: string, argv: readonly string[]): Promise<T> {
    const stdout = await this.run(tool, argv);
    try {
      return JSON.parse(stdout) as T;
    } catch {
      const run: ToolRun = { tool, argv, exitCode: 0, stdout, stderr: '' };
      throw new HookToolError(run, 'HOOK_TOOL_OUTPUT', `${tool} ${argv.join(' ')} printed something that is not JSON: ${JSON.stringify(stdout.slice(0, 200))}`);
    }
  }

  async statusSet(status: WorkloadStatus, message = '', options: { application?: boolean } = {}): Promise<void> {
    await this.run('status-set', [...(options.application ? ['--application'] : []), status, '--', message]);
  }

  async statusGet(options: { application?: boolean } = {}): Promise<StatusInfo> {
    const argv = ['--format=json', '--include-data', ...(options.application ? ['--application'] : [])];
    const raw = await this.#json<Record<string, unknown>>('status-get', argv);
    const info = (options.application ? raw['application-status'] : raw) as Record<string, unknown> | undefined;
    return {
      status: String(info?.status ?? ''),
      message: String(info?.message ?? ''),
      statusData: (info?.['status-data'] as Record<string, unknown> | undefined) ?? {},
    };
  }

  async applicationVersionSet(version: string): Promise<void> {
    await this.run('application-version-set', ['--', version]);
  }

  async configGet(): Promise<Record<string, unknown>> {
    return (await this.#json<Record<string, unknown> | null>('config-get', ['--format=json', '--all'])) ?? {};
  }

  async isLeader(): Promise<boolean> {
    return (await this.#json<boolean>('is-leader', ['--format=json'])) === true;
  }

  async leaderGet(): Promise<Record<string, string>> {
    return (await this.#json<Record<string, string> | null>('leader-get', ['--format=json', '-'])) ?? {};
  }

  async leaderSet(settings: Readonly<Record<string, string>>): Promise<void> {
    const pairs = Object.entries(settings).map(([key, value]) => `${key}=${value}`);
    if (pairs.length > 0) await this.run('leader-set', pairs);
  }

  async relationIds(endpoint: string): Promise<string[]> {
    return (await this.#json<string[] | null>('relation-ids', ['--format=json', endpoint])) ?? [];
  }

  async relationList(relationId?: string): Promise<string[]> {
    return (await this.#json<string[] | null>('relation-list', ['--format=json', ...relationFlag(relationId)])) ?? [];
  }

  async relationRemoteApp(relationId?: string): Promise<string> {
    return String((await this.#json<string | null>('relation-list', ['--format=json', '--app', ...relationFlag(relationId)])) ?? '');
  }

  async relationGet(options: { relationId?: string; unit?: string; app?: boolean } = {}): Promise<Record<string, string>> {
    const argv = ['--format=json', ...relationFlag(options.relationId), ...(options.app ? ['--app'] : []), '-'];
    if (options.unit) argv.push(options.unit);
    return (await this.#json<Record<string, string> | null>('relation-get', argv)) ?? {};
  }

  async relationSet(data: Readonly<Record<string, string>>, options: { relationId?: string; app?: boolean } = {}): Promise<void> {
    const argv = [...relationFlag(options.relationId), ...(options.app ? ['--app'] : []), '--file', '-'];
    await this.run('relation-set', argv, JSON.stringify(data));
  }

  async resourceGet(name: string): Promise<string> {
    // Juju prints the path without a newline; tolerate one from other implementations.
    return (await this.run('resource-get', [name])).replace(/\n$/, '');
  }

  podSpecSet(spec: SpecDocument, options: { k8sResources?: SpecDocument } = {}): Promise<void> {
    return this.#specSet('pod-spec-set', spec, options.k8sResources);
  }

  k8sSpecSet(spec: SpecDocument, options: { k8sResources?: SpecDocument } = {}): Promise<void> {
    return this.#specSet('k8s-spec-set', spec, options.k8sResources);
  }

  async k8sRawSet(spec: SpecDocument): Promise<void> {
    await this.run('k8s-raw-set', ['--file', '-'], documentText(spec));
  }

  async #specSet(tool: string, spec: SpecDocument, k8sResources: SpecDocument | undefined): Promise<void> {
    if (k8sResources === undefined) {
      await this.run(tool, ['--file', '-'], documentText(spec));
      return;
    }
    // The spec goes through stdin, so the resources need a file; only we can read it.
    const folder = await mkdtemp(join(tmpdir(), 'charms-k8s-resources-'));
    const file = join(folder, 'k8s-resources.yaml');
    try {
      await writeFile(file, documentText(k8sResources), { mode: 0o600 });
      await this.run(tool, ['--file', '-', '--k8s-resources', file], documentText(spec));
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  }

  async openPort(port: PortRange, protocol?: 'tcp' | 'udp', options: { endpoints?: readonly string[] } = {}): Promise<void> {
    await this.run('open-port', portArgs(port, protocol, options.endpoints));
  }

  async closePort(port: PortRange, protocol?: 'tcp' | 'udp', options: { endpoints?: readonly string[] } = {}): Promise<void> {
    await this.run('close-port', portArgs(port, protocol, options.endpoints));
  }

  async openedPorts(): Promise<string[]> {
    return (await this.#json<string[] | null>('opened-ports', ['--format=json'])) ?? [];
  }

  async networkGet(binding: string, options: { relationId?: string } = {}): Promise<NetworkInfo> {
    return (await this.#json<NetworkInfo | null>('network-get', ['--format=json', ...relationFlag(options.relationId), binding])) ?? {};
  }

  async unitGet(setting: 'private-address' | 'public-address'): Promise<string> {
    return String((await this.#json<string | null>('unit-get', ['--format=json', setting])) ?? '');
  }

  async actionGet(): Promise<Record<string, unknown>> {
    return (await this.#json<Record<string, unknown> | null>('action-get', ['--format=json'])) ?? {};
  }

  async actionSet(results: Readonly<Record<string, unknown>>): Promise<void> {
    const pairs = flatten(results).map(([key, value]) => `${key}=${value}`);
    if (pairs.length > 0) await this.run('action-set', pairs);
  }

  async actionFail(message?: string): Promise<void> {
    await this.run('action-fail', message === undefined ? [] : ['--', message]);
  }

  async actionLog(message: string): Promise<void> {
    await this.run('action-log', ['--', message]);
  }

  async stateGet(): Promise<Record<string, string>> {
    return (await this.#json<Record<string, string> | null>('state-get', ['--format=json', '-'])) ?? {};
  }

  async stateSet(data: Readonly<Record<string, string>>): Promise<void> {
    await this.run('state-set', ['--file', '-'], JSON.stringify(data));
  }

  async stateDelete(key: string): Promise<void> {
    await this.run('state-delete', [key]);
  }

  async goalState(): Promise<GoalState> {
    return this.#json<GoalState>('goal-state', ['--format=json']);
  }

  async jujuLog(message: string, level: LogLevel = 'INFO'): Promise<void> {
    await this.run('juju-log', ['--log-level', level, '--', message]);
  }
}

function relationFlag(relationId: string | undefined): string[] {
  return relationId ? ['-r', relationId] : [];
}

function portArgs(port: PortRange, protocol: string | undefined, endpoints: readonly string[] | undefined): string[] {
  const target = port === 'icmp' || protocol === undefined ? String(port) : `${port}/${protocol}`;
  return [...(endpoints && endpoints.length > 0 ? ['--endpoints', endpoints.join(',')] : []), target];
}

function documentText(document: SpecDocument): string {
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
