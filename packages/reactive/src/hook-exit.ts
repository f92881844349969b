/**
 * Thrown by `exitHook()` to end the hook early, like `sys.exit(code)` in a Python
 * handler. Code 0 ends dispatch at once and the hook still succeeds: atexit callbacks
 * run and the state is committed. Any other code fails the hook and commits nothing.
 *
 * Handlers should not catch it; the runtime does.
 */
export class HookExit extends Error {
  readonly exitCode: number;

  constructor(exitCode: number) {
    super(`hook exited with code ${exitCode}`);
    this.name = 'HookExit';
    this.exitCode = exitCode;
  }
}

/** True when `error` is a {@link HookExit}, also across module instances. */
export function isHookExit(error: unknown): error is HookExit {
  return error instanceof HookExit || (error instanceof Error && error.name === 'HookExit' && 'exitCode' in error);
}
