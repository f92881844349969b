import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
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
    removeLeftovers(this.path);
    // Loaded when a state is written, not with the runtime: this entry point of hooktools
    // also holds the tool emulator's YAML printer, whose load and start cost every hook
    // milliseconds, and a hook that changes no state writes nothing.
    const { replaceFile } = await import('@charms/hooktools/internal');
    try {
      replaceFile(this.path, text, { durable: true });
      this.#loaded = text;
    } catch (error) {
      throw new StateStoreError(
        'STATE_WRITE_FAILED',
        this.path,
        `cannot write the unit state file ${this.path}: ${(error as Error).message}. The previous state is unchanged.`,
        { cause: error },
      );
    }
  }
}

/** Deletes the temporary files of commits whose process was killed (its pid is gone). */
function removeLeftovers(path: string): void {
  const folder = dirname(path);
  const prefix = `${basename(path)}.`;
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = name.startsWith(prefix) ? /^(\d+)\.tmp$/.exec(name.slice(prefix.length))?.[1] : undefined;
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
