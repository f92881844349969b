import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ModelRecord } from '@charms/model';
import { runHookTool, ShimServer, writeShims, type ToolContext } from '@charms/model/testing';

/** A unit of app `kv` in a one-relation model; `leader` decides leadership. */
function context(leader: boolean, event: ToolContext['event'] = { hook: 'install' }): ToolContext {
  const unit = { name: 'kv/0', workload: { status: 'maintenance', message: '', since: '' }, agent: { status: 'executing', message: '', since: '' }, queue: [], controllerState: {}, openedPorts: [] };
  const app = {
    name: 'kv', charm: 'kv', charmDir: 'charms/kv', revision: 1, config: { port: 7001 }, resources: { image: { image: 'example/kv:1', username: '', password: '', revision: 1 } },
    units: [unit], nextUnit: 1, leader: leader ? 'kv/0' : 'kv/1', leaderSettings: {},
  };
  const model: ModelRecord = {
    version: 1, apps: { kv: app }, nextRelationId: 4, clock: 0, hookCounter: 0,
    relations: [{ id: 3, interface: 'kv', ends: [{ app: 'kv', endpoint: 'kv', role: 'provides' }, { app: 'client', endpoint: 'backend', role: 'requires' }], data: { 'client/0': { a: 'b' } }, joined: { 'kv/0': ['client/0'] }, inScope: { 'kv/0': ['client/0'] } }],
  };
  const logs: string[] = [];
  return {
    model, app, unit, event, pending: { relationSets: [], ports: [], state: {}, storage: [] }, modelDir: tmpdir(),
    configYaml: { options: { port: { type: 'int', default: 7000 }, name: { type: 'string' } } },
    metadata: { resources: { image: { type: 'oci-image' }, missing: { type: 'oci-image' } }, endpoints: ['kv', 'backend'] },
    now: () => '2026-01-01T00:00:00.000Z',
    writeResource: (name) => `/model/units/kv-0/resources/${name}/content.yaml`,
    log: (level, message) => void logs.push(`${level} ${message}`),
    leaderSettingsChanged: () => undefined,
    // For the juju-log rows.
    ...({ logs } as object),
  } as ToolContext;
}

