/**
 * An action's life on the model, for the scheduler (scheduler.ts), after Juju 2.9's state
 * (state/action.go) and unit agent (worker/uniter/operation/runaction.go, the actions
 * resolver, runner.go and context.go finalizeAction); docs/explanation/
 * juju-actions-and-storage.md §2–3 gives the sources. Pure, like the scheduler: each
 * function changes the record in place.
 *
 * The queueing rule the model follows (§3.5): a unit runs its pending actions one at a
 * time, oldest first, only when it has installed and has no hook queued, or when its
 * first queued hook has failed (the unit is in error: Juju runs actions then). The model
 * queues a new unit's whole chain (install … start) at once, as each hook of it queues
 * the next in Juju, so an action waits for the chain; it never runs before install.
 * Queued hooks go first: an action waits behind hooks queued before it and after it
 * alike, since the model settles hooks before it looks at actions.
 */
import type { JujucAction } from '@charms/hooktools/jujuc';
import { ModelError } from './model-errors.js';
import { findUnit, modelTime, type ActionRecord, type ModelRecord, type PendingChanges, type UnitRecord } from './model-state.js';
import { commitChanges, HOOK_TIME, leaderSettingsMoved } from './scheduler-hooks.js';
import type { Effect } from './scheduler-operations.js';

/** What can happen to an action. */
export type ActionOperation =
  /**
   * run-action: the action is recorded `pending`, or `error` with `error` as its message
   * when its params were refused (Juju records it so, and it never runs).
   */
  | { readonly type: 'action-queued'; readonly unit: string; readonly name: string; readonly params: Readonly<Record<string, unknown>>; readonly error?: string }
  /** The unit's agent begins the action (ActionBegin). */
  | { readonly type: 'action-started'; readonly id: string }
  /** The action's process exited; `action` holds what its action tools recorded. */
  | {
      readonly type: 'action-exited';
      readonly id: string;
      readonly exitCode: number;
      readonly pending: PendingChanges;
      readonly leaderSettingsChanged?: boolean;
      readonly action: JujucAction;
      readonly stdout: string;
      readonly stderr: string;
      /** Why its changes cannot be committed although it exited 0 (a refused storage-add): it fails with this message. */
      readonly commitError?: string;
    };

/** Juju's default action-fail message. */
export const ACTION_FAILED_WITHOUT_REASON = 'action failed without reason given, check action for errors';

/**
 * The action with id `id`.
 * @throws ModelError `NOT_FOUND` with Juju's texts: `task id "<id>" not valid` (not a
 *   number), `no results for action <id>`.
 */
export function findAction(model: ModelRecord, id: string): ActionRecord {
  if (!/^\d+$/.test(id)) throw new ModelError('NOT_FOUND', `task id ${JSON.stringify(id)} not valid`);
  const action = model.actions?.find((a) => a.id === id);
  if (!action) throw new ModelError('NOT_FOUND', `no results for action ${id}`);
  return action;
}

/** Whether `unit` may start an action now (the rule at the top of this file). */
export function mayRunAction(unit: UnitRecord): boolean {
  return unit.installed !== false && (unit.queue.length === 0 || unit.agent.status === 'error');
}

/** The oldest pending action whose unit may run it now, if any. */
export function nextAction(model: ModelRecord): ActionRecord | undefined {
  return model.actions?.find((action) => {
    if (action.status !== 'pending') return false;
    const unit = model.apps[action.unit.split('/')[0]!]?.units.find((u) => u.name === action.unit);
    return unit !== undefined && mayRunAction(unit);
  });
}

/** Carries out one action operation on `model` (in place). */
export function actionStep(model: ModelRecord, op: ActionOperation, effects: Effect[]): void {
  if (op.type === 'action-queued') {
    findUnit(model, op.unit);
    // One operation, then its one action, from the shared `task` sequence.
    const operation = model.nextTask ?? 1;
    model.nextTask = operation + 2;
    (model.actions ??= []).push({
      id: String(operation + 1),
      operation: String(operation),
      unit: op.unit,
      name: op.name,
      params: structuredClone(op.params) as Record<string, unknown>,
      status: op.error === undefined ? 'pending' : 'error',
      message: op.error ?? '',
      results: {},
      log: [],
      enqueued: modelTime(model),
    });
    return;
  }
  const action = findAction(model, op.id);
  const unit = findUnit(model, action.unit);
  if (op.type === 'action-started') {
    model.hookCounter += 1;
    action.status = 'running';
    action.started = modelTime(model);
    // runaction.go Execute: the agent executes the action; a unit in error stays so.
    if (unit.agent.status !== 'error') unit.agent = { status: 'executing', message: `running action ${action.name}`, since: action.started };
    return;
  }
  const app = model.apps[unit.name.split('/')[0]!]!;
  // leader-set acted at once, whatever the action's end.
  if (op.leaderSettingsChanged) leaderSettingsMoved(app, unit);
  model.clock += HOOK_TIME;
  const now = modelTime(model);
  action.results = structuredClone(op.action.results) as Record<string, unknown>;
  action.results.Code = String(op.exitCode);
  if (op.stdout !== '') action.results.Stdout = op.stdout;
  if (op.stderr !== '') action.results.Stderr = op.stderr;
  action.log = op.action.log.map((message) => ({ time: action.started ?? now, message }));
  // finalizeAction: action-fail fails it with its message; a non-zero exit fails it with
  // the exit's text, which wins over action-fail's message.
  action.status = op.exitCode !== 0 || op.action.failed !== undefined || op.commitError !== undefined ? 'failed' : 'completed';
  action.message = op.exitCode !== 0 ? `exit status ${op.exitCode}` : (op.commitError ?? op.action.failed ?? '');
  action.completed = now;
  if (unit.agent.status === 'executing') unit.agent = { status: 'idle', message: '', since: now };
  // HookContext.Flush commits the action's changes only when it exited 0 (§3.4).
  if (op.exitCode === 0 && op.commitError === undefined) commitChanges(model, app, unit, op.pending, effects);
}
