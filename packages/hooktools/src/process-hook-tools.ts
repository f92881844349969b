import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ToolRun } from './interpret-failure.js';
import { runTool, type RunToolOptions } from './run-tool.js';
import type { ToolCommand } from './tool-commands.js';
import { ToolClient } from './tool-client.js';

/**
 * {@link HookTools} over the real tools on `PATH`, as Juju provides them to a hook.
 * Every call is one child process; nothing is cached (a unit's leadership, config and
 * relation data can change between calls).
 *
 * @example
 * const tools = new ProcessHookTools();
 * await tools.statusSet('maintenance', 'fetching resource: oci-image');
 */
export class ProcessHookTools extends ToolClient {
  readonly #options: RunToolOptions;

  constructor(options: RunToolOptions = {}) {
    super();
    this.#options = options;
  }

  protected execute(command: ToolCommand): Promise<ToolRun> {
    return runTool(command.tool, command.argv, command.stdin, this.#options);
  }

  protected async withFile<T>(text: string, use: (path: string) => Promise<T>): Promise<T> {
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
