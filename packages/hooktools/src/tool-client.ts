import { HookToolError } from './errors.js';
import type {
  GoalState,
  HookTools,
  LogLevel,
  NetworkInfo,
  PortRange,
  SpecDocument,
  StatusInfo,
  StorageInfo,
  WorkloadStatus,
} from './hook-tools.js';
import { interpretFailure, type ToolRun } from './interpret-failure.js';
import { toolCommands as cmd, type ToolCommand } from './tool-commands.js';

/**
 * {@link HookTools} as command lines: every method builds the argv a real Juju tool
 * takes (`toolCommands`), hands it to {@link ToolClient.execute}, and reads the answer
 * as the real tool prints it (`--format=json`, exit codes, Juju's error texts). The
 * subclasses differ only in who answers: `ProcessHookTools` runs the tools on `PATH`,
 * `MemoryHookTools` asks the jujuc emulator over a world in memory.
 */
export abstract class ToolClient implements HookTools {
  /** Runs one command and reports what it printed and how it exited (never throws for a non-zero exit). */
  protected abstract execute(command: ToolCommand): Promise<ToolRun>;

  /** Makes `text` readable at a private path while `use` runs (the k8s resources of pod-spec-set). */
  protected abstract withFile<T>(text: string, use: (path: string) => Promise<T>): Promise<T>;

  /**
   * Runs any tool and returns its stdout.
   * @throws HookToolError (or a narrower subclass) when it exits non-zero or cannot start.
   */
  async run(tool: string, argv: readonly string[], stdin?: string): Promise<string> {
    const result = await this.execute({ tool, argv, ...(stdin === undefined ? {} : { stdin }) });
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

  async #exec(command: ToolCommand): Promise<string> {
    return this.run(command.tool, command.argv, command.stdin);
  }

