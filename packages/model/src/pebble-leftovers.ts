/**
 * Crash safety for the Pebble server's processes. Services and exec commands run in
 * process groups of their own, so they outlive a model process that is killed outright.
 * The server records each group it starts (pid, start time, boot) in a file beside its
 * socket; the next server on that socket ends the groups a dead server left, and only
 * those whose leader is still the process it recorded (a reused pid is left alone).
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { identity, isAlive, type ProcessIdentity } from './process-groups.js';

/** The file beside a server's socket that records its process groups. */
export const PROCESS_RECORD = 'processes.json';

/** The process groups a server has running, kept in `file` as they start and end. */
export class PebbleProcessRecord {
  private readonly groups = new Map<number, ProcessIdentity>();

  constructor(private readonly file: string) {}

  /** Records the group led by `pid` (just spawned with its own group). */
  add(pid: number): void {
    this.groups.set(pid, identity(pid));
    this.save();
  }

  remove(pid: number): void {
    if (this.groups.delete(pid)) this.save();
  }

  /** Removes the file (the server closed with nothing left running). */
  clear(): void {
    this.groups.clear();
    rmSync(this.file, { force: true });
  }

  private save(): void {
    const temporary = `${this.file}.${process.pid}.tmp`;
    try {
      writeFileSync(temporary, `${JSON.stringify([...this.groups.values()])}\n`, { mode: 0o600 });
    } catch (error) {
      // A process that ends after its server closed and its folder went: nothing left to record.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    renameSync(temporary, this.file);
  }
}

/**
 * Ends (SIGKILL) the process groups recorded in `file` by a server that is gone, when
 * their leader is still the recorded process; removes the file. Returns the pids ended.
 */
export function endLeftovers(file: string): number[] {
  let recorded: ProcessIdentity[];
  try {
    recorded = JSON.parse(readFileSync(file, 'utf8')) as ProcessIdentity[];
  } catch {
    rmSync(file, { force: true });
    return [];
  }
  const ended: number[] = [];
  for (const who of Array.isArray(recorded) ? recorded : []) {
    if (typeof who?.pid !== 'number' || !isAlive(who)) continue;
    try {
      process.kill(-who.pid, 'SIGKILL');
      ended.push(who.pid);
    } catch {
      // Gone meanwhile.
    }
  }
  rmSync(file, { force: true });
  return ended;
}
