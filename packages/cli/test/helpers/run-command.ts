import { spawn, type ChildProcess } from 'node:child_process';

// Tests that start a process which can take a minute on a busy machine (the charms
// command, a hook through a built charm's dispatch) must not wait for it in spawnSync:
// that blocks the vitest worker's event loop, and vitest's own calls to the main process
// (onTaskUpdate, with a time-out of 60 s) fail the run even when the test passes.

/** How a command ended, like spawnSync's result: `status` is null when a signal ended it. */
export interface CommandResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CommandOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Written to the command's stdin, which is then closed (closed at once without it). */
  input?: string;
  /** Milliseconds after which the command and everything it started are killed (SIGKILL). */
  timeout?: number;
}

export const DEFAULT_COMMAND_TIMEOUT = 90_000;

/** Process groups still running, killed if the test process ends before them. */
const running = new Set<ChildProcess>();
let exitHook = false;

/**
 * Runs a command without blocking the event loop and resolves when it has ended and its
 * output is closed, whatever its exit code (it rejects only when it cannot be started).
 * The command runs in a process group of its own, so that a time-out kills what it
 * started too (a `dispatch` script's node, the hook tools), and says so in `stderr`.
 */
export function runCommand(command: string, args: readonly string[] = [], options: CommandOptions = {}): Promise<CommandResult> {
  const timeout = options.timeout ?? DEFAULT_COMMAND_TIMEOUT;
  if (!exitHook) {
    exitHook = true;
    process.once('exit', () => {
      for (const child of running) killGroup(child);
    });
  }
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    running.add(child);
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout!.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk));
    // A command that exits without reading its input closes the pipe: not an error here.
    child.stdin!.on('error', () => {});
    child.stdin!.end(options.input ?? '');

    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child);
    }, timeout);

    const finish = (error: Error | undefined, status: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(timer);
      running.delete(child);
      if (error) return reject(error);
      let err = Buffer.concat(stderr).toString('utf8');
      if (timedOut) err += `${err === '' || err.endsWith('\n') ? '' : '\n'}runCommand: killed after ${timeout} ms: ${[command, ...args].join(' ')}\n`;
      resolve({ status, signal, stdout: Buffer.concat(stdout).toString('utf8'), stderr: err });
    };
    child.once('error', (error) => {
      // Only a command that never started ends here; a failed kill is no news.
      if (child.pid === undefined) finish(error, null, null);
    });
    child.once('close', (code, signal) => finish(undefined, code, signal));
  });
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}
