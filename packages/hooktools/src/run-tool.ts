import type { ToolRun } from './interpret-failure.js';

/** How to run tools: the environment (its PATH finds them) and the working folder. */
export interface RunToolOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
}

/**
 * Runs one hook tool as a child process, without a shell, optionally feeding `stdin`,
 * and reports what happened. It never throws for a non-zero exit; interpreting that is
 * the caller's job. A tool that cannot be started has `exitCode: null` and the reason
 * in `stderr`.
 */
export async function runTool(tool: string, argv: readonly string[], stdin: string | undefined, options: RunToolOptions): Promise<ToolRun> {
  // Loaded on the first tool call, not with the package: node:child_process costs a hook
  // several milliseconds to load, and a hook may call no tool at all.
  const { spawn } = await import('node:child_process');
  return new Promise((resolve) => {
    const child = spawn(tool, argv, {
      env: options.env ?? process.env,
      cwd: options.cwd,
      stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout!.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk));
    let failedToStart: Error | undefined;
    child.on('error', (error) => {
      failedToStart = error;
    });
    if (stdin !== undefined) {
      // A tool that exits without reading stdin closes the pipe; that is not our error.
      child.stdin!.on('error', () => undefined);
      child.stdin!.end(stdin);
    }
    child.on('close', (code, signal) => {
      resolve({
        tool,
        argv,
        exitCode: failedToStart ? null : (code ?? (signal ? 128 : 1)),
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: failedToStart ? String(failedToStart.message) : Buffer.concat(stderr).toString('utf8'),
      });
    });
  });
}
