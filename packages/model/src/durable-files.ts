/**
 * Writing the model's files so that a crash leaves the old text or the new one, and
 * appending to its JSON-lines files after a crash tore their last line.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { replaceFile } from '@charms/hooktools/internal';

/**
 * Writes `path` through a temporary file and a rename; with `durable`, the file and its
 * folder are flushed to disk (see replaceFile).
 */
export function writeAtomically(path: string, text: string, durable = false): void {
  replaceFile(path, text, { durable });
}

/** Whether the file is empty, missing, or ends with a newline. */
export function endsWithNewline(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return true;
  }
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return true;
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    return last[0] === 0x0a;
  } finally {
    closeSync(fd);
  }
}
