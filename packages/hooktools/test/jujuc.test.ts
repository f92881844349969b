import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryHookTools, NotLeaderError, RelationNotFoundError, type MemoryHook, type MemoryWorld } from '@charms/hooktools';
import { answerFromMemory, diskFiles, JUJUC_TOOLS, noChanges } from '@charms/hooktools/jujuc';

// The one tool emulator, asked with argv as a charm's tool call would be. The local
// model, MemoryHookTools and the tests' fake Juju all answer through it; where their
// three earlier copies disagreed, these tests pin what Juju 2.9's jujuc does.

function world(change: Partial<MemoryWorld> = {}): MemoryWorld {
  return new MemoryHookTools({
    unitName: 'kv/0',
    config: { port: 7001, name: null },
    relations: { 'db:3': { endpoint: 'db', app: 'pg', units: { 'pg/0': { host: 'pg.local' } }, appData: { v: '1' } } },
    ...change,
  }).world;
}

const ask = (w: MemoryWorld, tool: string, argv: string[], hook: MemoryHook = {}, stdin = '') => answerFromMemory(w, { tool, argv, stdin }, { hook });

describe('the jujuc emulator', () => {
  it('knows every tool a Juju 2.9 podspec unit offers, and says so of others as jujud does', () => {
    expect(Object.keys(JUJUC_TOOLS)).toEqual(expect.arrayContaining(['status-set', 'config-get', 'relation-get', 'pod-spec-set', 'k8s-raw-set', 'state-delete', 'goal-state', 'action-get']));
    expect(ask(world(), 'no-such-tool', [])).toEqual({ exitCode: 1, stdout: '', stderr: 'ERROR bad request: unknown hook command: no-such-tool\n' });
  });

  // juju/juju worker/uniter/runner/jujuc/status-get.go: the fake Juju printed the whole map
  // every time, the model the whole application map with --application.
  it('status-get prints the status word unless --include-data or a format asks for the map', () => {
    const w = world({ statusHistory: [{ status: 'active', message: 'ready', application: false }, { status: 'blocked', message: 'scale', application: true }] });
    expect(ask(w, 'status-get', []).stdout).toBe('active\n');
    expect(ask(w, 'status-get', ['--format=json']).stdout).toBe('{"status":"active"}\n');
    // A Go map: encoding/json sorts its keys.
    expect(ask(w, 'status-get', ['--format=json', '--include-data']).stdout).toBe('{"message":"ready","status":"active","status-data":{}}\n');
    expect(ask(w, 'status-get', ['--application']).stdout).toBe('blocked\n');
    expect(JSON.parse(ask(w, 'status-get', ['--application', '--format=json']).stdout)).toEqual({ 'application-status': { status: 'blocked', units: { 'kv/0': { status: 'active' } } } });
    expect(JSON.parse(ask(w, 'status-get', ['--application', '--include-data', '--format=json']).stdout)).toEqual({
      'application-status': { status: 'blocked', message: 'scale', 'status-data': {}, units: { 'kv/0': { status: 'active', message: 'ready', 'status-data': {} } } },
    });
    expect(ask(world({ leader: false }), 'status-get', ['--application'])).toMatchObject({ exitCode: 1, stderr: 'ERROR finding application status: this unit is not the leader\n' });
  });

  // juju/cmd output.go: smart prints maps as YAML (the fake Juju printed JSON); go-yaml
  // v2 sorts a map's keys.
  it('the smart format prints a map as YAML 1.1, a string raw, a bool as True/False, null as nothing', () => {
    const w = world({ config: { port: 7001, flag: 'on', debug: true, name: null } });
    expect(ask(w, 'config-get', []).stdout).toBe('debug: true\nflag: "on"\nport: 7001\n');
    expect(ask(w, 'config-get', ['flag']).stdout).toBe('on\n');
    expect(ask(w, 'config-get', ['debug']).stdout).toBe('True\n');
    expect(ask(w, 'config-get', ['name'])).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    expect(ask(w, 'config-get', ['--format=yaml', 'name']).stdout).toBe('');
    expect(ask(w, 'config-get', ['--format=json', 'name']).stdout).toBe('null\n');
  });

  it('-o/--output writes the answer to the file, relative to the caller, and prints nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jujuc-'));
    const w = world();
    const answer = answerFromMemory(w, { tool: 'config-get', argv: ['--format=json', '-o', 'out.json', 'port'] }, { files: diskFiles(dir) });
    expect(answer).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    expect(readFileSync(join(dir, 'out.json'), 'utf8')).toBe('7001\n');
    expect(ask(w, 'is-leader', ['--output=leader.txt']).stdout).toBe('');
    expect(w.files?.['leader.txt']).toBe('True\n');
  });

  it('a one-letter option takes its value attached, as gnuflag allows (-r3, -lDEBUG)', () => {
    const w = world();
    expect(ask(w, 'relation-list', ['-r3', '--format=json']).stdout).toBe('["pg/0"]\n');
    expect(ask(w, 'juju-log', ['-lDEBUG', 'hello']).exitCode).toBe(0);
    expect(w.logs.at(-1)).toEqual({ level: 'DEBUG', message: 'hello' });
  });

  // juju/juju worker/uniter/runner/jujuc/juju-log.go: loggo.ParseLevel (WARN is WARNING,
  // any case), and the hook relation's id before the message; the copies had neither.
  it('juju-log reads levels as loggo does and prefixes the hook relation', () => {
    const w = world();
    ask(w, 'juju-log', ['-l', 'warn', 'careful'], { relationId: 'db:3', remoteUnit: 'pg/0' });
    ask(w, 'juju-log', ['--log-level', 'LOUD', 'hi']);
    expect(w.logs).toEqual([
      { level: 'WARNING', message: 'db:3: careful' },
      { level: 'WARNING', message: 'Specified log level of "LOUD" is not valid' },
      { level: 'INFO', message: 'hi' },
    ]);
  });

  // juju/juju worker/uniter/runner/jujuc/state-delete.go: Init takes no key as nothing to
  // do; the model said "no key specified" and the fake Juju "specify a key".
  it('state-delete without a key does nothing and succeeds; with two it is a usage error', () => {
    const w = world({ controllerState: { a: '1' } });
    expect(ask(w, 'state-delete', [])).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    expect(ask(w, 'state-delete', ['a', 'b'])).toMatchObject({ exitCode: 2, stderr: 'ERROR unrecognized args: ["b"]\n' });
  });

  // juju/juju worker/uniter/runner/jujuc/leader-set.go: Init parses the pairs (exit 2)
  // before Run writes them as the leader (exit 1); the fake Juju and MemoryHookTools
  // checked leadership first.
  it('leader-set checks its arguments before leadership', () => {
    const follower = world({ leader: false });
    expect(ask(follower, 'leader-set', ['foo'])).toMatchObject({ exitCode: 2, stderr: 'ERROR expected "key=value", got "foo"\n' });
    expect(ask(follower, 'leader-set', ['a=1'])).toMatchObject({ exitCode: 1, stderr: 'ERROR cannot write leadership settings: cannot write settings: not the leader\n' });
  });

  // MemoryHookTools said `invalid value "undefined" for option -r` outside a relation hook.
  it('a relation tool outside a relation hook and without -r says no relation id was given', () => {
    expect(ask(world(), 'relation-list', [])).toMatchObject({ exitCode: 2, stderr: 'ERROR no relation id specified\n' });
    expect(ask(world(), 'relation-list', [], { relationId: 'db:3' }).stdout).toBe('pg/0\n');
  });

  it('relation-get defaults to the hook relation and remote unit, and keeps the application bags apart', () => {
    const w = world();
    const hook = { relationId: 'db:3', remoteUnit: 'pg/0', remoteApp: 'pg' };
    expect(ask(w, 'relation-get', ['host'], hook).stdout).toBe('pg.local\n');
    expect(ask(w, 'relation-get', ['--app', '-'], hook).stdout).toBe('v: "1"\n');
    expect(ask(w, 'relation-get', ['-', 'pg'], hook)).toMatchObject({ exitCode: 2, stderr: 'ERROR expected unit name, got application name "pg"\n' });
    expect(ask(world({ leader: false }), 'relation-get', ['--app', '-', 'kv'], hook)).toMatchObject({ exitCode: 1, stderr: 'ERROR permission denied\n' });
  });

  it('relation-set reads a YAML map from --file, the arguments override it, and it takes the deprecated --format', () => {
    const w = world();
    const changes = noChanges();
    const answer = answerFromMemory(w, { tool: 'relation-set', argv: ['-r', 'db:3', '--format', 'json', '--file', '-', 'b=arg'], stdin: 'a: yes\nb: file\n' }, { changes });
    expect(answer.exitCode).toBe(0);
    expect(changes.relationSets).toEqual([{ relationId: 3, bag: 'kv/0', data: { a: 'yes', b: 'arg' } }]);
  });

  it('application-version-set takes one version', () => {
    expect(ask(world(), 'application-version-set', ['1.0', 'extra'])).toMatchObject({ exitCode: 2, stderr: 'ERROR unrecognized args: ["extra"]\n' });
  });

  it('pod-spec-set joins the spec and the k8s resources as text, as Juju does, and refuses what does not parse', () => {
    const w = world({ files: { 'res.yaml': 'kubernetesResources:\n  secrets: []\n' } });
    expect(ask(w, 'pod-spec-set', ['--k8s-resources', 'res.yaml'], {}, '{"version": 3}')).toMatchObject({ exitCode: 1, stderr: expect.stringMatching(/^ERROR yaml: /) });
    const changes = noChanges();
    expect(answerFromMemory(w, { tool: 'pod-spec-set', argv: ['--k8s-resources', 'res.yaml'], stdin: 'version: 3' }, { changes }).exitCode).toBe(0);
    expect(changes.podSpec).toEqual({ spec: 'version: 3', k8sResources: 'kubernetesResources:\n  secrets: []\n' });
  });

  // Juju 3.x refuses a spec from an operator charm only (state/podspec_ops.go, "cannot set
  // k8s spec on an operator charm"); a sidecar charm's spec it keeps and never applies.
  // The emulator refuses it for a sidecar charm, in that form: a deliberate difference.
  it('pod-spec-set, k8s-spec-set and k8s-raw-set refuse on a sidecar charm, before the leader check, and set nothing', () => {
    const sidecar = world({ sidecar: true });
    for (const tool of ['pod-spec-set', 'k8s-spec-set', 'k8s-raw-set']) {
      const changes = noChanges();
      const answer = answerFromMemory(sidecar, { tool, argv: [], stdin: 'version: 3\ncontainers: []\n' }, { changes });
      expect(answer, tool).toMatchObject({ exitCode: 1, stdout: '', stderr: expect.stringMatching(/^ERROR cannot set k8s spec on a sidecar charm: kv declares containers in metadata\.yaml.*layer:sidecar planLayer\)\n$/) });
      expect(changes.podSpec, tool).toBeUndefined();
      expect(changes.k8sRaw, tool).toBeUndefined();
    }
    expect(ask(world({ sidecar: true, leader: false }), 'pod-spec-set', [], {}, 'version: 3').stderr).toMatch(/^ERROR cannot set k8s spec on a sidecar charm/);
    // The grammar comes first, as Juju's Init does: stray arguments and an empty spec.
    expect(ask(sidecar, 'pod-spec-set', ['extra'], {}, 'version: 3')).toMatchObject({ exitCode: 2, stderr: 'ERROR unrecognized args: ["extra"]\n' });
    expect(ask(sidecar, 'k8s-spec-set', [], {}, '')).toMatchObject({ exitCode: 1, stderr: expect.stringContaining('ERROR no k8s spec specified') });
    // A podspec charm's unit (no sidecar) still sets its spec.
    expect(ask(world(), 'k8s-raw-set', [], {}, 'kind: ConfigMap\n').exitCode).toBe(0);
  });

  it('MemoryHookTools takes the sidecar option: its podSpec throws the refusal as a HookToolError', async () => {
    const tools = new MemoryHookTools({ sidecar: true });
    await expect(tools.podSpecSet({ version: 3, containers: [{ name: 'a', imageDetails: { imagePath: 'x' } }] })).rejects.toMatchObject({ tool: 'pod-spec-set', exitCode: 1, stderr: expect.stringContaining('cannot set k8s spec on a sidecar charm: unit declares containers') });
    expect(tools.world.podSpec).toBeUndefined();
    await new MemoryHookTools().podSpecSet({ version: 3, containers: [{ name: 'a', imageDetails: { imagePath: 'x' } }] });
  });

  it('the action tools work only in an action, and action-set nests dotted keys', () => {
    expect(ask(world(), 'action-set', ['a=1'])).toMatchObject({ exitCode: 1, stderr: 'ERROR not running an action\n' });
    const w = world({ action: { params: { depth: { max: 3 } }, results: {}, log: [] } });
    expect(ask(w, 'action-get', ['depth.max']).stdout).toBe('3\n');
    expect(ask(w, 'action-set', ['out.path=/tmp/x', 'count=2']).exitCode).toBe(0);
    expect(ask(w, 'action-set', ['Bad=1'])).toMatchObject({ exitCode: 2, stderr: expect.stringContaining('must start and end with lowercase alphanumeric') });
    expect(ask(w, 'action-set', ['stdout=x'])).toMatchObject({ exitCode: 2, stderr: 'ERROR cannot set reserved action key "stdout"\n' });
    // Each segment of a dotted key is checked against the reserved keys (action-set.go Init).
    expect(ask(w, 'action-set', ['a.stderr=x'])).toMatchObject({ exitCode: 2, stderr: 'ERROR cannot set reserved action key "stderr"\n' });
    expect(ask(w, 'action-set', ['stdout-encoding.x=1'])).toMatchObject({ exitCode: 2, stderr: 'ERROR cannot set reserved action key "stdout-encoding"\n' });
    ask(w, 'action-fail', []);
    expect(w.action).toMatchObject({ results: { out: { path: '/tmp/x' }, count: '2' }, failed: 'action failed without reason given, check action for errors' });
  });
});