// [tool, argv, leader, exit code, stdout, stderr] — texts from spec/hook-tools.md §2–3.
const TABLE: [string, string[], boolean, number, string, string][] = [
  ['status-set', [], true, 2, '', 'ERROR invalid args, require <status> [message]\n'],
  ['status-set', ['idle'], true, 2, '', 'ERROR invalid status "idle", expected one of [maintenance blocked waiting active]\n'],
  ['status-set', ['active', 'a', 'b'], true, 2, '', 'ERROR unrecognized args: ["b"]\n'],
  ['status-set', ['--application', 'active'], false, 1, '', 'ERROR this unit is not the leader\n'],
  ['status-set', ['--foo', 'active'], true, 2, '', 'ERROR option provided but not defined: --foo\n'],
  ['status-set', ['active', '--', '-starts with a dash'], true, 0, '', ''],
  ['status-get', ['--application'], false, 1, '', 'ERROR finding application status: this unit is not the leader\n'],
  // status-get.go: the status word unless --include-data or a format other than smart.
  ['status-get', [], true, 0, 'maintenance\n', ''],
  ['status-get', ['--application'], true, 0, 'unknown\n', ''],
  ['status-get', ['--application', '--format=json'], true, 0, '{"application-status":{"status":"unknown","units":{"kv/0":{"status":"maintenance"}}}}\n', ''],
  ['config-get', ['--all', 'port'], true, 2, '', 'ERROR cannot use argument --all together with key "port"\n'],
  ['config-get', ['port'], true, 0, '7001\n', ''],
  ['config-get', ['nope'], true, 0, '', ''],
  ['config-get', ['--format=json', 'nope'], true, 0, 'null\n', ''],
  ['config-get', ['--format=json'], true, 0, '{"port":7001}\n', ''],
  ['config-get', ['--format=json', '--all'], true, 0, '{"name":null,"port":7001}\n', ''],
  ['config-get', ['--format=xml'], true, 2, '', 'ERROR invalid value "xml" for option --format: unknown format "xml"\n'],
  ['is-leader', [], true, 0, 'True\n', ''],
  ['is-leader', ['--format=json'], false, 0, 'false\n', ''],
  ['resource-get', [], true, 2, '', 'ERROR missing required resource name\n'],
  ['resource-get', ['a', 'b'], true, 2, '', 'ERROR unrecognized args: ["b"]\n'],
  ['resource-get', ['missing'], true, 1, '', 'ERROR could not download resource: resource#kv/missing not found\n'],
  ['resource-get', ['image'], true, 0, '/model/units/kv-0/resources/image/content.yaml', ''],
  ['pod-spec-set', [], true, 1, '', 'ERROR no pod spec specified: pipe pod spec to command, or specify a file with --file\n'],
  ['pod-spec-set', ['extra'], true, 2, '', 'ERROR unrecognized args: ["extra"]\n'],
  ['k8s-spec-set', [], true, 1, '', 'ERROR no k8s spec specified: pipe k8s spec to command, or specify a file with --file\n'],
  ['pod-spec-get', [], true, 0, '', ''],
  ['k8s-raw-get', ['extra'], true, 2, '', 'ERROR unrecognized args: ["extra"]\n'],
  ['k8s-raw-set', [], true, 1, '', 'ERROR no k8s raw spec specified: pipe k8s raw spec to command, or specify a file with --file\n'],
  ['juju-log', [], true, 2, '', 'ERROR no message specified\n'],
  // juju-log.go prints the warning with no newline.
  ['juju-log', ['--format', 'json', 'hi'], true, 0, '', '--format flag deprecated for command "juju-log"'],
  ['leader-get', ['a=b'], true, 2, '', 'ERROR invalid key "a=b"\n'],
  ['leader-set', ['foo'], true, 2, '', 'ERROR expected "key=value", got "foo"\n'],
  ['leader-set', ['a=1', 'a=2'], true, 2, '', 'ERROR key "a" specified more than once\n'],
  ['leader-set', ['a=1'], false, 1, '', 'ERROR cannot write leadership settings: cannot write settings: not the leader\n'],
  ['relation-list', [], true, 2, '', 'ERROR no relation id specified\n'],
  ['relation-list', ['-r', 'x'], true, 2, '', 'ERROR invalid value "x" for option -r: invalid relation id\n'],
  ['relation-list', ['-r', '9'], true, 2, '', 'ERROR invalid value "9" for option -r: relation not found\n'],
  ['relation-list', ['-r', 'kv:3', '--format=json'], true, 0, '["client/0"]\n', ''],
  ['relation-ids', [], true, 2, '', 'ERROR no endpoint name specified\n'],
  ['relation-ids', ['kv'], true, 0, 'kv:3\n', ''],
  ['relation-ids', ['nope', '--format=json'], true, 0, '[]\n', ''],
  ['relation-get', ['-r', '3'], true, 2, '', 'ERROR no unit or application specified\n'],
  ['relation-get', ['-r', '3', '--format=json', '-', 'client/0'], true, 0, '{"a":"b"}\n', ''],
  ['relation-set', ['-r', '3', 'haha'], true, 2, '', 'ERROR expected "key=value", got "haha"\n'],
  ['relation-set', ['-r', '3', '--app', 'a=b'], false, 1, '', 'ERROR cannot write relation settings\n'],
  ['application-version-set', [], true, 2, '', 'ERROR no version specified\n'],
  ['open-port', [], true, 2, '', 'ERROR no port or range specified\n'],
  ['unit-get', [], true, 2, '', 'ERROR no setting specified\n'],
  ['unit-get', ['foo'], true, 2, '', 'ERROR unknown setting "foo"\n'],
  ['network-get', [], true, 2, '', 'ERROR no arguments specified\n'],
  ['network-get', ['nope'], true, 1, '', 'ERROR no network config found for binding "nope"\n'],
  // state-get.go: GetCharmStateValue's NotFoundf("%q", key).
  ['state-get', ['--strict', 'nope'], true, 1, '', 'ERROR "nope" not found\n'],
  // state-delete.go: no key is nothing to do.
  ['state-delete', [], true, 0, '', ''],
  ['leader-set', ['foo'], false, 2, '', 'ERROR expected "key=value", got "foo"\n'],
  ['relation-list', ['-r3', '--format=json'], true, 0, '["client/0"]\n', ''],
  ['config-get', [], true, 0, 'port: 7001\n', ''],
  ['action-get', [], true, 1, '', 'ERROR not running an action\n'],
  ['goal-state', ['--format=smart'], true, 2, '', 'ERROR invalid value "smart" for option --format: unknown format "smart"\n'],
  ['no-such-tool', [], true, 1, '', 'ERROR bad request: unknown hook command: no-such-tool\n'],
];

