/**
 * A hook's life on the unit agent, for the scheduler (scheduler.ts): what the agent does as
 * a hook starts and after it exits (statuses, committing its changes, the retry of a failed
 * hook), what follows a hook that ran or was skipped, and `resolve`. Pure, like
 * scheduler.ts; each function changes the record in place.
 */
import { flush } from './flush.js';
import { findUnit, modelTime, otherEnd, unitsOf, type AppRecord, type HookEvent, type ModelRecord, type PendingChanges, type UnitRecord } from './model-state.js';
import { enterScope, updateScope } from './scheduler-relations.js';
import { addStorage, storageHookDone, unitStorageGone } from './scheduler-storage.js';
import type { Effect, Operation } from './scheduler-operations.js';

/**
 * The workload statuses the unit agent sets around hooks, as Juju 2.9's
 * worker/uniter/operation/runhook.go does: before install (unless the charm has set a status
 * in an earlier hook), stop and remove; after stop and remove; and `unknown` after start
 * when the charm has never set a status.
 */
export const AGENT_STATUSES = {
  install: { status: 'maintenance', message: 'installing charm software' },
  stop: { status: 'maintenance', message: 'stopping charm software' },
  remove: { status: 'maintenance', message: 'cleaning up prior to charm deletion' },
  stopped: { status: 'maintenance', message: '' },
  removed: { status: 'terminated', message: '' },
  started: { status: 'unknown', message: '' },
} as const;
/**
 * Juju 2.9's hook retry back-off (apiserver/facades/agent/retrystrategy/retrystrategy.go,
 * run by worker/uniter/uniter.go with juju/utils' BackoffTimer): first retry after 5 s,
 * each next delay doubled, at most 5 min. Juju adds ±3 % jitter; the model does not.
 */
export const RETRY_DELAY = { min: 5_000, max: 5 * 60_000, factor: 2 } as const;
/** Virtual time one hook takes. */
export const HOOK_TIME = 1000;

/** The unit's first queued hook starts: runhook.go `beforeHook` and `Execute`. */
export function hookStarted(model: ModelRecord, unit: UnitRecord): void {
  const event = unit.queue[0]!;
  model.hookCounter += 1;
  updateScope(model, unit, event);
  const since = modelTime(model);
  // The agent's own workload statuses, which the charm may replace.
  if ((event.hook === 'install' && !unit.statusSet) || event.hook === 'stop' || event.hook === 'remove') {
    unit.workload = { ...AGENT_STATUSES[event.hook as 'install' | 'stop' | 'remove'], since };
  }
  // Juju does not record that update-status runs, to spare the controller (runhook.go Execute).
  if (event.hook !== 'update-status') unit.agent = { status: 'executing', message: `running ${event.hook} hook`, since };
}

/**
 * `juju resolved`: the failed hook runs again, or is skipped (and what follows it
 * happens: Juju removes the unit even when its remove hook is skipped). The retry timer
 * stops and its back-off is reset (worker/uniter/resolver.go).
 */
export function resolved(model: ModelRecord, unit: UnitRecord, retry: boolean, effects: Effect[]): void {
  if (!retry) {
    const skipped = unit.queue.shift();
    if (skipped) afterHook(model, model.apps[unit.name.split('/')[0]!]!, unit.name, skipped, effects);
  }
  delete unit.error;
  delete unit.retryAt;
  delete unit.retryDelay;
  unit.agent = { status: 'idle', message: '', since: modelTime(model) };
}

