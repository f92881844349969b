/**
 * Pebble's notices (canonical/pebble internals/overlord/state/notices.go): records of
 * things that happened, one per type and key. A notice added again with the same type
 * and key keeps its id, counts one more occurrence and takes the new data; it is
 * "repeated" (its last-repeated time moves, and whoever waits for notices after a time
 * sees it again) unless it repeats within its repeat-after. The local model keeps the
 * `custom` notices a charm adds (POST /v1/notices) and the `change-update` notices of
 * checks' changes that end (a check going down or up again). Like the rest of the
 * server's memory they last as long as the server, one model command.
 */
import { formatDuration } from './pebble-durations.js';

/** One notice as `GET /v1/notices` shows it (notices.go jsonNotice). */
export interface NoticeInfo {
  readonly id: string;
  readonly 'user-id': number | null;
  readonly type: string;
  readonly key: string;
  readonly 'first-occurred': string;
  readonly 'last-occurred': string;
  readonly 'last-repeated': string;
  readonly occurrences: number;
  readonly 'last-data'?: Record<string, string>;
  readonly 'repeat-after'?: string;
  readonly 'expire-after': string;
}

/** Which notices a reader wants (notices.go NoticeFilter). */
export interface NoticeFilter {
  readonly types?: readonly string[];
  readonly keys?: readonly string[];
  /** Only notices repeated after this time. */
  readonly after?: Date;
}

interface Notice {
  readonly id: string;
  readonly userId: number | null;
  readonly type: string;
  readonly key: string;
  readonly firstOccurred: Date;
  lastOccurred: Date;
  lastRepeated: Date;
  occurrences: number;
  lastData?: Record<string, string>;
  repeatAfterMs: number;
  /** The server's count of repeats when this one last repeated: the model's marker of what it delivered. */
  repeatSeq: number;
}

/** The notice types Pebble knows (notices.go NoticeType.Valid); a filter of others alone matches nothing. */
export const NOTICE_TYPES = ['change-update', 'custom', 'warning'];

/** notices.go defaultNoticeExpireAfter: a week. */
const EXPIRE_AFTER_MS = 7 * 24 * 3600 * 1000;

/** The notices of one Pebble server. */
export class PebbleNotices {
  private readonly notices = new Map<string, Notice>();
  private lastId = 0;
  private repeats = 0;
  private closed = false;
  private readonly waiters = new Set<() => void>();

  /** AddNotice: a new notice, or the same one occurring again. Returns its id. */
  add(type: string, key: string, options: { userId?: number | null; data?: Record<string, string>; repeatAfterMs?: number } = {}): string {
    const now = new Date();
    const userId = options.userId ?? null;
    const unique = JSON.stringify([userId, type, key]);
    let notice = this.notices.get(unique);
    let repeated = false;
    if (notice === undefined) {
      notice = { id: String(++this.lastId), userId, type, key, firstOccurred: now, lastOccurred: now, lastRepeated: now, occurrences: 1, repeatAfterMs: 0, repeatSeq: 0 };
      this.notices.set(unique, notice);
      repeated = true;
    } else {
      notice.occurrences++;
      if (!options.repeatAfterMs || now.getTime() > notice.lastRepeated.getTime() + options.repeatAfterMs) {
        notice.lastRepeated = now;
        repeated = true;
      }
    }
    notice.lastOccurred = now;
    notice.lastData = options.data;
    notice.repeatAfterMs = options.repeatAfterMs ?? 0;
    if (repeated) {
      notice.repeatSeq = ++this.repeats;
      for (const wake of [...this.waiters]) wake();
    }
    return notice.id;
  }

  /** The notices `filter` matches, oldest repeat first. */
  list(filter: NoticeFilter = {}): NoticeInfo[] {
    return [...this.notices.values()]
      .filter((notice) => matches(notice, filter))
      .sort((a, b) => a.lastRepeated.getTime() - b.lastRepeated.getTime())
      .map(info);
  }

  get(id: string): NoticeInfo | undefined {
    const notice = [...this.notices.values()].find((candidate) => candidate.id === id);
    return notice === undefined ? undefined : info(notice);
  }

  /** The notices new or repeated since the server's repeat count was `seen`, oldest first, and the count now. */
  repeatedSince(seen: number): { notices: NoticeInfo[]; seen: number } {
    const notices = [...this.notices.values()].filter((notice) => notice.repeatSeq > seen).sort((a, b) => a.repeatSeq - b.repeatSeq);
    return { notices: notices.map(info), seen: this.repeats };
  }

  /** WaitNotices: the matching notices, waiting up to `timeoutMs` (or until `signal`) for one when there are none yet. */
  async wait(filter: NoticeFilter, timeoutMs: number, signal: AbortSignal): Promise<NoticeInfo[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.list(filter);
      if (found.length > 0 || Date.now() >= deadline || signal.aborted || this.closed) return found;
      await new Promise<void>((wake) => {
        const done = (): void => {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          this.waiters.delete(done);
          wake();
        };
        const timer = setTimeout(done, deadline - Date.now());
        signal.addEventListener('abort', done);
        this.waiters.add(done);
      });
    }
  }

  /** Ends every wait (the server closes). */
  close(): void {
    this.closed = true;
    for (const wake of [...this.waiters]) wake();
  }
}

function matches(notice: Notice, filter: NoticeFilter): boolean {
  if (filter.types?.length && !filter.types.includes(notice.type)) return false;
  if (filter.keys?.length && !filter.keys.includes(notice.key)) return false;
  if (filter.after && notice.lastRepeated.getTime() <= filter.after.getTime()) return false;
  return true;
}

function info(notice: Notice): NoticeInfo {
  return {
    id: notice.id,
    'user-id': notice.userId,
    type: notice.type,
    key: notice.key,
    'first-occurred': notice.firstOccurred.toISOString(),
    'last-occurred': notice.lastOccurred.toISOString(),
    'last-repeated': notice.lastRepeated.toISOString(),
    occurrences: notice.occurrences,
    ...(notice.lastData && Object.keys(notice.lastData).length > 0 ? { 'last-data': notice.lastData } : {}),
    ...(notice.repeatAfterMs > 0 ? { 'repeat-after': formatDuration(notice.repeatAfterMs) } : {}),
    'expire-after': formatDuration(EXPIRE_AFTER_MS),
  };
}
