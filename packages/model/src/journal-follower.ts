/**
 * The model's log and timeline read as they grow, for `charms tail --follow`: each read
 * returns the whole lines appended since the last one, so a command that runs hooks in
 * another process is seen while it runs.
 */
import { closeSync, fstatSync, openSync, readSync, watch, type FSWatcher } from 'node:fs';
import { join, resolve } from 'node:path';
import type { LogEntry, TimelineEntry } from './model-store.js';

/** What was appended to the model's files since the last read, each in file order. */
export interface JournalEntries {
  readonly timeline: TimelineEntry[];
  readonly log: LogEntry[];
}

/** Reads one append-only JSON-lines file from where the last read stopped. */
class LineCursor {
  readonly path: string;
  /** Bytes read so far: always just after a newline, so a line being written is read once it is whole. */
  #offset = 0;

  constructor(path: string) {
    this.path = path;
  }

  /** The whole lines appended since the last call, parsed; a damaged one goes to `onWarning`. */
  read<T>(onWarning: (message: string) => void): T[] {
    let fd: number;
    try {
      fd = openSync(this.path, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        this.#offset = 0;
        return [];
      }
      throw error;
    }
    try {
      const size = fstatSync(fd).size;
      // A shorter file is a new one (the model was destroyed and made again): start over.
      if (size < this.#offset) this.#offset = 0;
      if (size === this.#offset) return [];
      const bytes = Buffer.alloc(size - this.#offset);
      const read = readSync(fd, bytes, 0, bytes.length, this.#offset);
      const end = bytes.subarray(0, read).lastIndexOf(0x0a);
      if (end === -1) return [];
      const first = this.#offset;
      this.#offset += end + 1;
      const entries: T[] = [];
      bytes
        .subarray(0, end)
        .toString('utf8')
        .split('\n')
        .forEach((line) => {
          if (!line) return;
          try {
            entries.push(JSON.parse(line) as T);
          } catch {
            onWarning(`${this.path} (from byte ${first}): skipped a damaged line (a command was killed while writing it)`);
          }
        });
      return entries;
    } finally {
      closeSync(fd);
    }
  }
}

/**
 * Follows the log and timeline of the model folder `dir`. The first `read()` returns what
 * is there already.
 *
 * @example
 * const journal = new JournalFollower(model.dir);
 * const stop = journal.follow(({ timeline }) => timeline.forEach(print));
 */
export class JournalFollower {
  readonly dir: string;
  readonly #timeline: LineCursor;
  readonly #log: LineCursor;
  readonly #onWarning: (message: string) => void;

  /** @param onWarning told of a damaged line; by default a line on stderr. */
  constructor(dir: string, onWarning: (message: string) => void = (message) => process.stderr.write(`warning: ${message}\n`)) {
    this.dir = resolve(dir);
    this.#timeline = new LineCursor(join(this.dir, 'timeline.jsonl'));
    this.#log = new LineCursor(join(this.dir, 'log.jsonl'));
    this.#onWarning = onWarning;
  }

  /** The entries appended since the last read (all of them, the first time). */
  read(): JournalEntries {
    return { timeline: this.#timeline.read<TimelineEntry>(this.#onWarning), log: this.#log.read<LogEntry>(this.#onWarning) };
  }

  /**
   * Calls `onEntries` with each batch of new entries until the returned function is
   * called. Woken by `fs.watch` on the folder as soon as a file changes, and by a poll
   * every `intervalMs` (default 150) where watching misses changes (network and
   * container file systems) or is not available.
   */
  follow(onEntries: (entries: JournalEntries) => void, intervalMs = 150): () => void {
    const check = () => {
      const entries = this.read();
      if (entries.timeline.length > 0 || entries.log.length > 0) onEntries(entries);
    };
    let watcher: FSWatcher | undefined;
    try {
      watcher = watch(this.dir, { persistent: false }, check);
      // A watcher that breaks (the folder removed) leaves the poll to carry on.
      watcher.on('error', () => watcher?.close());
    } catch {
      watcher = undefined;
    }
    const timer = setInterval(check, intervalMs);
    return () => {
      clearInterval(timer);
      watcher?.close();
    };
  }
}
