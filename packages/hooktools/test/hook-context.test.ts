import { describe, expect, it } from 'vitest';
import { HookContextError, readHookContext } from '@charms/hooktools';

const base = {
  JUJU_UNIT_NAME: 'minio/0',
  JUJU_MODEL_NAME: 'kubeflow',
  JUJU_MODEL_UUID: 'c0ffee',
  JUJU_CHARM_DIR: '/var/lib/juju/agents/unit-minio-0/charm',
  JUJU_VERSION: '2.9.44',
};

describe('readHookContext', () => {
  it('reads the hook name from JUJU_DISPATCH_PATH and freezes the result', () => {
    const context = readHookContext({ ...base, JUJU_DISPATCH_PATH: 'hooks/config-changed', JUJU_HOOK_NAME: 'ignored' });
    expect(context).toMatchObject({
      kind: 'hook',
      hookName: 'config-changed',
      unitName: 'minio/0',
      appName: 'minio',
      unitNumber: 0,
      modelName: 'kubeflow',
      charmDir: '/var/lib/juju/agents/unit-minio-0/charm',
      jujuVersion: '2.9.44',
    });
    expect(Object.isFrozen(context)).toBe(true);
  });

  it('takes a dispatch path that ends in hooks/<name>, as when old Juju runs a hook file', () => {
    expect(readHookContext({ ...base, JUJU_DISPATCH_PATH: '/var/lib/juju/agents/unit-minio-0/charm/hooks/install' }).hookName).toBe('install');
  });

  it('falls back to JUJU_HOOK_NAME, then to the name the program was run as', () => {
    expect(readHookContext({ ...base, JUJU_HOOK_NAME: 'install' }).hookName).toBe('install');
    expect(readHookContext(base, ['/usr/bin/node', '/charm/hooks/start']).hookName).toBe('start');
  });

  it('reads relation hooks and actions', () => {
    const relation = readHookContext({
      ...base,
      JUJU_DISPATCH_PATH: 'hooks/db-relation-changed',
      JUJU_RELATION: 'db',
      JUJU_RELATION_ID: 'db:3',
      JUJU_REMOTE_UNIT: 'mariadb/0',
      JUJU_REMOTE_APP: 'mariadb',
    });
    expect(relation).toMatchObject({ relationName: 'db', relationId: 'db:3', remoteUnit: 'mariadb/0', remoteApp: 'mariadb' });
    const action = readHookContext({ ...base, JUJU_DISPATCH_PATH: 'actions/backup', JUJU_ACTION_UUID: '42' });
    expect(action).toMatchObject({ kind: 'action', hookName: 'backup', actionName: 'backup', actionUuid: '42' });
  });

  it('reads a storage hook\'s instance (JUJU_STORAGE_ID, _KIND, _LOCATION, set in storage hooks only: context.go HookVars)', () => {
    const storage = readHookContext({ ...base, JUJU_DISPATCH_PATH: 'hooks/data-storage-attached', JUJU_STORAGE_ID: 'data/0', JUJU_STORAGE_KIND: 'filesystem', JUJU_STORAGE_LOCATION: '/srv/data' });
    expect(storage.storage).toEqual({ id: 'data/0', kind: 'filesystem', location: '/srv/data' });
    expect(readHookContext({ ...base, JUJU_DISPATCH_PATH: 'hooks/install' }).storage).toBeUndefined();
    expect(() => readHookContext({ ...base, JUJU_DISPATCH_PATH: 'hooks/data-storage-attached', JUJU_STORAGE_ID: 'data' })).toThrow(/JUJU_STORAGE_ID must look like data\/0/);
  });

  it("reads a workload hook's container, notice and check (JUJU_WORKLOAD_NAME, JUJU_NOTICE_ID/_TYPE/_KEY, JUJU_PEBBLE_CHECK_NAME: context.go HookVars, set only with a workload)", () => {
    const notice = readHookContext({ ...base, JUJU_DISPATCH_PATH: 'hooks/minio-pebble-custom-notice', JUJU_WORKLOAD_NAME: 'minio', JUJU_NOTICE_ID: '3', JUJU_NOTICE_TYPE: 'custom', JUJU_NOTICE_KEY: 'example.com/backup-done' });
    expect(notice.workload).toEqual({ name: 'minio', notice: { id: '3', type: 'custom', key: 'example.com/backup-done' }, checkName: undefined });
    const check = readHookContext({ ...base, JUJU_DISPATCH_PATH: 'hooks/minio-pebble-check-failed', JUJU_WORKLOAD_NAME: 'minio', JUJU_NOTICE_ID: '4', JUJU_NOTICE_TYPE: 'change-update', JUJU_NOTICE_KEY: '12', JUJU_PEBBLE_CHECK_NAME: 'minio-live' });
    expect(check.workload).toEqual({ name: 'minio', notice: { id: '4', type: 'change-update', key: '12' }, checkName: 'minio-live' });
    expect(readHookContext({ ...base, JUJU_DISPATCH_PATH: 'hooks/minio-pebble-ready', JUJU_WORKLOAD_NAME: 'minio' }).workload).toEqual({ name: 'minio', notice: undefined, checkName: undefined });
    expect(readHookContext({ ...base, JUJU_DISPATCH_PATH: 'hooks/install' }).workload).toBeUndefined();
  });

  it('knows an action by JUJU_ACTION_NAME when there is no dispatch path (Juju before 2.8 runs actions/<name> itself; JUJU_HOOK_NAME is empty)', () => {
    const action = readHookContext({ ...base, JUJU_ACTION_NAME: 'backup', JUJU_HOOK_NAME: '', JUJU_ACTION_UUID: '7' }, ['node', '/charm/actions/backup']);
    expect(action).toMatchObject({ kind: 'action', hookName: 'backup', actionName: 'backup', actionUuid: '7' });
    const hook = readHookContext({ ...base, JUJU_DISPATCH_PATH: 'hooks/install' });
    expect(hook).toMatchObject({ kind: 'hook', hookName: 'install', actionName: undefined });
  });

  it('treats empty variables as unset (Juju sets JUJU_REMOTE_UNIT empty in relation-broken)', () => {
    const context = readHookContext({ ...base, JUJU_DISPATCH_PATH: 'hooks/db-relation-broken', JUJU_REMOTE_UNIT: '' });
    expect(context.remoteUnit).toBeUndefined();
  });

  it('names every missing or malformed variable at once', () => {
    const error = (() => {
      try {
        readHookContext({ JUJU_UNIT_NAME: 'minio', JUJU_DISPATCH_PATH: 'hook/install', JUJU_RELATION_ID: 'db' });
      } catch (e) {
        return e as HookContextError;
      }
    })();
    expect(error).toBeInstanceOf(HookContextError);
    expect(error?.code).toBe('HOOK_CONTEXT_INVALID');
    expect(error?.problems.map((p) => p.variable).sort()).toEqual(['JUJU_DISPATCH_PATH', 'JUJU_MODEL_NAME', 'JUJU_RELATION_ID', 'JUJU_UNIT_NAME']);
    expect(error?.message).toContain('JUJU_UNIT_NAME must look like app/0');
  });

  it('requires a charm dir and a hook name', () => {
    expect(() => readHookContext({ JUJU_UNIT_NAME: 'minio/0', JUJU_MODEL_NAME: 'm' })).toThrowError(
      expect.objectContaining({
        problems: [
          { variable: 'JUJU_CHARM_DIR', problem: 'is not set' },
          { variable: 'JUJU_DISPATCH_PATH', problem: 'is not set (nor JUJU_HOOK_NAME)' },
        ],
      }),
    );
  });
});
