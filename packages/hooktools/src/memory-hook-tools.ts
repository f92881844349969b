import type { ToolRun } from './interpret-failure.js';
import type { MemoryWorld } from './jujuc/memory-world.js';
import type { ToolCommand } from './tool-commands.js';
import { ToolClient } from './tool-client.js';

/**
 * The action a {@link MemoryHookTools} runs in: its parameters (what `action-get` prints);
 * the tools fill `results`, `failed` and `log` as Juju's do.
 */
export interface MemoryAction {
  params?: Record<string, unknown>;
  results?: Record<string, unknown>;
  failed?: string;
  log?: string[];
}

/** What {@link MemoryHookTools} starts from: any part of a {@link MemoryWorld}, and the action it runs in. */
export type MemoryHookToolsOptions = Omit<Partial<MemoryWorld>, 'action'> & { action?: MemoryAction };

/** One recorded call: the command line `ProcessHookTools` would run. */
export type RecordedCall = ToolCommand;

// Where the k8s resources of pod-spec-set are while the call runs (the world's files).
const K8S_RESOURCES_FILE = '<k8s-resources file>';

/**
 * An in-memory twin of the hook tools, for testing charms and layers without processes.
 * Every call goes the way of `ProcessHookTools`: the same argv, answered by the same
 * jujuc emulator that answers the local model's tools, read back the same way. It
 * answers from a {@link MemoryWorld}, commits each call's transactional changes at once
 * (there is no hook end here), and records every call, so a test can assert both the
 * effects and the exact calls.
 *
 * @example
 * const tools = new MemoryHookTools({ unitName: 'minio/0', config: { port: 9000 } });
 * await tools.statusSet('active');
 * tools.status; // { status: 'active', message: '' }
 *
 * // inside an action: action-get prints the params, action-set fills world.action.results
 * const inAction = new MemoryHookTools({ action: { params: { target: 'nightly' } } });
 */
export class MemoryHookTools extends ToolClient {
  readonly world: MemoryWorld;
  readonly calls: RecordedCall[] = [];

  constructor(options: MemoryHookToolsOptions = {}) {
    super();
    const { action, ...world } = options;
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
      // The caller's object itself, completed, as the world keeps every other part it is given.
      ...(action ? { action: Object.assign(action, { params: action.params ?? {}, results: action.results ?? {}, log: action.log ?? [] }) } : {}),
    };
  }

  /** The last unit status set, or `unknown` with an empty message. */
  get status(): { status: string; message: string } {
    const last = this.world.statusHistory.filter((s) => !s.application).at(-1);
    return last ? { status: last.status, message: last.message } : { status: 'unknown', message: '' };
  }

  protected async execute(command: ToolCommand): Promise<ToolRun> {
    this.calls.push(command);
    // Loaded on the first call: a charm bundle that imports this package for
    // ProcessHookTools does not load the emulator (nor its YAML library) at start.
    const { answerFromMemory, commitChanges, noChanges } = await import('./jujuc/memory-world.js');
    const changes = noChanges();
    const answer = answerFromMemory(this.world, command, { changes });
    if (answer.exitCode === 0) commitChanges(this.world, changes);
    return { tool: command.tool, argv: command.argv, ...answer };
  }

  protected async withFile<T>(text: string, use: (path: string) => Promise<T>): Promise<T> {
    const files = (this.world.files ??= {});
    files[K8S_RESOURCES_FILE] = text;
    try {
      return await use(K8S_RESOURCES_FILE);
    } finally {
      delete files[K8S_RESOURCES_FILE];
    }
  }
}