describe('the jujuc emulator against Juju 2.9 (issue 14)', () => {
  // go-yaml v2 sorter.go (keyList.Less): runs of digits compare as numbers (none counts as 0), letters first;
  // encoding/json sorts map keys by their bytes; a struct (network-get, goal-state) keeps its fields' order.
  it('prints map keys sorted as go-yaml and encoding/json sort them', () => {
    const w = world({ controllerState: { b: '1', a10: '2', a2: '3', 'a-1': '4' } });
    expect(ask(w, 'state-get', []).stdout).toBe('a-1: "4"\na2: "3"\na10: "2"\nb: "1"\n');
    expect(ask(w, 'state-get', ['--format=json']).stdout).toBe('{"a-1":"4","a10":"2","a2":"3","b":"1"}\n');
    expect(Object.keys(JSON.parse(ask(w, 'network-get', ['db', '--format=json']).stdout))).toEqual(['bind-addresses', 'egress-subnets', 'ingress-addresses']);
  });

  // go-yaml v2 resolve.go: a string is quoted when it would read back as something else; of
  // timestamps only RFC 3339, a space without a zone, or a date alone read as one.
  it('quotes strings in YAML as go-yaml v2 does: booleans, numbers, its timestamp forms', () => {
    const w = world({ config: { a: '2026-01-01 00:00:05Z', b: '2026-01-01', c: '2026-01-01T00:00:05Z', d: 'n', e: '1:20', f: 'plain' } });
    expect(ask(w, 'config-get', []).stdout).toBe('a: 2026-01-01 00:00:05Z\nb: "2026-01-01"\nc: "2026-01-01T00:00:05Z"\nd: "n"\ne: "1:20"\nf: plain\n');
  });

  // juju/cmd output.go (Output.AddFlags, Write): every tool that prints a value takes -o/--output.
  it.each([
    ['status-get', []],
    ['config-get', []],
    ['is-leader', []],
    ['leader-get', []],
    ['relation-ids', ['db']],
    ['relation-list', ['-r', '3']],
    ['relation-get', ['-r', '3', '-', 'pg/0']],
    ['network-get', ['db']],
    ['unit-get', ['private-address']],
    ['goal-state', []],
    ['state-get', []],
    ['opened-ports', []],
    ['storage-list', []],
    ['storage-get', ['-s', 'data/0']],
    ['credential-get', []],
  ])('%s writes its answer to the -o file and prints nothing', (tool, argv) => {
    const w = world({ storage: { 'data/0': { kind: 'filesystem', location: '/srv/data' } }, cloudSpec: { type: 'kubernetes' } });
    const printed = ask(w, tool, [...argv, '--format=json']);
    expect(printed.exitCode).toBe(0);
    expect(ask(w, tool, [...argv, '--format=json', '-o', 'out'])).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    expect(ask(w, tool, [...argv, '--format=json', '--output', 'out2'])).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    expect([w.files?.out, w.files?.out2]).toEqual([printed.stdout, printed.stdout]);
  });

  // juju/juju worker/uniter/runner/jujuc/juju-log.go: Fprintf of the warning, no newline;
  // loggo.ParseLevel takes WARN.
  it('juju-log warns of --format without a newline and takes -l WARN and -lWARN', () => {
    const w = world();
    expect(ask(w, 'juju-log', ['--format', 'json', 'hi'])).toEqual({ exitCode: 0, stdout: '', stderr: '--format flag deprecated for command "juju-log"' });
    expect(ask(w, 'juju-log', ['-l', 'WARN', 'a']).exitCode).toBe(0);
    expect(ask(w, 'juju-log', ['-lWARN', 'b']).exitCode).toBe(0);
    expect(w.logs.slice(-2)).toEqual([{ level: 'WARNING', message: 'a' }, { level: 'WARNING', message: 'b' }]);
  });

  // juju/juju worker/uniter/runner/jujuc/state-get.go: a missing key is GetCharmStateValue's
  // empty string (json ""), --strict its NotFound error; empty state is a nil map.
  it('state-get prints a missing key as an empty string, and empty state as {} (json null)', () => {
    const w = world({ controllerState: { a: '1' } });
    expect(ask(w, 'state-get', ['nope'])).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    expect(ask(w, 'state-get', ['nope', '--format=json']).stdout).toBe('""\n');
    expect(ask(w, 'state-get', ['--strict', 'nope'])).toEqual({ exitCode: 1, stdout: '', stderr: 'ERROR "nope" not found\n' });
    const empty = world({ controllerState: {} });
    expect(ask(empty, 'state-get', []).stdout).toBe('{}\n');
    expect(ask(empty, 'state-get', ['-', '--format=yaml']).stdout).toBe('{}\n');
    expect(ask(empty, 'state-get', ['--format=json']).stdout).toBe('null\n');
  });

  // apiserver/facades/agent/uniter ReadRemoteSettings: checkRemoteUnit refuses a unit of an
  // application outside the relation (ErrPerm); state/relationunit.go ReadSettings fails for
  // a unit of it that never entered the scope.
  // juju/cmd output.go FormatJson goes through json.Marshal, whose HTML-safe default
  // escapes <, > and & (encoding/json encode.go).
  it('prints --format json as json.Marshal does, with <, > and & escaped', () => {
    const w = world({ relations: { 'db:3': { endpoint: 'db', app: 'pg', units: { 'pg/0': { url: 'a<b>&c' } } } } });
    expect(ask(w, 'relation-get', ['-r', 'db:3', '--format=json', '-', 'pg/0']).stdout).toBe('{"url":"a\\u003cb\\u003e\\u0026c"}\n');
  });

  it('relation-get of a unit outside the relation is permission denied; of one that never joined, settings not found', () => {
    const w = world();
    w.relations['db:3']!.scopeKnown = true;
    const hook = { relationId: 'db:3', remoteUnit: 'pg/0', remoteApp: 'pg' };
    expect(ask(w, 'relation-get', ['-', 'other/0'], hook)).toEqual({ exitCode: 1, stdout: '', stderr: 'ERROR permission denied\n' });
    expect(ask(w, 'relation-get', ['--app', '-', 'other'], hook)).toMatchObject({ exitCode: 1, stderr: 'ERROR permission denied\n' });
    expect(ask(w, 'relation-get', ['-', 'pg/7'], hook)).toEqual({ exitCode: 1, stdout: '', stderr: 'ERROR cannot read settings for unit "pg/7" in relation "db:3": unit "pg/7": settings not found\n' });
    expect(ask(w, 'relation-get', ['-', 'kv/0', '--format=json'], hook).stdout).toBe('{}\n');
    // A world that cannot tell who left the scope (the default of the in-memory twin)
    // reads a unit of the remote application it does not hold as an empty bag.
    w.relations['db:3']!.scopeKnown = false;
    expect(ask(w, 'relation-get', ['-', 'pg/7', '--format=json'], hook).stdout).toBe('{}\n');
  });

  // worker/uniter/runner/jujuc/{storage-get,storage-list,storage-add,storage-id}.go
  it('storage-get, storage-list and storage-add answer as Juju does for a unit with and without storage', () => {
    const bare = world();
    expect(ask(bare, 'storage-list', [])).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    expect(ask(bare, 'storage-list', ['--format=json']).stdout).toBe('[]\n');
    expect(ask(bare, 'storage-get', [])).toEqual({ exitCode: 2, stdout: '', stderr: 'ERROR no storage instance specified\n' });
    expect(ask(bare, 'storage-get', ['-s', 'data/0'])).toEqual({ exitCode: 2, stdout: '', stderr: 'ERROR invalid value "data/0" for option -s: storage attachment data/0:kv/0 not found\n' });
    expect(ask(bare, 'storage-get', ['-s', 'nope'])).toMatchObject({ exitCode: 2, stderr: 'ERROR invalid value "nope" for option -s: invalid storage ID "nope"\n' });
    expect(ask(bare, 'storage-add', [])).toEqual({ exitCode: 2, stdout: '', stderr: 'ERROR storage add requires a storage directive\n' });
    // storage/constraints.go ParseConstraintsMap and storage-add.go Init; the request waits for the commit.
    const changes = noChanges();
    expect(answerFromMemory(bare, { tool: 'storage-add', argv: ['data=2', 'logs'], stdin: '' }, { changes })).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    expect(changes.storage).toEqual([{ name: 'data', count: 2 }, { name: 'logs', count: 1 }]);
    expect(ask(bare, 'storage-add', ['data=1=2'])).toMatchObject({ exitCode: 2, stderr: 'ERROR expected "name=constraints" or "name", got "data=1=2"\n' });
    expect(ask(bare, 'storage-add', ['data', 'data=2'])).toMatchObject({ exitCode: 2, stderr: 'ERROR storage "data" specified more than once\n' });
    expect(ask(bare, 'storage-add', ['data=0'])).toMatchObject({ exitCode: 2, stderr: 'ERROR cannot parse constraints for storage "data": cannot parse count: count must be greater than zero, got "0"\n' });
    expect(ask(bare, 'storage-add', ['data=-1G'])).toMatchObject({ exitCode: 2, stderr: 'ERROR cannot parse constraints for storage "data": cannot parse size: expected a non-negative number, got "-1G"\n' });
    expect(ask(bare, 'storage-add', ['data=ebs,2'])).toMatchObject({ exitCode: 2, stderr: 'ERROR only count can be specified for "data"\n' });
    expect(ask(bare, 'storage-add', ['data=10G'])).toMatchObject({ exitCode: 2, stderr: 'ERROR only count can be specified for "data"\n' });
    const w = world({ storage: { 'data/0': { kind: 'filesystem', location: '/srv/data' }, 'logs/1': { kind: 'block', location: '/dev/sdb' } } });
    expect(ask(w, 'storage-list', []).stdout).toBe('data/0\nlogs/1\n');
    expect(ask(w, 'storage-list', ['logs']).stdout).toBe('logs/1\n');
    expect(ask(w, 'storage-get', ['location'], { storageId: 'data/0' }).stdout).toBe('/srv/data\n');
    expect(ask(w, 'storage-get', ['-s', 'logs/1']).stdout).toBe('kind: block\nlocation: /dev/sdb\n');
    expect(ask(w, 'storage-get', ['-s', 'logs/1', 'size'])).toMatchObject({ exitCode: 1, stderr: 'ERROR invalid storage attribute "size"\n' });
  });

  // worker/uniter/runner/jujuc/{credential-get,add-metric,reboot}.go; the hook context's
  // AddMetric (runner/context/context.go) outside collect-metrics.
  it('credential-get, add-metric and juju-reboot give the errors Juju gives where they do not apply', () => {
    const w = world();
    expect(ask(w, 'credential-get', [])).toEqual({ exitCode: 1, stdout: '', stderr: 'ERROR cannot access cloud credentials: permission denied\n' });
    expect(ask(world({ cloudSpec: { type: 'kubernetes', name: 'microk8s' } }), 'credential-get', ['--format=json']).stdout).toBe('{"name":"microk8s","type":"kubernetes"}\n');
    expect(ask(w, 'add-metric', [])).toEqual({ exitCode: 2, stdout: '', stderr: 'ERROR no metrics specified\n' });
    expect(ask(w, 'add-metric', ['n='])).toMatchObject({ exitCode: 2, stderr: 'ERROR expected "key=value", got "n="\n' });
    expect(ask(w, 'add-metric', ['juju-units=1'])).toMatchObject({ exitCode: 1, stderr: 'ERROR juju-units uses a reserved prefix\n' });
    expect(ask(w, 'add-metric', ['users=5'])).toEqual({ exitCode: 1, stdout: '', stderr: 'ERROR cannot record metric: metrics not allowed in this context\n' });
    expect(ask(w, 'juju-reboot', ['--now'])).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    expect(ask(w, 'juju-reboot', ['x'])).toMatchObject({ exitCode: 2, stderr: 'ERROR unrecognized args: ["x"]\n' });
    const inAction = world({ action: { params: {}, results: {}, log: [] } });
    expect(ask(inAction, 'juju-reboot', [])).toMatchObject({ exitCode: 1, stderr: 'ERROR juju-reboot is not supported when running an action.\n' });
  });

  // worker/uniter/runner/jujuc/goal-state.go: a struct of units then relations; each entry
  // {status, since} with since as common.FormatTime(t, true) prints it, left out when unset.
  it('goal-state prints units and relations, each with status and since, in yaml by default', () => {
    const w = world();
    const answer = ask(w, 'goal-state', []);
    expect(answer.stdout).toBe('units:\n  kv/0:\n    status: active\nrelations: {}\n');
  });
});