/** What follows a hook: a failed one holds the unit in error; a successful one commits and leaves the queue. */
export function hookExited(model: ModelRecord, op: Extract<Operation, { type: 'hook-exited' }>, effects: Effect[]): void {
  const unit = findUnit(model, op.unit);
  const app = model.apps[op.unit.split('/')[0]!]!;
  const event = unit.queue[0]!;
  // leader-set takes effect at once, failed hook or not. Juju's leadership resolver
  // (worker/uniter/leadership/resolver.go) runs leader-settings-changed on a unit that is
  // not the leader when the settings version moved: a write that changed nothing moves no
  // version, and several writes before the unit looks give one hook.
  if (op.leaderSettingsChanged) leaderSettingsMoved(app, unit);
  model.clock += HOOK_TIME;
  const since = modelTime(model);
  if (op.exitCode !== 0 || op.commitError !== undefined) {
    // The uniter records the failure on the agent (uniter.go reportHookError) and, with
    // automatically-retry-hooks, starts its back-off timer; when it fires the hook runs
    // again (worker/uniter/resolver.go nextOpHookError). Nothing else runs meanwhile.
    unit.error = event;
    unit.agent = { status: 'error', message: `hook failed: "${event.hook}"`, since };
    if (op.retryHooks !== false) {
      const delay = unit.retryDelay ?? RETRY_DELAY.min;
      unit.retryAt = model.clock + delay;
      unit.retryDelay = Math.min(delay * RETRY_DELAY.factor, RETRY_DELAY.max);
    }
    return;
  }
  // A retried hook that succeeds stops the timer but, as in Juju, leaves its back-off
  // where it was (the resolver clears its timer flag before the retry runs).
  delete unit.error;
  delete unit.retryAt;
  unit.queue.shift();
  // The uniter reports idle only when its status changes (uniter.go setAgentStatus keeps the last one).
  if (unit.agent.status !== 'idle' || unit.agent.message !== '') unit.agent = { status: 'idle', message: '', since };
  // runhook.go afterHook; the charm having set a status in any hook is remembered (State.StatusSet).
  if (op.statusSet) unit.statusSet = true;
  if (event.hook === 'stop') unit.workload = { ...AGENT_STATUSES.stopped, since };
  if (event.hook === 'remove') unit.workload = { ...AGENT_STATUSES.removed, since };
  if (event.hook === 'start' && !unit.statusSet) unit.workload = { ...AGENT_STATUSES.started, since };
  commitChanges(model, app, unit, op.pending, effects);
  afterHook(model, app, unit.name, event, effects);
}

/** A leader-set changed the settings: leader-settings-changed, once, on the application's other units. */
export function leaderSettingsMoved(app: AppRecord, unit: UnitRecord): void {
  for (const other of app.units) if (other.name !== unit.name) queueOnce(other, { hook: 'leader-settings-changed' });
}

/**
 * Commits what a successful hook or action asked for (flush) and what follows: the
 * manifests written again for a new pod spec, and for changed settings relation-changed
 * on the units of the other side that see the writer (every one of them for the
 * application's bag).
 */
export function commitChanges(model: ModelRecord, app: AppRecord, unit: UnitRecord, pending: PendingChanges, effects: Effect[]): void {
  const flushed = flush(model, app, unit, pending);
  if (flushed.podSpecChanged) effects.push({ type: 'render-manifests', app: app.name });
  // storage-add: checked before the commit (the caller's commitError), so it cannot be refused here.
  if (pending.storage.length > 0) addStorage(model, unit, pending.storage, effects);
  for (const { relation, bag } of flushed.settings) {
    const remote = otherEnd(relation, app.name);
    const isAppBag = bag === app.name;
    for (const other of unitsOf(model, remote.app)) {
      if (other.name === unit.name) continue;
      if (isAppBag || (relation.joined[other.name] ?? []).includes(unit.name)) {
        other.queue.push({ hook: `${remote.endpoint}-relation-changed`, relationId: relation.id, remoteUnit: isAppBag ? undefined : unit.name, remoteApp: app.name });
      }
    }
  }
}

/**
 * Queues `event` unless the unit already has the same hook waiting to run: Juju compares
 * versions (config hash, leader settings version, update-status version), so several
 * changes before the unit looks become one hook. A failed hook at the head of the queue
 * does not count (it may be skipped by `resolve --no-retry`).
 */
export function queueOnce(unit: UnitRecord, event: HookEvent): void {
  const waiting = unit.queue.slice(unit.agent.status === 'error' ? 1 : 0);
  if (!waiting.some((e) => e.hook === event.hook)) unit.queue.push(event);
}

/**
 * What follows a hook that ran or was skipped: after install the unit is installed and
 * enters the scope of each of its application's relations (Juju's created-relations
 * resolver synchronises scopes once the unit is installed); after remove the unit and its
 * files go, and Juju elects another leader when the leader goes.
 */
function afterHook(model: ModelRecord, app: AppRecord, unit: string, event: HookEvent, effects: Effect[]): void {
  if (event.storageId !== undefined) storageHookDone(model, event.hook, event.storageId, effects);
  if (event.hook === 'install') {
    const record = findUnit(model, unit);
    record.installed = true;
    for (const relation of model.relations.filter((r) => r.ends.some((e) => e.app === app.name))) enterScope(model, relation, record);
  }
  if (event.hook !== 'remove') return;
  app.units = app.units.filter((u) => u.name !== unit);
  // Nothing of the unit stays: a later unit of the same name (a redeploy) starts empty.
  effects.push({ type: 'remove-unit-files', app: app.name, unit });
  unitStorageGone(model, unit, effects);
  if (app.podSpec || app.sidecar) effects.push({ type: 'render-manifests', app: app.name });
  if (app.leader !== unit) return;
  app.leader = app.units[0]?.name;
  app.units[0]?.queue.push({ hook: 'leader-elected' });
}