describe('hook tools of the local model', () => {
  it.each(TABLE)('%s %j (leader %s) exits %i', (tool, argv, leader, exitCode, stdout, stderr) => {
    expect(runHookTool(tool, argv, '', context(leader))).toEqual({ exitCode, stdout, stderr });
  });

  it('an invalid log level is logged as a warning and the message goes out at INFO', () => {
    const ctx = context(true);
    expect(runHookTool('juju-log', ['-l', 'LOUD', 'hello'], '', ctx).exitCode).toBe(0);
    expect((ctx as unknown as { logs: string[] }).logs).toEqual(['WARNING Specified log level of "LOUD" is not valid', 'INFO hello']);
  });

  it('transactional tools only record pending changes; status-set applies at once', () => {
    const ctx = context(true);
    runHookTool('status-set', ['active', 'ready'], '', ctx);
    runHookTool('state-set', ['--file', '-'], '{"k": "v"}', ctx);
    runHookTool('relation-set', ['-r', '3', 'x=1'], '', ctx);
    runHookTool('pod-spec-set', [], 'version: 3\ncontainers: [{name: kv, imageDetails: {imagePath: i}}]\n', ctx);
    expect(ctx.unit.workload).toMatchObject({ status: 'active', message: 'ready' });
    expect(ctx.unit.controllerState).toEqual({});
    expect(ctx.pending).toMatchObject({ state: { k: 'v' }, relationSets: [{ relationId: 3, bag: 'kv/0', data: { x: '1' } }], podSpec: { spec: expect.stringContaining('version: 3') } });
    expect(runHookTool('state-get', ['k'], '', ctx).stdout).toBe('v\n');
  });

  it('YAML in and out is 1.1, as go-yaml v2 reads and writes it', () => {
    const ctx = context(true);
    ctx.model.relations[0]!.data['client/0'] = { flag: 'on', mode: '010', plain: 'text' };
    const yaml = runHookTool('relation-get', ['-r', '3', '--format=yaml', '-', 'client/0'], '', ctx).stdout;
    // Unquoted, Juju's YAML 1.1 reader would take these for a boolean and an octal number.
    expect(yaml).toMatch(/^flag: "on"$/m);
    expect(yaml).toMatch(/^mode: "010"$/m);
    expect(yaml).toMatch(/^plain: text$/m);
    // Decoded into strings, as Juju does: plain scalars keep their text, null is empty.
    runHookTool('relation-set', ['-r', '3', '--file', '-'], 'debug: yes\nmode: 010\nn: "on"\ngone: ~\nfirst: &x shared\nsecond: *x\nmode: 011\n---\nnext: document\n', ctx);
    // The first document only; an alias gives its target's text; a repeated key its last value.
    expect(ctx.pending.relationSets[0]!.data).toEqual({ debug: 'yes', mode: '011', n: 'on', gone: '', first: 'shared', second: 'shared' });
    expect(runHookTool('relation-set', ['-r', '3', '--file', '-'], 'list: [a, b]\n', ctx)).toMatchObject({ exitCode: 2, stderr: 'ERROR expected YAML map of strings\n' });
  });

  it('the spec getters print the committed specs; k8s-raw-set wants YAML', () => {
    const ctx = context(true);
    ctx.app.podSpec = { spec: 'version: 3\ncontainers: [{name: kv, image: i}]', revision: 1 };
    expect(runHookTool('pod-spec-get', [], '', ctx)).toEqual({ exitCode: 0, stdout: 'version: 3\ncontainers: [{name: kv, image: i}]\n', stderr: '' });
    expect(runHookTool('k8s-spec-get', [], '', ctx).stdout).toBe(runHookTool('pod-spec-get', [], '', ctx).stdout);
    expect(runHookTool('k8s-raw-set', [], 'kind: [unclosed\n', ctx)).toMatchObject({ exitCode: 1, stderr: expect.stringMatching(/^ERROR yaml: /) });
    expect(ctx.pending.k8sRaw).toBeUndefined();
    const objects = 'kind: ConfigMap\nmetadata: {name: a}\n---\nkind: ConfigMap\nmetadata: {name: b}\n';
    expect(runHookTool('k8s-raw-set', [], objects, ctx).exitCode).toBe(0);
    expect(ctx.pending.k8sRaw).toBe(objects);
    // One kind of spec per hook, as Juju insists.
    expect(runHookTool('pod-spec-set', [], 'version: 3\ncontainers: [{name: kv, image: i}]\n', ctx)).toMatchObject({ exitCode: 1, stderr: 'ERROR either k8s-spec-set or k8s-raw-set can be run for each application, but not both\n' });
  });

  it('pod-spec-set checks the spec strictly, as Juju decodes it', () => {
    const ctx = context(true);
    const unknown = runHookTool('pod-spec-set', [], 'version: 3\ncontainers: [{name: kv, imageDetails: {imagePath: i}, replicaz: 2}]\n', ctx);
    expect(unknown).toMatchObject({ exitCode: 1, stderr: 'ERROR json: unknown field "replicaz"\n' });
    const none = runHookTool('pod-spec-set', [], 'version: 3\ncontainers: []\n', ctx);
    expect(none).toMatchObject({ exitCode: 1, stderr: 'ERROR containers: require at least one container spec\n' });
    expect(ctx.pending.podSpec).toBeUndefined();
  });

  // The shim tests start shells and small programs: seconds on a busy machine.
  it('the /bin/sh shims carry arguments, stdin, stdout, stderr and the exit code unchanged', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shims-'));
    writeShims(join(dir, 'bin'));
    const ctx = context(false);
    const server = new ShimServer(join(dir, 'tools.fifo'), async (request) => runHookTool(request.tool, request.argv, request.stdin, ctx));
    const env = { PATH: `${join(dir, 'bin')}:/usr/bin:/bin`, CHARMS_TOOL_FIFO: join(dir, 'tools.fifo'), JUJU_CONTEXT_ID: 'kv/0-install-1', CHARMS_TOOL_TMP: dir };
    const call = (tool: string, args: string[], input?: string) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(tool, args, { env });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        child.stdin.end(input ?? '');
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });
    try {
      expect(await call('pod-spec-set', [], 'version: 3\n')).toEqual({ code: 1, stdout: '', stderr: 'ERROR this unit is not the leader\n' });
      expect(await call('resource-get', ['image'])).toEqual({ code: 0, stdout: '/model/units/kv-0/resources/image/content.yaml', stderr: '' });
      expect(await call('status-set', ['blocked', '--', 'two words\nand a line'])).toEqual({ code: 0, stdout: '', stderr: '' });
      expect(ctx.unit.workload.message).toBe('two words\nand a line');
      expect(await call('relation-set', ['-r', 'kv:3', '--file', '-'], 'port: "7000"\n')).toMatchObject({ code: 0 });
      expect(ctx.pending.relationSets).toEqual([{ relationId: 3, bag: 'kv/0', data: { port: '7000' } }]);
      expect(await call('config-get', ['--bad'])).toEqual({ code: 2, stdout: '', stderr: 'ERROR option provided but not defined: --bad\n' });
    } finally {
      await server.close();
    }
  });
});

