import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createModel, ModelError, type LocalModel, type ModelOptions } from '@charms/model';
import { actionOutput } from '@charms/model/internal';

// Actions on the local model (issue 17), after Juju 2.9 as
// docs/explanation/juju-actions-and-storage.md reads it from the source (§ numbers below).
// The fixture is a shell charm: its `backup` action completes with nested results, its
// `break` action writes state and relation data, calls action-fail, and with hard=true exits 3.

const charm = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'action-charm');
const TIMEOUT = 120_000;

const models: LocalModel[] = [];
afterAll(() => Promise.all(models.map((m) => m.destroy())), TIMEOUT);

async function deployed(config: Record<string, unknown> = {}, options: Partial<ModelOptions> = {}): Promise<LocalModel> {
  const model = await createModel(options);
  models.push(model);
  await model.deploy(charm, { config });
  return model;
}

describe('runAction', () => {
  it('runs through dispatch with actions/<name>, the action variables and an empty JUJU_HOOK_NAME (§3.1), and keeps action-set results nested (§3.2)', async () => {
    const model = await deployed();
    const action = await model.runAction('actions-demo/0', 'backup', { target: '/tmp/b', level: 5 });
    expect(action).toMatchObject({ id: '2', operation: '1', unit: 'actions-demo/0', name: 'backup', status: 'completed', message: '' });
    expect(action.results).toEqual({
      result: { target: '/tmp/b', level: '5' },
      outcome: 'done',
      env: { name: 'backup', uuid: '2', tag: 'action-2', hook: '[]' },
      Code: '0',
      Stdout: 'backing up\n',
    });
    expect(action.log.map((l) => l.message)).toEqual(['starting backup']);
    expect(action.started! >= action.enqueued && action.completed! > action.started!).toBe(true);
  }, TIMEOUT);

  it('numbers operations and actions from one sequence: the first action is 2, the next 4 (§2 IDs)', async () => {
    const model = await deployed();
    expect((await model.runAction('actions-demo/0', 'backup')).id).toBe('2');
    expect((await model.runAction('actions-demo/0', 'backup')).id).toBe('4');
    expect(model.action('4').operation).toBe('3');
  }, TIMEOUT);

  it('commits the changes of an action that exits 0, action-fail or not (§3.4): status failed with action-fail\'s message', async () => {
    const model = await deployed();
    const action = await model.runAction('actions-demo/0', 'break');
    expect(action).toMatchObject({ status: 'failed', message: 'it broke' });
    expect(action.results).toEqual({ Code: '0', Stderr: 'to stderr\n' });
    const unit = model.snapshot().apps['actions-demo']!.units[0]!;
    expect(unit.controllerState).toEqual({ broken: 'yes' });
    expect(model.snapshot().relations[0]!.data['actions-demo/0']).toMatchObject({ broken: 'yes' });
  }, TIMEOUT);

  it('commits nothing of an action that exits non-zero; its message is "exit status N", over action-fail\'s (§3.3, §3.4)', async () => {
    const model = await deployed();
    const action = await model.runAction('actions-demo/0', 'break', { hard: true });
    expect(action).toMatchObject({ status: 'failed', message: 'exit status 3' });
    expect(action.results).toMatchObject({ Code: '3' });
    const snapshot = model.snapshot();
    expect(snapshot.apps['actions-demo']!.units[0]!.controllerState).toEqual({});
    expect(snapshot.relations[0]!.data['actions-demo/0'] ?? {}).not.toHaveProperty('broken');
    // The action's failure is not the unit's (§3.3: the uniter never goes into error for an action).
    expect(snapshot.apps['actions-demo']!.units[0]!.agent.status).toBe('idle');
  }, TIMEOUT);

  it('refuses an action the charm does not define with Juju\'s text, records it as error, and runs nothing (§1)', async () => {
    const model = await deployed();
    const before = model.timeline().length;
    const error = await model.runAction('actions-demo/0', 'restore').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelError);
    expect(error).toMatchObject({ code: 'INVALID_ACTION', message: 'action "restore" not defined on unit "actions-demo/0"' });
    expect(model.action('2')).toMatchObject({ status: 'error', message: 'action "restore" not defined on unit "actions-demo/0"' });
    expect(model.timeline().length).toBe(before);
  }, TIMEOUT);

  it('inserts the schema\'s defaults before the action runs, so action-get reads them (§1 InsertDefaults)', async () => {
    const model = await deployed();
    const action = await model.runAction('actions-demo/0', 'backup');
    expect(action.params).toEqual({ target: '/srv/backup', level: 3 });
    expect(action.results.result).toEqual({ target: '/srv/backup', level: '3' });
    // break's hard defaults to false: action-fail only, exit 0.
    expect(await model.runAction('actions-demo/0', 'break')).toMatchObject({ params: { hard: false }, message: 'it broke' });
  }, TIMEOUT);

  it('refuses params the schema refuses with Juju\'s validation text, before anything runs (§1 ValidateParams)', async () => {
    const model = await deployed();
    const before = model.timeline().length;
    await expect(model.runAction('actions-demo/0', 'backup', { level: 'two' })).rejects.toMatchObject({ code: 'INVALID_ACTION', message: 'validation failed: (root).level : must be of type integer, given "two"' });
    await expect(model.runAction('actions-demo/0', 'backup', { bar: 'foo' })).rejects.toThrow(/^validation failed: \(root\) : additional property "bar" is not allowed, given \{"bar":"foo"\}$/);
    expect(model.action('2')).toMatchObject({ status: 'error', message: 'validation failed: (root).level : must be of type integer, given "two"' });
    expect(model.timeline().length).toBe(before);
  }, TIMEOUT);

  it('waits behind the queued hooks and never runs before install (§3.5): pending until install succeeds, then after start', async () => {
    const model = await deployed({ 'fail-hook': 'install' }, { automaticallyRetryHooks: false });
    const action = await model.runAction('actions-demo/0', 'backup');
    expect(action.status).toBe('pending');
    await model.setConfig('actions-demo', { 'fail-hook': '' });
    await model.resolve('actions-demo/0');
    expect(model.action(action.id).status).toBe('completed');
    const starts = model.timeline('actions-demo/0').filter((e) => e.kind === 'hook-start').map((e) => e.hook);
    expect(starts.indexOf('actions/backup')).toBeGreaterThan(starts.lastIndexOf('start'));
    expect(starts.at(-1)).toBe('actions/backup');
  }, TIMEOUT);

  it('runs on a unit whose hook failed, which stays in error (§3.5)', async () => {
    const model = await deployed({ 'fail-hook': 'start' }, { automaticallyRetryHooks: false });
    const action = await model.runAction('actions-demo/0', 'backup');
    expect(action.status).toBe('completed');
    expect(model.snapshot().apps['actions-demo']!.units[0]!.agent).toMatchObject({ status: 'error', message: 'hook failed: "start"' });
  }, TIMEOUT);

  it('shows in the timeline and the log under actions/<name>, and not among the unit\'s numbered hooks', async () => {
    const model = await deployed();
    const hooks = model.hooks('actions-demo/0').length;
    await model.runAction('actions-demo/0', 'backup');
    expect(model.timeline('actions-demo/0').filter((e) => e.hook === 'actions/backup').map((e) => e.kind)).toEqual(['hook-start', 'tool', 'tool', 'tool', 'tool', 'tool', 'tool', 'commit']);
    expect(model.log('actions-demo/0').some((l) => l.hook === 'actions/backup' && l.message === 'backing up')).toBe(true);
    expect(model.hooks('actions-demo/0').length).toBe(hooks);
  }, TIMEOUT);

  it('lists the charm\'s actions by name with their descriptions, as juju actions', async () => {
    const model = await deployed();
    expect(model.actions('actions-demo')).toEqual([
      { name: 'backup', description: 'Back up the data to a target.' },
      { name: 'break', description: 'Fails on purpose, after writing state and relation data and asking for storage.' },
    ]);
  }, TIMEOUT);

  it('refuses an unknown id or one that is not a number with Juju\'s texts (§2 show-action-output)', async () => {
    const model = await deployed();
    expect(() => model.action('9')).toThrow('no results for action 9');
    expect(() => model.action('x')).toThrow('task id "x" not valid');
  }, TIMEOUT);
});