  /** Runs a command that prints JSON and parses it; Juju's `null` becomes `fallback`. */
  async #json<T>(command: ToolCommand, fallback: T): Promise<T> {
    const stdout = await this.#exec(command);
    let value: T | null;
    try {
      value = JSON.parse(stdout) as T | null;
    } catch {
      throw new HookToolError(
        { tool: command.tool, argv: command.argv, exitCode: 0, stderr: '' },
        'HOOK_TOOL_OUTPUT',
        `${command.tool} ${command.argv.join(' ')} printed something that is not JSON: ${JSON.stringify(stdout.slice(0, 200))}`,
      );
    }
    return value ?? fallback;
  }

  async statusSet(status: WorkloadStatus, message = '', options: { application?: boolean } = {}): Promise<void> {
    await this.#exec(cmd.statusSet(status, message, options.application));
  }

  async statusGet(options: { application?: boolean } = {}): Promise<StatusInfo> {
    const raw = await this.#json<Record<string, unknown>>(cmd.statusGet(options.application), {});
    const info = (options.application ? raw['application-status'] : raw) as Record<string, unknown> | undefined;
    return {
      status: String(info?.status ?? ''),
      message: String(info?.message ?? ''),
      statusData: (info?.['status-data'] as Record<string, unknown> | undefined) ?? {},
    };
  }

  async applicationVersionSet(version: string): Promise<void> {
    await this.#exec(cmd.applicationVersionSet(version));
  }

  configGet(): Promise<Record<string, unknown>> {
    return this.#json(cmd.configGet(), {});
  }

  async isLeader(): Promise<boolean> {
    return (await this.#json(cmd.isLeader(), false)) === true;
  }

  leaderGet(): Promise<Record<string, string>> {
    return this.#json(cmd.leaderGet(), {});
  }

  async leaderSet(settings: Readonly<Record<string, string>>): Promise<void> {
    if (Object.keys(settings).length > 0) await this.#exec(cmd.leaderSet(settings));
  }

  relationIds(endpoint: string): Promise<string[]> {
    return this.#json(cmd.relationIds(endpoint), []);
  }

  relationList(relationId?: string): Promise<string[]> {
    return this.#json(cmd.relationList(relationId), []);
  }

  async relationRemoteApp(relationId?: string): Promise<string> {
    return String(await this.#json(cmd.relationRemoteApp(relationId), ''));
  }

  relationGet(options: { relationId?: string; unit?: string; app?: boolean } = {}): Promise<Record<string, string>> {
    return this.#json(cmd.relationGet(options.relationId, options.unit, options.app), {});
  }

  async relationSet(data: Readonly<Record<string, string>>, options: { relationId?: string; app?: boolean } = {}): Promise<void> {
    await this.#exec(cmd.relationSet(data, options.relationId, options.app));
  }

  async resourceGet(name: string): Promise<string> {
    // Juju prints the path without a newline; tolerate one from other implementations.
    return (await this.#exec(cmd.resourceGet(name))).replace(/\n$/, '');
  }

  podSpecSet(spec: SpecDocument, options: { k8sResources?: SpecDocument } = {}): Promise<void> {
    return this.#specSet('pod-spec-set', spec, options.k8sResources);
  }

  k8sSpecSet(spec: SpecDocument, options: { k8sResources?: SpecDocument } = {}): Promise<void> {
    return this.#specSet('k8s-spec-set', spec, options.k8sResources);
  }

  async k8sRawSet(spec: SpecDocument): Promise<void> {
    await this.#exec(cmd.k8sRawSet(await yamlText(spec)));
  }

  async #specSet(tool: 'pod-spec-set' | 'k8s-spec-set', spec: SpecDocument, k8sResources: SpecDocument | undefined): Promise<void> {
    const text = await yamlText(spec);
    if (k8sResources === undefined) {
      await this.#exec(cmd.specSet(tool, text));
      return;
    }
    // The spec goes through stdin, so the resources need a file that only we can read.
    await this.withFile(await yamlText(k8sResources), (file) => this.#exec(cmd.specSet(tool, text, file)));
  }

  async openPort(port: PortRange, protocol?: 'tcp' | 'udp', options: { endpoints?: readonly string[] } = {}): Promise<void> {
    await this.#exec(cmd.openPort(port, protocol, options.endpoints));
  }

  async closePort(port: PortRange, protocol?: 'tcp' | 'udp', options: { endpoints?: readonly string[] } = {}): Promise<void> {
    await this.#exec(cmd.closePort(port, protocol, options.endpoints));
  }

  openedPorts(): Promise<string[]> {
    return this.#json(cmd.openedPorts(), []);
  }

  networkGet(binding: string, options: { relationId?: string } = {}): Promise<NetworkInfo> {
    return this.#json(cmd.networkGet(binding, options.relationId), {});
  }

  async unitGet(setting: 'private-address' | 'public-address'): Promise<string> {
    return String(await this.#json(cmd.unitGet(setting), ''));
  }

  actionGet(): Promise<Record<string, unknown>> {
    return this.#json(cmd.actionGet(), {});
  }

  async actionSet(results: Readonly<Record<string, unknown>>): Promise<void> {
    const command = cmd.actionSet(results);
    if (command.argv.length > 0) await this.#exec(command);
  }

  async actionFail(message?: string): Promise<void> {
    await this.#exec(cmd.actionFail(message));
  }

  async actionLog(message: string): Promise<void> {
    await this.#exec(cmd.actionLog(message));
  }

  stateGet(): Promise<Record<string, string>> {
    return this.#json(cmd.stateGet(), {});
  }

  async stateSet(data: Readonly<Record<string, string>>): Promise<void> {
    await this.#exec(cmd.stateSet(data));
  }

  async stateDelete(key: string): Promise<void> {
    await this.#exec(cmd.stateDelete(key));
  }

  goalState(): Promise<GoalState> {
    return this.#json(cmd.goalState(), { units: {}, relations: {} });
  }

  storageGet(storageId?: string): Promise<StorageInfo> {
    return this.#json(cmd.storageGet(storageId), { kind: 'filesystem', location: '' });
  }

  storageList(store?: string): Promise<string[]> {
    return this.#json(cmd.storageList(store), []);
  }

  async storageAdd(counts: Readonly<Record<string, number>>): Promise<void> {
    await this.#exec(cmd.storageAdd(counts));
  }

  async jujuLog(message: string, level: LogLevel = 'INFO'): Promise<void> {
    await this.#exec(cmd.jujuLog(message, level));
  }
}

/**
 * A spec document as the text sent: YAML as given, or an object written as YAML 1.1.
 * Not JSON: Juju joins the spec and the k8s resources as text before decoding them as one
 * YAML document, which a JSON spec followed by block YAML breaks. The YAML writer loads
 * only when an object comes (a hook that sends none never loads it).
 */
async function yamlText(document: SpecDocument): Promise<string> {
  if (typeof document === 'string') return document;
  const { yaml11 } = await import('./jujuc/output.js');
  return yaml11(document);
}
