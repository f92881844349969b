import { describe, expect, it } from 'vitest';
import {
  HookToolError,
  NotInActionError,
  NotLeaderError,
  PermissionDeniedError,
  ProcessHookTools,
  RelationNotFoundError,
} from '@charms/hooktools';
import { FakeJuju } from './fixtures/fake-juju.js';

const unitEnv = { JUJU_UNIT_NAME: 'minio/0' };

function setup(world: ConstructorParameters<typeof FakeJuju>[0] = {}, extra: Record<string, string> = {}) {
  const juju = new FakeJuju(world);
  return { juju, tools: new ProcessHookTools({ env: juju.env({ ...unitEnv, ...extra }) }) };
}

// Every tool call starts a shell and a few programs: seconds in all on a busy machine.
describe('ProcessHookTools', { timeout: 60_000 }, () => {
  it('status-set puts -- before the message, so a leading dash is not an option', async () => {
    const { juju, tools } = setup();
    await tools.statusSet('blocked', '-n is not a valid replica count');
    await tools.statusSet('active');
    expect(juju.calls()).toEqual([
      { tool: 'status-set', argv: ['blocked', '--', '-n is not a valid replica count'] },
      { tool: 'status-set', argv: ['active', '--', ''] },
    ]);
    expect(juju.world().statusHistory).toEqual([
      { status: 'blocked', message: '-n is not a valid replica count', application: false },
      { status: 'active', message: '', application: false },
    ]);
  });

  it('status-set --application from a non-leader is NotLeaderError', async () => {
    const { tools } = setup({ leader: false });
    const error = await tools.statusSet('active', 'ready', { application: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotLeaderError);
    expect(error).toMatchObject({
      code: 'NOT_LEADER',
      tool: 'status-set',
      argv: ['--application', 'active', '--', 'ready'],
      exitCode: 1,
      stderr: 'ERROR this unit is not the leader\n',
    });
  });

  it('config-get asks for JSON and every option, null included', async () => {
    const { juju, tools } = setup({ config: { 'access-key': 'minio', port: 9000, region: null } });
    expect(await tools.configGet()).toEqual({ 'access-key': 'minio', port: 9000, region: null });
    expect(juju.calls()).toEqual([{ tool: 'config-get', argv: ['--format=json', '--all'] }]);
  });

  it('is-leader parses the JSON boolean', async () => {
    expect(await setup({ leader: true }).tools.isLeader()).toBe(true);
    expect(await setup({ leader: false }).tools.isLeader()).toBe(false);
  });

  it('resource-get returns the path exactly, without adding or keeping a newline', async () => {
    const { tools } = setup({ resources: { 'oci-image': '/var/lib/juju/agents/unit-minio-0/resources/oci-image/content.yaml' } });
    expect(await tools.resourceGet('oci-image')).toBe('/var/lib/juju/agents/unit-minio-0/resources/oci-image/content.yaml');
  });

  it('resource-get of a missing resource fails with Juju’s text', async () => {
    const { tools } = setup();
    await expect(tools.resourceGet('oci-image')).rejects.toMatchObject({
      code: 'HOOK_TOOL_FAILED',
      exitCode: 1,
      stderr: 'ERROR could not download resource: resource#minio/oci-image not found\n',
    });
  });

  it('relation-set sends the map as JSON on stdin with --file -', async () => {
    const { juju, tools } = setup({ relations: { 'db:3': { endpoint: 'db', app: 'mariadb', units: { 'mariadb/0': {} } } } });
    await tools.relationSet({ host: 'minio', port: '9000' }, { relationId: 'db:3' });
    expect(juju.calls()).toEqual([{ tool: 'relation-set', argv: ['-r', 'db:3', '--file', '-'], stdin: '{"host":"minio","port":"9000"}' }]);
  });

  it('relation tools read ids, units and data', async () => {
    const { juju, tools } = setup({
      relations: { 'db:3': { endpoint: 'db', app: 'mariadb', units: { 'mariadb/1': {}, 'mariadb/0': { password: 'x' } } } },
    });
    expect(await tools.relationIds('db')).toEqual(['db:3']);
    expect(await tools.relationList('db:3')).toEqual(['mariadb/0', 'mariadb/1']);
    expect(await tools.relationRemoteApp('db:3')).toBe('mariadb');
    expect(await tools.relationGet({ relationId: 'db:3', unit: 'mariadb/0' })).toEqual({ password: 'x' });
    expect(juju.calls().map((c) => [c.tool, ...c.argv].join(' '))).toEqual([
      'relation-ids --format=json db',
      'relation-list --format=json -r db:3',
      'relation-list --format=json --app -r db:3',
      'relation-get --format=json -r db:3 - mariadb/0',
    ]);
  });

  it('an unknown relation is RelationNotFoundError', async () => {
    const { tools } = setup({ relations: {} });
    await expect(tools.relationGet({ relationId: 'db:9', unit: 'x/0' })).rejects.toBeInstanceOf(RelationNotFoundError);
  });

  it('relation-set --app from a non-leader is PermissionDeniedError', async () => {
    const { tools } = setup({ leader: false, relations: { 'db:3': { endpoint: 'db', app: 'mariadb' } } });
    await expect(tools.relationSet({ a: 'b' }, { relationId: 'db:3', app: true })).rejects.toBeInstanceOf(PermissionDeniedError);
  });

  it('pod-spec-set sends the spec on stdin and the k8s resources as a private file that is removed afterwards', async () => {
    const { juju, tools } = setup({ leader: true });
    await tools.podSpecSet({ version: 3, containers: [] }, { k8sResources: 'kubernetesResources:\n  secrets: []\n' });
    const [call] = juju.calls();
    expect(call!.argv).toEqual(['--file', '-', '--k8s-resources', expect.stringMatching(/^\//)]);
    expect(call!.stdin).toBe('version: 3\ncontainers: []\n');
    expect(juju.world().pending?.podSpec).toEqual({
      spec: 'version: 3\ncontainers: []\n',
      k8sResources: 'kubernetesResources:\n  secrets: []\n',
    });
    const { existsSync } = await import('node:fs');
    expect(existsSync(call!.argv[3]!)).toBe(false);
  });

  it('pod-spec-set from a non-leader is NotLeaderError', async () => {
    await expect(setup({ leader: false }).tools.podSpecSet('version: 3')).rejects.toBeInstanceOf(NotLeaderError);
  });

  it('state-set / state-get / state-delete use JSON and --file -', async () => {
    const { juju, tools } = setup({ controllerState: { old: '1' } });
    await tools.stateSet({ 'charms.unit-state': '{"flags":{}}' });
    expect(await tools.stateGet()).toEqual({ old: '1', 'charms.unit-state': '{"flags":{}}' });
    await tools.stateDelete('old');
    expect(juju.calls().map((c) => [c.tool, ...c.argv])).toEqual([
      ['state-set', '--file', '-'],
      ['state-get', '--format=json', '-'],
      ['state-delete', 'old'],
    ]);
  });

  it('juju-log passes the level and puts -- before the message', async () => {
    const { juju, tools } = setup();
    await tools.jujuLog('--dash first', 'WARNING');
    expect(juju.calls()).toEqual([{ tool: 'juju-log', argv: ['--log-level', 'WARNING', '--', '--dash first'] }]);
    expect(juju.world().logs).toEqual([{ level: 'WARNING', message: '--dash first' }]);
  });

  it('leader-set writes key=value pairs', async () => {
    const { juju, tools } = setup({ leader: true });
    await tools.leaderSet({ 'root-password': 'p=q', gone: '' });
    expect(juju.calls()).toEqual([{ tool: 'leader-set', argv: ['root-password=p=q', 'gone='] }]);
    expect(await tools.leaderGet()).toEqual({ 'root-password': 'p=q' });
  });

  it('action tools outside an action are NotInActionError', async () => {
    await expect(setup().tools.actionGet()).rejects.toBeInstanceOf(NotInActionError);
  });

  it('a usage error (exit 2) is HOOK_TOOL_USAGE with the argv and stderr', async () => {
    const { tools } = setup();
    const error = (await tools.run('status-set', ['idle']).catch((e: unknown) => e)) as HookToolError;
    expect(error).toBeInstanceOf(HookToolError);
    expect(error).toMatchObject({ code: 'HOOK_TOOL_USAGE', exitCode: 2, argv: ['idle'] });
    expect(error.stderr).toBe('ERROR invalid status "idle", expected one of [maintenance blocked waiting active]\n');
  });

  it('a tool that is not on PATH is HOOK_TOOL_NOT_FOUND, with advice', async () => {
    const tools = new ProcessHookTools({ env: { PATH: '/nonexistent' } });
    const error = (await tools.isLeader().catch((e: unknown) => e)) as HookToolError;
    expect(error).toMatchObject({ code: 'HOOK_TOOL_NOT_FOUND', tool: 'is-leader', exitCode: null });
    expect(error.message).toContain('only inside a Juju hook');
  });

  it('output that is not JSON is HOOK_TOOL_OUTPUT', async () => {
    const { juju, tools } = setup();
    juju.update((w) => void (w.fail = { 'is-leader': { exit: 0, stderr: '' } }));
    await expect(tools.isLeader()).rejects.toMatchObject({ code: 'HOOK_TOOL_OUTPUT' });
  });
});
