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
 * most {@link STDOUT_LINE_BYTES} bytes with its prefix. Anything else returns false and
 * the caller uses `juju-log`.
 *
 * A config or relation value in the line does not keep it on `juju-log`. The local model
 * masks a hook's output (not `juju-log` lines) with the values of secret options and of
 * relation settings under secret keys, by the rule the runtime redacts every line with
 * before it chooses the way (`isSecretSetting`): a secret value is already `***` here,
 * and any other value (MinIO's access key `minio` in `queued minio:Minio.ready`) the
 * model leaves as it is. (Leader settings the model masks too; the runtime does not
 * read them unless a handler asks.)
 *
 * @param relationId `JUJU_RELATION_ID` in a relation hook (`db:3`), else undefined
 * @param write writes to stdout; a pipe's writes are synchronous in Node on Linux, so
 *   the line is in the pipe before the next tool call starts and keeps its place
 */
export function stdoutLogLine(relationId: string | undefined, write: (data: string) => void = (data) => void process.stdout.write(data)): StdoutLogLine {
  const prefix = relationId ? `${relationId}: ` : '';
  return (text) => {
    const line = `${prefix}${text}`;
    if (text.trim() === '' || /[\r\n]/.test(line) || Buffer.byteLength(line) > STDOUT_LINE_BYTES) return false;
    write(`${line}\n`);
    return true;
  };
}
