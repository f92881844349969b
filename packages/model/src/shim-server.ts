import { chmodSync, closeSync, constants, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { Socket } from 'node:net';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { HOOK_TOOLS } from './hook-tool-server.js';
import { stdinShellRule } from '@charms/hooktools/internal';
import type { ToolResult } from '@charms/hooktools/jujuc';

/** One tool call as a shim sends it. */
export interface ShimRequest {
  readonly contextId: string;
  readonly tool: string;
  readonly argv: readonly string[];
  readonly stdin: string;
  /** The caller's working folder: relative `--file` paths are read from there, as Juju does. */
  readonly cwd: string;
}


/**
 * The hook-tool shims: one small `/bin/sh` script per tool on the hook's PATH. A call
 * costs a shell, not a Node start: the shim writes its arguments (and stdin, for the
 * tools that read it) to files of its own, names them on the model's request FIFO,
 * and waits on a FIFO of its own for the exit code, then prints the answer. The answer
 * FIFO is one of those the model made ready before the hook (`ShimServer.fill`), taken
 * with shell builtins; only when none is free does the shim run `mkfifo` for its own.
 */
export function writeShims(binDir: string): void {
  mkdirSync(binDir, { recursive: true });
  for (const tool of Object.keys(HOOK_TOOLS)) {
    const path = join(binDir, tool);
    const script = shimScript(tool);
    // Another command may be running hooks with these shims: never touch one that is right,
    // and replace a wrong one in one step.
    if (existsSync(path) && readFileSync(path, 'utf8') === script) continue;
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, script);
    chmodSync(temporary, 0o755);
    renameSync(temporary, path);
  }
}

/**
 * How many answer FIFOs the model keeps ready for a hook's tool calls (`tool.p<n>.done`
 * in CHARMS_TOOL_TMP; the hook is told the number in CHARMS_TOOL_POOL). A FIFO made by
 * the model before the hook saves each call a program start (`mkfifo`, about a tenth of
 * the call); MinIO's install hook makes 31 calls.
 */
export const ANSWER_POOL_SIZE = 32;

/** How long a shim waits for the model's answer when CHARMS_TOOL_TIMEOUT does not say. */
export const DEFAULT_TOOL_TIMEOUT_SECONDS = 120;

