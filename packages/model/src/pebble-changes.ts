/**
 * Pebble's changes and tasks (internals/overlord/state, shown by internals/daemon/api_changes.go):
 * an async request answers with a change id at once; its tasks run in order, each ending
 * Done or Error with a log of `<RFC3339> INFO|ERROR <text>` lines, and the change's `err`
 * lists the failed tasks as state/change.go's changeError does.
 */

export type PebbleTaskStatus = 'Do' | 'Doing' | 'Done' | 'Error' | 'Hold';

export interface PebbleTask {
  readonly id: string;
  readonly kind: string;
  readonly summary: string;
  status: PebbleTaskStatus;
  readonly log: string[];
  readonly spawnTime: Date;
  readyTime?: Date;
  /** What `tasks[].data` shows (exec puts `exit-code` there). */
  data?: Record<string, unknown>;
}

export interface PebbleChange {
  readonly id: string;
  readonly kind: string;
  readonly summary: string;
  readonly tasks: PebbleTask[];
  readonly spawnTime: Date;
  readyTime?: Date;
  /** Service names the change acts on (`GET /v1/changes?for=`). */
  serviceNames?: string[];
  /** Resolves once every task is Done or Error. */
  readonly ready: Promise<void>;
  markReady(): void;
}

/** All changes of one Pebble server, with ids counting from 1 as Pebble's. */
export class PebbleChanges {
  private readonly changes = new Map<string, PebbleChange>();
  private readonly tasks = new Map<string, PebbleTask>();
  private nextChange = 1;
  private nextTask = 1;

  /** A new change; it is ready once `finish` is called, or at once if it has no tasks. */
  newChange(kind: string, summary: string, taskSpecs: readonly { kind: string; summary: string }[]): PebbleChange {
    let markReady!: () => void;
    const ready = new Promise<void>((resolve) => (markReady = resolve));
    const now = new Date();
    const change: PebbleChange = {
      id: String(this.nextChange++),
      kind,
      summary,
      tasks: taskSpecs.map((spec) => ({ id: String(this.nextTask++), kind: spec.kind, summary: spec.summary, status: 'Do' as const, log: [], spawnTime: now })),
      spawnTime: now,
      ready,
      markReady: () => {
        if (change.readyTime === undefined) change.readyTime = new Date();
        markReady();
      },
    };
    this.changes.set(change.id, change);
    for (const task of change.tasks) this.tasks.set(task.id, task);
    if (change.tasks.length === 0) change.markReady();
    return change;
  }

  change(id: string): PebbleChange | undefined {
    return this.changes.get(id);
  }

  task(id: string): PebbleTask | undefined {
    return this.tasks.get(id);
  }

  all(): PebbleChange[] {
    return [...this.changes.values()];
  }
}

/** Adds a line to a task's log as state/task.go's addLog: time, kind, text; the last 10 kept. */
export function taskLog(task: PebbleTask, kind: 'INFO' | 'ERROR', text: string): void {
  if (task.log.length > 9) task.log.splice(0, task.log.length - 9);
  // Go's time.RFC3339: whole seconds.
  task.log.push(`${new Date().toISOString().replace(/\.\d+Z$/, 'Z')} ${kind} ${text}`);
}

/** Ends a task: Done, or Error with `error` logged. */
export function finishTask(task: PebbleTask, error?: string): void {
  if (error !== undefined) taskLog(task, 'ERROR', error);
  task.status = error === undefined ? 'Done' : 'Error';
  task.readyTime = new Date();
}

/** The change's status from its tasks, as state/change.go's Status: Error wins once all are ready. */
export function changeStatus(change: PebbleChange): string {
  if (change.tasks.length === 0) return 'Done';
  const statuses = change.tasks.map((task) => task.status);
  if (statuses.some((status) => status === 'Doing')) return 'Doing';
  if (statuses.some((status) => status === 'Do')) return statuses.some((status) => status !== 'Do') ? 'Doing' : 'Do';
  if (statuses.some((status) => status === 'Error')) return 'Error';
  if (statuses.every((status) => status === 'Hold')) return 'Hold';
  return 'Done';
}

/** The JSON of a change as api_changes.go's change2changeInfo shapes it. */
export function changeInfo(change: PebbleChange): Record<string, unknown> {
  const status = changeStatus(change);
  const ready = status === 'Done' || status === 'Error' || status === 'Hold';
  const errors = change.tasks
    .filter((task) => task.status === 'Error')
    .flatMap((task) => task.log.map((line) => /^\S+ ERROR (.*)$/s.exec(line)?.[1]).filter((text): text is string => text !== undefined).map((text) => `- ${task.summary} (${text})`));
  return {
    id: change.id,
    kind: change.kind,
    summary: change.summary,
    status,
    tasks: change.tasks.map((task) => ({
      id: task.id,
      kind: task.kind,
      summary: task.summary,
      status: task.status,
      ...(task.log.length > 0 ? { log: [...task.log] } : {}),
      progress: { label: '', done: task.status === 'Done' || task.status === 'Error' ? 1 : 0, total: 1 },
      'spawn-time': rfc3339(task.spawnTime),
      ...(task.readyTime ? { 'ready-time': rfc3339(task.readyTime) } : {}),
      ...(task.data ? { data: task.data } : {}),
    })),
    ready,
    ...(status === 'Error' ? { err: `cannot perform the following tasks:\n${errors.join('\n')}` } : {}),
    'spawn-time': rfc3339(change.spawnTime),
    ...(ready && change.readyTime ? { 'ready-time': rfc3339(change.readyTime) } : {}),
  };
}

/** A time as Go's encoding/json writes a time.Time (RFC 3339 with fractional seconds). */
export function rfc3339(date: Date): string {
  return date.toISOString();
}
