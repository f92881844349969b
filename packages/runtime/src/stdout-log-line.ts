/**
 * The longest line (in bytes, without its newline) that Juju logs whole from a hook's
 * stdout: its reader has a 4096-byte buffer and logs a longer line in pieces, each a
 * log entry of its own (worker/common/charmrunner/logger.go: `bufio.NewReaderSize(r,
 * 4096)` and `ReadLine`).
 */
export const STDOUT_LINE_BYTES = 4095;

/** Writes one line to the hook's stdout; returns false, writing nothing, when it cannot go there unchanged. */
export type StdoutLogLine = (text: string) => boolean;

/**
 * DEBUG log lines through the hook's stdout instead of a `juju-log` process each.
 *
 * Juju 2.9 logs every line a hook writes to stdout at DEBUG, with its text unchanged
 * (worker/uniter/runner/runner.go, `runCharmProcessOnLocal`: stdout goes to a hook
 * logger at `loggo.DEBUG`; stderr at `loggo.WARNING`), so `juju-log --log-level DEBUG`
 * and a stdout line show the same text at the same level in `juju debug-log`. Two
 * things differ, and this writer makes up for the first: `juju-log` starts a relation
 * hook's messages with `<endpoint>:<id>: ` (juju-log.go), the hook logger does not, so
 * the prefix is written here; and the line's logger module is `unit.<unit>.<hook>`
 * rather than `unit.<unit>.juju-log` (both under `unit`, so the model's logging-config
 * treats them alike).
 *
 * A line goes through stdout only if Juju would log it as one entry with the same text:
 * no line break in it (it would end the entry), no carriage return (`ReadLine` drops
 * one that ends a line; none is simpler than only a trailing one), not blank, and at
 * most {@link STDOUT_LINE_BYTES} bytes with its prefix. And only if it holds none of
 * `avoid` (the config's values): the local model masks values of secret-looking options
 * in a hook's output, which Juju does not and `juju-log` lines are not, so such a line
 * would read differently in `charms log`. Anything else returns false and the caller
 * uses `juju-log`.
 *
 * @param relationId `JUJU_RELATION_ID` in a relation hook (`db:3`), else undefined
 * @param avoid values a line must not contain to go through stdout (read at each line)
 * @param write writes to stdout; a pipe's writes are synchronous in Node on Linux, so
 *   the line is in the pipe before the next tool call starts and keeps its place
 */
export function stdoutLogLine(
  relationId: string | undefined,
  avoid: () => Iterable<string> = () => [],
  write: (data: string) => void = (data) => void process.stdout.write(data),
): StdoutLogLine {
  const prefix = relationId ? `${relationId}: ` : '';
  return (text) => {
    const line = `${prefix}${text}`;
    if (text.trim() === '' || /[\r\n]/.test(line) || Buffer.byteLength(line) > STDOUT_LINE_BYTES) return false;
    for (const value of avoid()) if (line.includes(value)) return false;
    write(`${line}\n`);
    return true;
  };
}
