import { describe, expect, it } from 'vitest';
import { noChanges } from '@charms/hooktools/jujuc';
import { emptyModel, type ModelRecord } from '../src/model-state.js';
import { nextAction } from '../src/scheduler-actions.js';
import { transition } from '../src/scheduler.js';
import type { Operation } from '../src/scheduler-operations.js';

// An action's life in the scheduler, without processes (docs/explanation/
// juju-actions-and-storage.md §2–3.5 for the Juju rules each test names).

function apply(model: ModelRecord, operation: Operation): ModelRecord {
  return transition(model, operation).record;
}

/** A model with kv/0 deployed, its setup hooks queued (not run). */
function deployed(): ModelRecord {
  return apply(emptyModel(), {
    type: 'deploy',
    app: 'kv',
    charm: 'kv',
    charmDir: 'charms/kv',
    configYaml: undefined,
    config: {},
    declaredResources: undefined,
    resources: {},
    endpoints: [{ name: 'cluster', role: 'peers', interface: 'kv-cluster' }],
    units: 1,
  });
}

/** Runs every queued hook of kv/0 with exit code 0, or `failing` for the hook named. */
function runHooks(model: ModelRecord, failing?: string): ModelRecord {
  let next = model;
  for (let unit = next.apps.kv!.units[0]!; unit.queue.length > 0 && unit.agent.status !== 'error'; unit = next.apps.kv!.units[0]!) {
    const hook = unit.queue[0]!.hook;
    next = apply(next, { type: 'hook-started', unit: 'kv/0' });
    next = apply(next, { type: 'hook-exited', unit: 'kv/0', exitCode: hook === failing ? 1 : 0, pending: noChanges(), retryHooks: false });
  }
  return next;
}

const queued: Operation = { type: 'action-queued', unit: 'kv/0', name: 'backup', params: { target: '/srv' } };

describe('actions in the scheduler', () => {
  it('takes an operation id and then an action id from one sequence, starting at 1 (§2 IDs)', () => {
    const model = apply(apply(deployed(), queued), queued);
    expect(model.actions!.map((a) => [a.operation, a.id, a.status])).toEqual([
      ['1', '2', 'pending'],
      ['3', '4', 'pending'],
    ]);
    expect(model.nextTask).toBe(5);
  });

  it('never runs an action before install, nor while hooks are queued (§3.5)', () => {
    const model = apply(deployed(), queued);
    expect(nextAction(model)).toBeUndefined();
    expect(nextAction(runHooks(model))?.id).toBe('2');
  });

  it('runs an action on a unit whose hook failed, once installed (§3.5 RunHook Pending)', () => {
    expect(nextAction(runHooks(apply(deployed(), queued), 'install'))).toBeUndefined();
    const failedStart = runHooks(apply(deployed(), queued), 'start');
    expect(failedStart.apps.kv!.units[0]!.agent.status).toBe('error');
    expect(nextAction(failedStart)?.id).toBe('2');
  });

  it('records a refused action as error with its message; it never becomes runnable', () => {
    const model = runHooks(apply(deployed(), { ...queued, error: 'validation failed: (root) : boom' } as Operation));
    expect(model.actions![0]).toMatchObject({ status: 'error', message: 'validation failed: (root) : boom' });
    expect(nextAction(model)).toBeUndefined();
  });

  it('ends completed, failed by action-fail, or failed by the exit code over action-fail (§3.3 finalizeAction)', () => {
    const end = (exitCode: number, failed?: string) => {
      let model = apply(runHooks(deployed()), queued);
      model = apply(model, { type: 'action-started', id: '2' });
      expect(model.apps.kv!.units[0]!.agent).toMatchObject({ status: 'executing', message: 'running action backup' });
      const action = { params: {}, results: { a: { b: 'c' } }, log: [], ...(failed ? { failed } : {}) };
      model = apply(model, { type: 'action-exited', id: '2', exitCode, pending: { ...noChanges(), state: { k: 'v' } }, action, stdout: 'out', stderr: '' });
      return { action: model.actions![0]!, unit: model.apps.kv!.units[0]! };
    };
    expect(end(0)).toMatchObject({ action: { status: 'completed', message: '', results: { a: { b: 'c' }, Code: '0', Stdout: 'out' } }, unit: { controllerState: { k: 'v' }, agent: { status: 'idle' } } });
    expect(end(0, 'no disk')).toMatchObject({ action: { status: 'failed', message: 'no disk' }, unit: { controllerState: { k: 'v' } } });
    const crashed = end(2, 'no disk');
    expect(crashed.action).toMatchObject({ status: 'failed', message: 'exit status 2', results: { Code: '2' } });
    expect(crashed.unit.controllerState).toEqual({});
  });
});