describe('MemoryHookTools through the emulator', () => {
  it('keeps the errors typed as ProcessHookTools reads them', async () => {
    const tools = new MemoryHookTools({ unitName: 'kv/1', leader: false });
    await expect(tools.statusSet('active', '', { application: true })).rejects.toBeInstanceOf(NotLeaderError);
    await expect(tools.relationGet({ relationId: 'db:9', unit: 'pg/0' })).rejects.toBeInstanceOf(RelationNotFoundError);
  });

  it('commits each call at once: relation writes, state, ports', async () => {
    const tools = new MemoryHookTools({ relations: { 'db:3': { endpoint: 'db', app: 'pg', units: {} } } });
    await tools.relationSet({ a: '1', b: '2' }, { relationId: 'db:3' });
    await tools.relationSet({ b: '' }, { relationId: 'db:3' });
    await tools.relationSet({ shared: 'x' }, { relationId: 'db:3', app: true });
    await tools.stateSet({ k: 'v', gone: 'soon' });
    await tools.stateDelete('gone');
    await tools.openPort(9000);
    await tools.openPort(53, 'udp');
    await tools.closePort(9000);
    expect(tools.world.relations['db:3']).toMatchObject({ local: { a: '1' }, localApp: { shared: 'x' } });
    expect(tools.world.controllerState).toEqual({ k: 'v' });
    expect(await tools.openedPorts()).toEqual(['53/udp']);
    expect(await tools.relationGet({ relationId: 'db:3', unit: 'unit/0' })).toEqual({ a: '1' });
  });
});
