/**
 * What the services of one Pebble server wrote (stdout and stderr, a line at a time), as
 * `GET /v1/logs` serves it (canonical/pebble internals/daemon/api_logs.go): the last lines
 * of every service together, and each new line to whoever follows.
 */

/** One line a service wrote, as `GET /v1/logs` shows it (api_logs.go's jsonLog). */
export interface ServiceLogEntry {
  readonly time: Date;
  readonly service: string;
  readonly message: string;
}

/** How many lines of output the server keeps, all services together (Pebble keeps 100 KiB per service). */
const KEPT_LOG_LINES = 2000;

/** The kept lines of a server's services, and those following them. */
export class ServiceLogs {
  private readonly kept: ServiceLogEntry[] = [];
  private readonly listeners = new Set<(entry: ServiceLogEntry) => void>();

  add(entry: ServiceLogEntry): void {
    this.kept.push(entry);
    if (this.kept.length > KEPT_LOG_LINES) this.kept.shift();
    for (const listener of this.listeners) listener(entry);
  }

  /** The last `n` lines (all with -1) the named services wrote, oldest first. */
  last(names: readonly string[], n: number): ServiceLogEntry[] {
    const lines = this.kept.filter((entry) => names.includes(entry.service));
    return n < 0 ? lines : n === 0 ? [] : lines.slice(-n);
  }

  /** Calls `listener` with each new line; returns the function that stops it. */
  follow(listener: (entry: ServiceLogEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
