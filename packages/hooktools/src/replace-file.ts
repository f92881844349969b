import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Replaces the file at `path` with `text` so that a crash leaves the old text or the new
 * one, never a mix: the text goes to `<path>.<pid>.tmp` (mode 0600: unit state and the
 * model hold secrets) and is renamed over `path`. With `durable`, the text is flushed to
 * disk before the rename and the folder after it, so the rename survives a power loss
 * too. A failed write removes its temporary file and throws; `path` is then unchanged.
 *
 * Both the unit state file of a machine charm and the local model's `model.json` are
 * written this way: one hook's commit, one model operation.
 */
export function replaceFile(path: string, text: string, options: { readonly durable?: boolean } = {}): void {
  const temporary = temporaryFileOf(path);
  try {
    const fd = openSync(temporary, 'w', 0o600);
    try {
      writeSync(fd, text);
      if (options.durable) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true, recursive: true });
    throw error;
  }
  if (options.durable) syncFolder(dirname(path));
}

/** The temporary file {@link replaceFile} writes for `path` in this process. */
function temporaryFileOf(path: string): string {
  return `${path}.${process.pid}.tmp`;
}

/** Flushes a folder's entries (a rename) to disk; some file systems cannot, which is then harmless. */
function syncFolder(folder: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(folder, 'r');
    fsyncSync(fd);
  } catch {
    // Opening a folder for fsync is not supported everywhere.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
