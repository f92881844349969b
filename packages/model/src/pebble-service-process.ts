/**
 * A service's command as a process (canonical/pebble servstate/handlers.go startInternal):
 * its command line parsed, its executable found inside the container, started there in
 * a process group of its own (workload-sandbox.ts) — or Pebble's text saying why not.
 * The local model runs it only when it runs workloads, and says so first otherwise.
 */
import type { ChildProcessByStdio } from 'node:child_process';
import { existsSync } from 'node:fs';
import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import type { ContainerFilesystem } from './container-filesystem.js';
import { parseCommand } from './pebble-command.js';
import { workloadBaseEnvironment } from './pebble-environment.js';
import type { PebbleService } from './pebble-layer-parse.js';
import { spawnWorkload } from './workload-sandbox.js';

export interface ServiceProcessOptions {
  readonly runWorkloads: boolean;
  /** The container's files: a service runs inside them, from its working-dir or `/`. */
  readonly container: ContainerFilesystem;
  readonly log: (line: string) => void;
}

/** Starts service `name`'s process, or returns the text its start task fails with. */
export function startServiceProcess(name: string, config: PebbleService, options: ServiceProcessOptions): ChildProcessByStdio<null, Readable, Readable> | string {
  let words: string[];
  try {
    const { base, extra } = parseCommand(config.command ?? '');
    words = [...base, ...extra];
  } catch (error) {
    return `cannot parse service ${JSON.stringify(name)} command: ${(error as Error).message}`;
  }
  // Without --run-workloads nothing runs, whether or not the executable is here: say so first.
  if (!options.runWorkloads) {
    return `cannot start service: the local model runs no workloads, so ${JSON.stringify(words[0])} was not run (deploy with --run-workloads to run services as local processes)`;
  }
  const environment = { ...workloadBaseEnvironment(), ...(config.environment ?? {}) };
  const workingDir = posix.resolve('/', config['working-dir'] || '/');
  const executable = options.container.findExecutable(words[0]!, environment.PATH ?? '', workingDir);
  if (typeof executable !== 'string') return `cannot start service: ${executable.error}`;
  if (!existsSync(options.container.resolve(workingDir).host)) return `cannot start service: chdir ${config['working-dir'] ?? '/'}: no such file or directory`;
  options.log(`Service ${JSON.stringify(name)} starting: ${config.command}`);
  // Its own process group (detached), as Pebble's Setpgid: a stop signals the whole group.
  return spawnWorkload(options.container, { command: [executable, ...words.slice(1)], workingDir, environment, stdin: 'ignore' });
}
