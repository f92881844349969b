import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ToolRun } from './interpret-failure.js';
import { JujucClient, jujucSocketConfig } from './jujuc-socket/jujuc-client.js';
import { runTool, type RunToolOptions } from './run-tool.js';
import type { ToolCommand } from './tool-commands.js';
import { ToolClient } from './tool-client.js';

/**
 * {@link HookTools} over the real tools, as Juju provides them to a hook. When the
 * hook's environment names the unit agent's socket (JUJU_AGENT_SOCKET_ADDRESS on a
 * `unix` network, and JUJU_CONTEXT_ID), each call of a Juju hook tool is one RPC on
 * one connection kept for the hook, the same request the tool's own process (jujuc)
 * would send, without starting a process. Otherwise, for any other program, and for
 * every call after the socket failed, every call is one child process found on `PATH`.
 * Either way a call gives the same exit code, stdout and stderr; nothing is cached (a
 * unit's leadership, config and relation data can change between calls).
 *
 * @example
 * const tools = new ProcessHookTools();
 * await tools.statusSet('maintenance', 'fetching resource: oci-image');
 */
export class ProcessHookTools extends ToolClient {
  readonly #options: RunToolOptions;
  // undefined: not looked at yet; null: the environment names no usable socket.
  #jujuc: JujucClient | null | undefined;

  constructor(options: RunToolOptions = {}) {
    super();
    this.#options = options;
  }

  protected async execute(command: ToolCommand): Promise<ToolRun> {
    if (JujucClient.serves(command.tool)) {
      if (this.#jujuc === undefined) {
        const config = jujucSocketConfig(this.#options.env ?? process.env);
        this.#jujuc = config ? new JujucClient(config) : null;
      }
      // jujuc sends its working folder, the one the tool's process would have started in.
      const run = await this.#jujuc?.call(command, resolve(this.#options.cwd ?? process.cwd()));
      if (run) return run;
    }
    return runTool(command.tool, command.argv, command.stdin, this.#options);
  }

  protected async withFile<T>(text: string, use: (path: string) => Promise<T>): Promise<T> {
    // Loaded here, not with the package: node:fs/promises brings Node's streams and
    // readline with it, a few milliseconds every hook would pay for a pod spec few set.
    const { mkdtemp, rm, writeFile } = await import('node:fs/promises');
    const folder = await mkdtemp(join(tmpdir(), 'charms-k8s-resources-'));
    const file = join(folder, 'k8s-resources.yaml');
    try {
      await writeFile(file, text, { mode: 0o600 });
      return await use(file);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  }
}
