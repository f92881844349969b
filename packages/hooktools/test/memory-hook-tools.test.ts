import { describe, expect, it } from 'vitest';
import { MemoryHookTools, NotLeaderError, ProcessHookTools, RelationNotFoundError, type HookTools } from '@charms/hooktools';
import { FakeJuju } from './fixtures/fake-juju.js';

const relations = { 'db:3': { endpoint: 'db', app: 'mariadb', units: { 'mariadb/0': { password: 'pw' } } } };

/** The same calls, made through any HookTools. */
async function script(tools: HookTools): Promise<unknown[]> {
  return [
    await tools.configGet(),
    await tools.isLeader(),
    await tools.statusSet('maintenance', 'starting'),
    await tools.relationIds('db'),
    await tools.relationList('db:3'),
    await tools.relationGet({ relationId: 'db:3', unit: 'mariadb/0' }),
    await tools.relationSet({ host: 'minio' }, { relationId: 'db:3' }),
    await tools.resourceGet('oci-image'),
    await tools.podSpecSet({ version: 3 }),
    await tools.stateSet({ k: 'v' }),
    await tools.stateGet(),
    await tools.leaderSet({ a: '1' }),
    await tools.leaderGet(),
    await tools.jujuLog('hello', 'DEBUG'),
  ];
}

describe('MemoryHookTools', () => {
  it('makes the same calls, with the same argv and answers, as ProcessHookTools over Juju-like tools', { timeout: 60_000 }, async () => {
    const world = { leader: true, config: { port: 9000 }, resources: { 'oci-image': '/r/oci-image/content.yaml' }, relations };
    const juju = new FakeJuju(world);
    const process = await script(new ProcessHookTools({ env: juju.env({ JUJU_UNIT_NAME: 'minio/0' }) }));
    const memory = new MemoryHookTools({ unitName: 'minio/0', ...world });
    expect(await script(memory)).toEqual(process);
    // One call per step of the script, so the comparison below compares something.
    expect(juju.calls().map((c) => c.tool)).toEqual([
      'config-get',
      'is-leader',
      'status-set',
      'relation-ids',
      'relation-list',
      'relation-get',
      'relation-set',
      'resource-get',
      'pod-spec-set',
      'state-set',
      'state-get',
      'leader-set',
      'leader-get',
      'juju-log',
    ]);
    expect(memory.calls).toEqual(juju.calls());
  });

  it('applies Juju rules: leader-only tools, unknown relations, missing resources', async () => {
    const tools = new MemoryHookTools({ unitName: 'minio/1', leader: false });
    await expect(tools.podSpecSet('version: 3')).rejects.toBeInstanceOf(NotLeaderError);
    await expect(tools.relationList('db:9')).rejects.toBeInstanceOf(RelationNotFoundError);
    await expect(tools.resourceGet('oci-image')).rejects.toMatchObject({
      code: 'HOOK_TOOL_FAILED',
      stderr: 'ERROR could not download resource: resource#minio/oci-image not found\n',
    });
    await expect(tools.actionGet()).rejects.toMatchObject({ code: 'NOT_IN_ACTION' });
  });

  it('keeps the status history and the current status', async () => {
    const tools = new MemoryHookTools();
    expect(tools.status).toEqual({ status: 'unknown', message: '' });
    await tools.statusSet('blocked', 'need a resource');
    await tools.statusSet('active');
    expect(tools.status).toEqual({ status: 'active', message: '' });
    expect(tools.world.statusHistory).toHaveLength(2);
  });

  it('runs in the action it is given: action-get prints its params, the other action tools record into it (jujuc rules)', async () => {
    const tools = new MemoryHookTools({ action: { params: { target: 'nightly', options: { level: 9 } } } });
    expect(await tools.actionGet()).toEqual({ target: 'nightly', options: { level: 9 } });
    await tools.actionSet({ backup: { path: '/srv/1.tar', size: 3 } });
    await tools.actionLog('half way');
    await tools.actionFail('disk full');
    expect(tools.world.action).toEqual({
      params: { target: 'nightly', options: { level: 9 } },
      results: { backup: { path: '/srv/1.tar', size: '3' } },
      log: ['half way'],
      failed: 'disk full',
    });
    expect(tools.calls.map((c) => [c.tool, ...c.argv])).toEqual([
      ['action-get', '--format=json'],
      ['action-set', 'backup.path=/srv/1.tar', 'backup.size=3'],
      ['action-log', '--', 'half way'],
      ['action-fail', '--', 'disk full'],
    ]);
    await expect(tools.actionSet({ Bad: 'x' })).rejects.toMatchObject({ code: 'HOOK_TOOL_USAGE', exitCode: 2 });
  });

  it('answers storage-get and storage-list from the world, and keeps storage-add requests for the test (storage-*.go)', async () => {
    const tools = new MemoryHookTools({ storage: { 'data/0': { kind: 'filesystem', location: '/srv/data' }, 'logs/1': { kind: 'filesystem', location: '/var/lib/juju/storage/logs/1' } } });
    expect(await tools.storageList()).toEqual(['data/0', 'logs/1']);
    expect(await tools.storageList('logs')).toEqual(['logs/1']);
    expect(await tools.storageGet('data/0')).toEqual({ kind: 'filesystem', location: '/srv/data' });
    await tools.storageAdd({ logs: 2 });
    expect(tools.world.storageRequests).toEqual([{ name: 'logs', count: 2 }]);
    expect(tools.calls.map((c) => [c.tool, ...c.argv])).toEqual([
      ['storage-list', '--format=json'],
      ['storage-list', '--format=json', 'logs'],
      ['storage-get', '--format=json', '-s', 'data/0'],
      ['storage-add', 'logs=2'],
    ]);
    // Outside a storage hook, storage-get needs an id (storage-id.go).
    await expect(tools.storageGet()).rejects.toMatchObject({ exitCode: 2, stderr: 'ERROR no storage instance specified\n' });
  });
});
