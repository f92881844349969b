import { closeSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { UnitStateSnapshot, UnitStateStore } from '@charms/reactive';
import { parseState, serializeState } from './state-document.js';
import { StateStoreError } from './state-errors.js';

/** The state file's name in the charm directory. */
export const STATE_FILE = '.unit-state.json';

/**
 * Unit state in a file of the charm directory, for machine charms. A commit writes a
 * temporary file beside it, flushes it to disk, renames it over the old one and flushes
 * the directory, so a crash at any point leaves either the old or the new document,
 * never a mix. The file is readable by its owner only.
 *
 * @example new FileStateStore(join(charmDir, STATE_FILE))
 */
export class FileStateStore implements UnitStateStore {
  readonly path: string;
  /** The text loaded at the start of the hook: an unchanged state is not written again. */
  #loaded: string | undefined;

  constructor(path: string) {
    this.path = path;
  }

  /** @throws StateStoreError `STATE_CORRUPT` or `STATE_UNREADABLE`, naming the file. */
  async load(): Promise<UnitStateSnapshot | undefined> {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new StateStoreError('STATE_UNREADABLE', this.path, `cannot read the unit state file ${this.path}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    const state = parseState(text, this.path);
    this.#loaded = text;
    return state;
  }

  /** @throws StateStoreError `STATE_WRITE_FAILED`; the previous file is then unchanged. */
  async commit(snapshot: UnitStateSnapshot): Promise<void> {
    const text = serializeState(snapshot);
    if (text === this.#loaded) return;
    const temporary = join(dirname(this.path), `${STATE_FILE}.${process.pid}.tmp`);
    removeLeftovers(dirname(this.path));
    try {
      const fd = openSync(temporary, 'w', 0o600);
      try {
        writeSync(fd, text);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(temporary, this.path);
      syncDirectory(dirname(this.path));
      this.#loaded = text;
    } catch (error) {
      rmSync(temporary, { force: true, recursive: true });
      throw new StateStoreError(
        'STATE_WRITE_FAILED',
        this.path,
        `cannot write the unit state file ${this.path}: ${(error as Error).message}. The previous state is unchanged.`,
        { cause: error },
      );
    }
  }
}

/** Deletes temporary state files of commits whose process was killed (its pid is gone). */
function removeLeftovers(folder: string): void {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = name.startsWith(`${STATE_FILE}.`) ? /^\.(\d+)\.tmp$/.exec(name.slice(STATE_FILE.length))?.[1] : undefined;
    if (pid && Number(pid) !== process.pid && !running(Number(pid))) rmSync(join(folder, name), { force: true });
  }
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Makes the rename durable; some file systems do not allow it, which is then harmless. */
function syncDirectory(folder: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(folder, 'r');
    fsyncSync(fd);
  } catch {
    // Opening a directory for fsync is not supported everywhere.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