describe('actionOutput (show-action-output, compat mode, §2)', () => {
  it('drops Code, adds ReturnCode only when not 0, keeps Stdout and Stderr, prints Go times', () => {
    const base = { id: '2', operation: '1', unit: 'kv/0', name: 'backup', params: {}, log: [], enqueued: '2026-01-01T00:00:05.000Z', started: '2026-01-01T00:00:05.000Z', completed: '2026-01-01T00:00:06.000Z' };
    expect(actionOutput({ ...base, status: 'completed', message: '', results: { a: { b: 'c' }, Code: '0', Stdout: 'x\r\n' } })).toEqual({
      UnitId: 'kv/0',
      id: '2',
      results: { a: { b: 'c' }, Stdout: 'x\n' },
      status: 'completed',
      timing: { completed: '2026-01-01 00:00:06 +0000 UTC', enqueued: '2026-01-01 00:00:05 +0000 UTC', started: '2026-01-01 00:00:05 +0000 UTC' },
    });
    expect(actionOutput({ ...base, status: 'failed', message: 'exit status 3', results: { Code: '3' } })).toMatchObject({ message: 'exit status 3', results: { ReturnCode: 3 } });
    const { started: _started, completed: _completed, ...queued } = base;
    expect(actionOutput({ ...queued, status: 'pending', message: '', results: {} })).toEqual({
      UnitId: 'kv/0',
      id: '2',
      status: 'pending',
      timing: { enqueued: '2026-01-01 00:00:05 +0000 UTC' },
    });
  });
});
