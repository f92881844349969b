/**
 * Appending to the model's JSON-lines files after a crash tore their last line (whole
 * files are replaced with replaceFile, from @charms/hooktools/internal).
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

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
