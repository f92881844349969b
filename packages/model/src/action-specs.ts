/**
 * A deployed charm's actions as Juju's controller checks them at enqueue
 * (state/unit.go PrepareActionPayload): the action must be defined, then its params
 * are validated against the action's schema and its defaults inserted. Reads the charm's
 * actions.yaml; the scheduler, which does no I/O, gets the outcome.
 */
import { ActionParamsError, checkActionParams, loadActionsYaml } from '@charms/manifest';
import type { HookRunner } from './hook-runner.js';
import type { HookReport } from './model-options.js';
import { findApp, findUnit, type ModelRecord } from './model-state.js';
import type { ModelStore } from './model-store.js';
import { findAction, type ActionOperation } from './scheduler-actions.js';
import { commitProblem } from './scheduler-storage.js';
import type { Operation } from './scheduler-operations.js';

/** One action of a charm, as `juju actions` lists it. */
export interface ActionSpec {
  readonly name: string;
  /** actions.yaml's description; Juju's default is "No description". */
  readonly description: string;
}

/** The actions of the charm in `charmDir`, sorted by name (juju actions' order). */
export function actionSpecs(charmDir: string): ActionSpec[] {
  const actions = loadActionsYaml(charmDir) ?? {};
  return Object.keys(actions)
    .sort()
    .map((name) => ({ name, description: actions[name]?.description ?? 'No description' }));
}

/**
 * run-action's operation for the scheduler: the unit must exist; the action and its
 * params are checked against the unit's charm (prepareParams).
 * @throws ModelError `NOT_FOUND` for an unknown application or unit.
 */
export function actionQueued(model: ModelRecord, store: ModelStore, unit: string, name: string, params: Readonly<Record<string, unknown>>): Extract<ActionOperation, { type: 'action-queued' }> {
  const app = findApp(model, unit.split('/')[0]!);
  findUnit(model, unit);
  const charmUrl = `local:${store.metadata(app).series?.[0] ?? 'kubernetes'}/${app.charm}-${app.revision}`;
  const prepared = prepareParams(store.file(app.charmDir), { unit, charmUrl }, name, params);
  return { type: 'action-queued', unit, name, params: prepared.params, ...(prepared.error !== undefined ? { error: prepared.error } : {}) };
}

/**
 * Runs the pending action `id` through `runner`: `action-started`, its process (the
 * action tools answer from a fresh record of results, failure and log), `action-exited`.
 * `apply` hands an operation to the scheduler and gives back the model's new record.
 */
export async function runAction(runner: HookRunner, id: string, apply: (op: Operation) => ModelRecord, onHook?: (report: HookReport) => void): Promise<HookReport> {
  // The live record: the action's tool calls read and change it, as a hook's do.
  const model = apply({ type: 'action-started', id });
  const record = findAction(model, id);
  const state = { params: structuredClone(record.params), results: {}, log: [] as string[] };
  const outcome = await runner.run(model, record.unit, { record, state });
  const { exitCode, pending, leaderSettingsChanged, output } = outcome;
  const commitError = commitProblem(model, record.unit, exitCode, pending.storage);
  const after = apply({ type: 'action-exited', id, exitCode, pending, leaderSettingsChanged, action: state, stdout: output?.stdout ?? '', stderr: output?.stderr ?? '', ...(commitError ? { commitError } : {}) });
  runner.finished(after, record.unit, outcome, commitError);
  const report = { unit: record.unit, hook: outcome.event.hook, ok: findAction(after, id).status === 'completed', ms: outcome.ms };
  onHook?.(report);
  return report;
}

/**
 * The params an action runs with (the schema's defaults inserted), or the error Juju
 * records for it at enqueue, with Juju's texts (@charms/manifest checkActionParams):
 * `no actions defined on charm "<url>"`, `action "<name>" not defined on unit "<unit>"`,
 * `validation failed: …`.
 */
export function prepareParams(
  charmDir: string,
  where: { readonly unit: string; readonly charmUrl: string },
  name: string,
  params: Readonly<Record<string, unknown>>,
): { params: Record<string, unknown>; error?: string } {
  const given = structuredClone(params) as Record<string, unknown>;
  const actions = loadActionsYaml(charmDir);
  try {
    // An actions.yaml with no action is a charm with no actions, as Juju counts them.
    return { params: checkActionParams(actions && Object.keys(actions).length > 0 ? actions : undefined, name, given, { unit: where.unit, charm: where.charmUrl }) };
  } catch (error) {
    if (error instanceof ActionParamsError) return { params: given, error: error.message };
    throw error;
  }
}