function shimScript(tool: string): string {
  const stdinRule = stdinShellRule(tool);
  return `#!/bin/sh
# charms local model: the ${tool} hook tool (a front for the model process).
if [ -z "$JUJU_CONTEXT_ID" ]; then echo "ERROR JUJU_CONTEXT_ID not set" >&2; exit 1; fi
if [ -z "$CHARMS_TOOL_FIFO" ] || [ -z "$CHARMS_TOOL_TMP" ]; then echo "ERROR CHARMS_TOOL_FIFO and CHARMS_TOOL_TMP must name the local model's FIFO and folder" >&2; exit 1; fi
# The call's files hold arguments and answers, secrets among them: this user's alone.
umask 077
# One set of files per call. First choice: an answer FIFO the model made before the hook
# (tool.p<n>.done); creating its .argv file with noclobber (set -C) takes it, so two calls
# never share one, and a taken one stays taken until the model sweeps it after the hook.
req=
n=0
set -C
while [ "$n" -lt "\${CHARMS_TOOL_POOL:-0}" ] 2>/dev/null; do
  if [ -p "$CHARMS_TOOL_TMP/tool.p$n.done" ] && { for a in "$@"; do printf '%s\\0' "$a"; done > "$CHARMS_TOOL_TMP/tool.p$n.argv"; } 2>/dev/null; then
    req="$CHARMS_TOOL_TMP/tool.p$n"
    # Swept between the check and the taking: make it again (nobody else can now).
    [ -p "$req.done" ] || mkfifo "$req.done" 2>/dev/null || { echo "ERROR cannot create $req.done" >&2; exit 1; }
    break
  fi
  n=$((n + 1))
done
set +C
# None free: files named by this shell's PID. A killed shim can leave files under a PID
# that is ours now: never reuse them (its answer may still come), take the next free
# name; the model sweeps leftovers when no hook runs.
if [ -z "$req" ]; then
  req="$CHARMS_TOOL_TMP/tool.$$"
  tries=0
  until mkfifo "$req.done" 2>/dev/null; do
    tries=$((tries + 1))
    if [ "$tries" -ge 5 ]; then echo "ERROR cannot create $req.done" >&2; exit 1; fi
    req="$req.$tries"
  done
  for a in "$@"; do printf '%s\\0' "$a"; done > "$req.argv"
fi
${stdinRule}
if [ "$reads" = yes ]; then cat > "$req.stdin"; fi
# A model that is gone must not hang the hook: give up after CHARMS_TOOL_TIMEOUT seconds.
# A background sleep holds our answer FIFO open for writing that long; we read from it
# read-only, so when the sleep ends with no answer the read sees end-of-file. The sleep
# is the background job itself (no subshell between), so killing it leaves nothing behind.
wait_for="\${CHARMS_TOOL_TIMEOUT:-${DEFAULT_TOOL_TIMEOUT_SECONDS}}"
case "$wait_for" in ''|*[!0-9]*) wait_for=${DEFAULT_TOOL_TIMEOUT_SECONDS} ;; esac
[ "$wait_for" -gt 0 ] || wait_for=${DEFAULT_TOOL_TIMEOUT_SECONDS}
sleep "$wait_for" </dev/null >"$req.done" 2>/dev/null &
watchdog=$!
# Opening read-only waits for the sleep's open for writing: from here the model can always write.
exec 3<"$req.done"
# Read-write, so the open cannot block on a FIFO nobody reads any more; not a FIFO at all
# means the model that made it has cleaned up.
if [ ! -p "$CHARMS_TOOL_FIFO" ]; then kill "$watchdog" 2>/dev/null; echo "ERROR the local model is not running: $CHARMS_TOOL_FIFO is gone" >&2; exit 1; fi
printf '%s\\t%s\\t%s\\t%s\\n' "$JUJU_CONTEXT_ID" "${tool}" "$req" "$PWD" 1<>"$CHARMS_TOOL_FIFO"
# The answer: the exit code, the sizes of stdout and stderr in bytes, 1 if either holds a NUL.
read -r code out err binary <&3 || code=
kill "$watchdog" 2>/dev/null
exec 3<&-
if [ -z "$code" ]; then echo "ERROR the local model did not answer ${tool} within $wait_for s: is the charms command that runs this hook still alive? (CHARMS_TOOL_TIMEOUT sets the wait)" >&2; exit 1; fi
# Short text answers are printed with shell builtins rather than cat (which alone keeps
# NUL bytes), and the files are left for the model to delete: every program started here
# costs the hook about a millisecond.
print() { if [ "\${1:-0}" -ge 4096 ] || [ "$binary" = 1 ]; then cat; else while IFS= read -r line; do printf '%s\\n' "$line"; done; if [ -n "$line" ]; then printf '%s' "$line"; fi; fi; }
if [ "\${out:-0}" -gt 0 ]; then print "$out" < "$req.stdout"; fi
if [ "\${err:-0}" -gt 0 ]; then print "$err" < "$req.stderr" >&2; fi
exit "\${code:-1}"
`;
}

/**
 * The model's end of the shims: reads requests from the FIFO and answers each with
 * `handle`. The FIFO is opened read-write, so it never reports end-of-file between
 * callers; `close()` wakes the reader with a last line and stops.
 */
export class ShimServer {
  readonly fifo: string;
  readonly #socket: Socket;
  readonly #done: Promise<void>;
  readonly #answered: string[] = [];
  /** Where the answer FIFOs of `fill` are, and how many. */
  #pool: { readonly dir: string; readonly size: number } | undefined;

