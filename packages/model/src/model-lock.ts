/**
 * The model's lock: one process at a time changes a model folder. The lock is a folder
 * (`model.lock`, proper-lockfile) with a note of who holds it beside it
 * (`model.lock.holder`), so that a waiting command can name the holder and take over the
 * lock of one that died.
 */
import { readFileSync, renameSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import lockfile from 'proper-lockfile';
import { replaceFile } from '@charms/hooktools/internal';
import { ModelError } from './model-errors.js';
import { isAlive, thisProcess, type ProcessIdentity } from './process-groups.js';

/** Who holds the model's lock: written beside it (`model.lock.holder`) once it is taken. */
export interface LockHolder extends ProcessIdentity {
  /** The holder's command line (`charms config minio …`). */
  readonly command: string;
  /** When it took the lock (real time, ISO). */
  readonly since: string;
  /** The inode of the lock folder it made: a lock taken over from it is another folder. */
  readonly ino?: number;
}

/** How to wait for the lock. */
export interface LockOptions {
  /** Told once when the lock is held by another process and this one waits; by default a line on stderr. */
  readonly onWait?: (holder: LockHolder | undefined) => void;
  /** How long to wait for the lock before giving up (ms; default 120000). */
  readonly lockTimeout?: number;
}

/**
 * Takes the lock of the model folder `dir`. While another process holds it, says so once
 * (`onWait`) and waits; a lock whose holder has died is taken over at once. Returns its
 * release.
 * @throws ModelError `MODEL_LOCKED` after `lockTimeout`, naming the holder (pid, command, age).
 */
export async function takeModelLock(dir: string, options: LockOptions): Promise<() => Promise<void>> {
  const lockPath = join(dir, 'model.lock');
  const timeout = options.lockTimeout ?? 120_000;
  const started = Date.now();
  let told = false;
  let release: () => Promise<void>;
  for (let attempt = 0; ; attempt += 1) {
    try {
      release = await lockfile.lock(dir, { lockfilePath: lockPath, retries: 0 });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
    }
    const holder = lockHolder(dir);
    if (holder && !isAlive(holder) && takeOver(dir, holder)) continue;
    if (Date.now() - started >= timeout) {
      throw new ModelError('MODEL_LOCKED', `the model ${dir} is locked by ${describeHolder(holder)}; waited ${Math.round((Date.now() - started) / 1000)} s. Wait for that command to finish, or stop it.`);
    }
    if (!told) {
      told = true;
      (options.onWait ?? ((h) => process.stderr.write(`waiting for the model lock, held by ${describeHolder(h)}\n`)))(holder);
    }
    await new Promise((done) => setTimeout(done, Math.min(50 * 2 ** Math.min(attempt, 4), 500)));
  }
  let ino: number | undefined;
  try {
    ino = statSync(lockPath).ino;
  } catch {
    ino = undefined;
  }
  replaceFile(join(dir, 'model.lock.holder'), JSON.stringify({ ...thisProcess(), command: commandLine(), since: new Date().toISOString(), ...(ino ? { ino } : {}) } satisfies LockHolder));
  return async () => {
    rmSync(join(dir, 'model.lock.holder'), { force: true });
    await release();
  };
}

/** Who holds the lock of the model folder `dir` (as it wrote when it took it), or undefined. */
export function lockHolder(dir: string): LockHolder | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, 'model.lock.holder'), 'utf8')) as LockHolder;
  } catch {
    return undefined;
  }
}

/**
 * Removes the lock of a dead holder, unless another process took it meanwhile: the lock
 * folder is first renamed aside (atomic), then checked to be the dead holder's by its inode.
 */
function takeOver(dir: string, holder: LockHolder): boolean {
  const lockPath = join(dir, 'model.lock');
  const aside = join(dir, `model.lock.stale.${process.pid}`);
  try {
    if (holder.ino !== undefined && statSync(lockPath).ino !== holder.ino) return false;
    renameSync(lockPath, aside);
  } catch {
    return false;
  }
  if (holder.ino !== undefined && statSync(aside).ino !== holder.ino) {
    // Another process's lock, taken between the check and the rename: give it back.
    try {
      renameSync(aside, lockPath);
    } catch {
      rmdirSync(aside);
    }
    return false;
  }
  rmSync(aside, { recursive: true, force: true });
  if (JSON.stringify(lockHolder(dir)) === JSON.stringify(holder)) rmSync(join(dir, 'model.lock.holder'), { force: true });
  return true;
}

function describeHolder(holder: LockHolder | undefined): string {
  if (!holder) return 'another process (it has not said which)';
  const age = Math.max(0, Math.round((Date.now() - Date.parse(holder.since)) / 1000));
  return `pid ${holder.pid} (${holder.command}) for ${age} s`;
}

/** The program and its first argument (`charms.mjs config`): later arguments may hold secrets. */
function commandLine(): string {
  const [, script, first] = process.argv;
  return [script ? basename(script) : basename(process.argv0), ...(first && !first.includes('=') ? [first.slice(0, 40)] : [])].join(' ');
}