describe('a shim whose caller died', () => {
  it('does not hang the model: the answer is dropped and the server closes', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shims-dead-'));
    writeShims(join(dir, 'bin'));
    let release!: () => void;
    const answered = new Promise<void>((resolve) => (release = resolve));
    let asked!: () => void;
    const request = new Promise<void>((resolve) => (asked = resolve));
    const requests: string[] = [];
    const server = new ShimServer(join(dir, 'tools.fifo'), async ({ tool }) => {
      requests.push(tool);
      asked();
      // Answer only after the shim has been killed.
      await answered;
      return { stdout: '', stderr: '', exitCode: 0 };
    });
    const env = { PATH: `${join(dir, 'bin')}:/usr/bin:/bin`, CHARMS_TOOL_FIFO: join(dir, 'tools.fifo'), JUJU_CONTEXT_ID: 'kv/0-install-1', CHARMS_TOOL_TMP: dir };
    const child = spawn('is-leader', [], { env, stdio: 'ignore' });
    // Killed once its request is in, however long the machine takes to get it there.
    await request;
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    release();
    const closed = await Promise.race([server.close().then(() => 'closed'), new Promise((resolve) => setTimeout(() => resolve('hung'), 20_000))]);
    expect(closed).toBe('closed');
    expect(requests).toEqual(['is-leader']);
  });

});

describe('what the shims print', () => {
  it('is the answer byte for byte, short ones printed with shell builtins and long ones with cat', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shims-'));
    writeShims(join(dir, 'bin'));
    const short = '  leading spaces, a tab\there, back\\slashes \\n, $HOME, %s, -n and `quotes`\n\nno newline at the end';
    const long = `${'x'.repeat(5000)}\n${'y\\'.repeat(300)}\n\n  last`;
    let answer = short;
    const server = new ShimServer(join(dir, 'tools.fifo'), async () => ({ stdout: answer, stderr: answer, exitCode: 3 }));
    const env = { PATH: `${join(dir, 'bin')}:/usr/bin:/bin`, CHARMS_TOOL_FIFO: join(dir, 'tools.fifo'), JUJU_CONTEXT_ID: 'kv/0-install-1', CHARMS_TOOL_TMP: dir };
    const call = () =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn('config-get', [], { env });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });
    try {
      expect(await call()).toEqual({ code: 3, stdout: short, stderr: short });
      answer = long;
      expect(await call()).toEqual({ code: 3, stdout: long, stderr: long });
      answer = 'a\0b\n';
      expect(await call()).toEqual({ code: 3, stdout: 'a\0b\n', stderr: 'a\0b\n' });
      // The calls' files stay until the model sweeps them.
      expect(readdirSync(dir).filter((name) => name.startsWith('tool.')).length).toBeGreaterThan(0);
      server.sweep();
      expect(readdirSync(dir).filter((name) => name.startsWith('tool.'))).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