  /**
   * @param pool the answer FIFOs to make ready with the request FIFO, by the same
   *   `mkfifo` (see {@link ShimServer.fill}): one program start for both, which costs a
   *   command several milliseconds on a machine where starting a process is slow.
   */
  constructor(fifo: string, handle: (request: ShimRequest) => Promise<ToolResult>, pool?: { readonly dir: string; readonly size: number }) {
    this.fifo = fifo;
    if (existsSync(fifo)) rmSync(fifo);
    this.#pool = pool;
    execFileSync('mkfifo', ['-m', '600', fifo, ...(pool ? this.#missingSlots(pool.dir, pool.size) : [])]);
    // Read-write and non-blocking: the FIFO never reports end-of-file between callers,
    // and libuv watches it with epoll instead of parking a thread-pool thread on read().
    const fd = openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK);
    this.#socket = new Socket({ fd, readable: true, writable: false });
    const lines = createInterface({ input: this.#socket });
    const pending: Promise<void>[] = [];
    this.#done = (async () => {
      for await (const line of lines) {
        if (line === 'stop') break;
        const [contextId, tool, files, cwd] = line.split('\t');
        if (!contextId || !tool || !files) continue;
        this.#answered.push(files);
        pending.push(answer(files, { contextId, tool, argv: readArgv(`${files}.argv`), stdin: readStdin(`${files}.stdin`), cwd: cwd ?? '/' }, handle));
      }
      await Promise.all(pending);
      lines.close();
    })();
  }

  /**
   * Makes the answer FIFOs of the pool ready in `dir` (CHARMS_TOOL_TMP) before a hook:
   * each of the `size` slots that is neither there nor taken (its `.argv` written by a
   * call not yet swept), with one `mkfifo` for all. The pool only saves time: if it
   * cannot be made, the calls make their own FIFOs.
   */
  fill(dir: string, size: number): void {
    this.#pool = { dir, size };
    const missing = this.#missingSlots(dir, size);
    if (missing.length === 0) return;
    try {
      execFileSync('mkfifo', ['-m', '600', ...missing], { stdio: 'ignore' });
    } catch {
      // A slot made meanwhile, or no room: those calls run mkfifo themselves.
    }
  }

  /** The answer FIFOs of the pool that are neither there nor taken (a call not yet swept wrote its `.argv`). */
  #missingSlots(dir: string, size: number): string[] {
    const missing: string[] = [];
    for (let n = 0; n < size; n += 1) {
      const slot = join(dir, `tool.p${n}`);
      if (!existsSync(`${slot}.done`) && !existsSync(`${slot}.argv`)) missing.push(`${slot}.done`);
    }
    return missing;
  }

  /**
   * Deletes the files of the calls answered so far. The shims leave them (deleting costs
   * each call a program start): call this when the processes that made the calls have
   * ended, after each hook. `close()` sweeps too.
   */
  sweep(): void {
    for (const files of this.#answered.splice(0)) {
      for (const suffix of ['done', 'argv', 'stdin', 'stdout', 'stderr']) rmSync(`${files}.${suffix}`, { force: true });
    }
  }

  async close(): Promise<void> {
    // The last line through the FIFO ends the loop once every earlier request is answered.
    const fd = openSync(this.fifo, constants.O_WRONLY | constants.O_NONBLOCK);
    try {
      writeSync(fd, 'stop\n');
    } finally {
      closeSync(fd);
    }
    await this.#done;
    this.#socket.destroy();
    rmSync(this.fifo, { force: true });
    this.sweep();
    // The pool's FIFOs no call took: made again before the next hook of the next command.
    if (this.#pool) {
      for (let n = 0; n < this.#pool.size; n += 1) {
        const slot = join(this.#pool.dir, `tool.p${n}`);
        if (!existsSync(`${slot}.argv`)) rmSync(`${slot}.done`, { force: true });
      }
    }
  }
}

/** Answers one call; `files` is the path prefix of the call's `.argv`, `.stdout`, … files. */
async function answer(files: string, request: ShimRequest, handle: (request: ShimRequest) => Promise<ToolResult>): Promise<void> {
  let result: ToolResult;
  try {
    result = await handle(request);
  } catch (error) {
    result = { stdout: '', stderr: `ERROR ${(error as Error).message}\n`, exitCode: 1 };
  }
  // The shim reads an output only when the answer line gives it a size above 0: an empty one needs no file.
  if (result.stdout) writeFileSync(`${files}.stdout`, result.stdout, { mode: 0o600 });
  if (result.stderr) writeFileSync(`${files}.stderr`, result.stderr, { mode: 0o600 });
  const binary = result.stdout.includes('\0') || result.stderr.includes('\0') ? 1 : 0;
  signalDone(`${files}.done`, `${result.exitCode} ${Buffer.byteLength(result.stdout)} ${Buffer.byteLength(result.stderr)} ${binary}`);
}

/**
 * Writes the answer line (exit code, stdout and stderr sizes, and 1 when either holds a
 * NUL byte) to the shim's FIFO. The shim opens it before it asks, so the open cannot
 * block or fail while the shim lives; a shim that died (its hook was killed) left no
 * reader (ENXIO) or no FIFO, and its answer is dropped. The model never hangs on it.
 */
function signalDone(fifo: string, answer: string): void {
  let fd: number;
  try {
    fd = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
  } catch {
    return;
  }
  try {
    writeSync(fd, `${answer}\n`);
  } finally {
    closeSync(fd);
  }
}

function readArgv(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  return text === '' ? [] : text.slice(0, -1).split('\0');
}

function readStdin(path: string): string {
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}
