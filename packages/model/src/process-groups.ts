/**
 * Processes and process groups, for crash safety: who a process is (its pid and start
 * time, so that a reused pid is not taken for it), whether it is alive, and ending the
 * process group of a hook whose command died. Linux answers from /proc; elsewhere the
 * pid alone is used.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** A process as the model records it: a pid can be reused, a pid with its start time cannot. */
export interface ProcessIdentity {
  readonly pid: number;
  /** Clock ticks since boot when it started (/proc/<pid>/stat field 22); absent off Linux. */
  readonly start?: string;
  /** The boot it belongs to (/proc/sys/kernel/random/boot_id); after a reboot nothing of it lives. */
  readonly boot?: string;
}

/** This process, as it will be recorded. */
export function thisProcess(): ProcessIdentity {
  return identity(process.pid);
}

/** The identity of a running process `pid` (start time and boot when the system tells them). */
export function identity(pid: number): ProcessIdentity {
  const start = stat(pid)?.start;
  const boot = bootId();
  return { pid, ...(start ? { start } : {}), ...(boot ? { boot } : {}) };
}

/** Whether the process recorded as `who` is still running (not a zombie, not a reused pid). */
export function isAlive(who: ProcessIdentity): boolean {
  if (who.boot !== undefined && bootId() !== undefined && who.boot !== bootId()) return false;
  const now = stat(who.pid);
  if (now) return now.state !== 'Z' && (who.start === undefined || now.start === who.start);
  if (process.platform === 'linux' && canReadProc()) return false;
  try {
    process.kill(who.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Kills process group `pgid` (SIGKILL) if it still holds a process of the hook whose
 * context id is `contextId` and the group was started in this boot, and waits up to
 * `waitMs` for its processes to be gone. Returns the pids it found alive.
 */
export async function endGroup(pgid: number, contextId: string, boot: string | undefined, waitMs = 3000): Promise<number[]> {
  if (boot !== undefined && bootId() !== undefined && boot !== bootId()) return [];
  const members = groupMembers(pgid);
  if (members === undefined) {
    // No /proc: trust the group id (the owner that recorded it is dead; the group is the hook's).
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      return [];
    }
    return [pgid];
  }
  // A pid is not reused while it names a group with members, but check that the group is the hook's.
  if (members.length === 0 || !members.some((pid) => environ(pid).includes(`JUJU_CONTEXT_ID=${contextId}`))) return [];
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    return members;
  }
  const until = Date.now() + waitMs;
  while (Date.now() < until && (groupMembers(pgid)?.length ?? 0) > 0) await new Promise((done) => setTimeout(done, 10));
  return members;
}

/** The live (not zombie) processes of group `pgid`, or undefined when /proc cannot tell. */
export function groupMembers(pgid: number): number[] | undefined {
  if (!canReadProc()) return undefined;
  const members: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = stat(Number(name));
    if (s && s.pgrp === pgid && s.state !== 'Z') members.push(Number(name));
  }
  return members;
}

function environ(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
  } catch {
    return [];
  }
}

function stat(pid: number): { state: string; pgrp: number; start: string } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: fields after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0]!, pgrp: Number(fields[2]), start: fields[19]! };
  } catch {
    return undefined;
  }
}

let bootIdCache: string | null | undefined;
/** The kernel's boot id (`/proc/sys/kernel/random/boot_id`), or undefined where there is none. */
export function bootId(): string | undefined {
  if (bootIdCache === undefined) {
    try {
      bootIdCache = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    } catch {
      bootIdCache = null;
    }
  }
  return bootIdCache ?? undefined;
}

let procCache: boolean | undefined;
function canReadProc(): boolean {
  if (procCache === undefined) {
    try {
      readFileSync('/proc/self/stat');
      procCache = true;
    } catch {
      procCache = false;
    }
  }
  return procCache;
}
