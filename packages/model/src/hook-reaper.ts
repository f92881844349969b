/**
 * The reaper: one `sh` per command that runs hooks, so that no hook outlives the command
 * that ran it. The model tells it `+<pgid>` as a hook's process group starts and
 * `-<pgid>` as the hook exits; when its input ends — the model's process is gone, killed
 * or not, or `close()` — it kills every group still listed. A hook's background processes
 * live on once the hook has exited, as under Juju.
 *
 * One process for all the command's hooks replaces a watcher each hook used to start
 * (a `sh` gate that held the hook until it was recorded): on a machine where starting a
 * process costs milliseconds, the gate was a tenth of a short hook. The hook now starts
 * at once and is announced in the same turn of the event loop as its spawn; a command
 * killed in that instant leaves the hook unlisted, and it ends at its first tool call
 * (the model is gone) or with the next command's `recoverHooks`.
 */
import { spawn, type ChildProcess } from 'node:child_process';

// Groups are kept as " 12 34 " in the shell's own variables: no program is started to
// add or remove one.
const REAPER = `live=' '
while IFS= read -r line; do
  case $line in
    +*) live="$live\${line#+} " ;;
    -*) pg=\${line#-}; case $live in *" $pg "*) live="\${live%% $pg *} \${live#* $pg }" ;; esac ;;
  esac
done
for pg in $live; do kill -KILL -"$pg" 2>/dev/null; done
`;

export class HookReaper {
  readonly #child: ChildProcess;

  private constructor(child: ChildProcess) {
    this.#child = child;
  }

  /** Starts the reaper; neither it nor its pipe keeps this process's event loop alive. */
  static start(): HookReaper {
    // Its own process group, so that a signal to the command's group (Ctrl-C) leaves it to
    // see its input end and do its work.
    const child = spawn('/bin/sh', ['-c', REAPER], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
    child.on('error', () => undefined);
    child.stdin!.on('error', () => undefined);
    child.unref();
    (child.stdin as unknown as { unref?: () => void }).unref?.();
    return new HookReaper(child);
  }

  /** A hook's process group has started. */
  started(pgid: number): void {
    this.#child.stdin!.write(`+${pgid}\n`);
  }

  /** A hook has exited: its group is no longer the reaper's to end. */
  ended(pgid: number): void {
    this.#child.stdin!.write(`-${pgid}\n`);
  }

  /** Ends the reaper's input: it kills the groups still listed (none after every hook ended) and exits. */
  close(): void {
    this.#child.stdin!.end();
  }
}
