/** What a hook tool answers: what it prints and its exit code, as jujud hands it back. */
export interface ToolResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/**
 * A tool that stopped with an error, as juju/cmd reports it (`cmd.go` `handleCommandError`):
 * `ERROR <message>` on stderr, exit 2 for a usage error (a bad flag, `Init` refusing the
 * arguments), exit 1 for an error while running.
 */
export class ToolFailure extends Error {
  constructor(
    readonly exitCode: 1 | 2,
    message: string,
  ) {
    super(message);
    this.name = 'ToolFailure';
  }
}

/** A usage error: exit 2. */
export const usage = (message: string): never => {
  throw new ToolFailure(2, message);
};

/** An error while running: exit 1. */
export const failure = (message: string): never => {
  throw new ToolFailure(1, message);
};

/** Success, printing `stdout` (and, rarely, a warning on `stderr`). */
export function ok(stdout = '', stderr = ''): ToolResult {
  return { stdout, stderr, exitCode: 0 };
}

/** The answer for a failure: `ERROR <message>\n` and its exit code. */
export function failed(error: unknown): ToolResult {
  const exitCode = error instanceof ToolFailure ? error.exitCode : 1;
  return { stdout: '', stderr: `ERROR ${(error as Error).message}\n`, exitCode };
}
