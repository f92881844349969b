import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { STATE_KEY } from '@charms/runtime';
import { buildTestCharm, CharmUnderTest } from './helpers/charm-under-test.js';

// The test charm (fixtures/test-charm) bundled and run through its `dispatch` script as
// a real child process, with fake Juju tools on PATH. Every hook starts Node: on a busy
// two-core machine a test of four hooks can take many seconds, hence the time-outs.
const TIMEOUT = 120_000;

const SECRET = 's3cret!';
const config = { port: 8080, fail: false, 'admin-password': SECRET };
let built: string;

beforeAll(async () => {
  built = await buildTestCharm();
}, TIMEOUT);

function charm(world: ConstructorParameters<typeof CharmUnderTest>[1] = {}): CharmUnderTest {
  const under = new CharmUnderTest(built, { config, relations: {}, ...world });
  rmSync(join(built, '.unit-state.json'), { force: true });
  return under;
}

const stateFile = () => join(built, '.unit-state.json');
const committed = () => JSON.parse(readFileSync(stateFile(), 'utf8'));
const flagsLine = (flags: string) => `reactive: flags ${flags}`;
const stdoutLines = (result: { stdout: string }) => result.stdout.split('\n').filter((line) => line !== '');
const CONFIG_SET = '+config.set.port +config.default.port +config.default.fail +config.set.admin-password';
const CONFIG_CLEARED = '-config.set.admin-password -config.default.fail -config.set.port -config.default.port';

describe('a built charm under fake Juju tools', { timeout: TIMEOUT }, () => {
  // DEBUG lines go to the hook's stdout, which Juju 2.9 logs at DEBUG with the same text
  // (worker/uniter/runner/runner.go, runCharmProcessOnLocal); INFO and above stay juju-log calls.
  it('runs install, config-changed and update-status with exactly these tool calls and DEBUG lines on stdout, committing after each', async () => {
    const unit = charm();

    const install = await unit.hook('install');
    expect(install.status).toBe(0);
    expect(unit.commandLines()).toEqual([
      'juju-log --log-level INFO -- Reactive main running for hook install',
      'config-get --format=json --all',
      'relation-ids --format=json db',
      'juju-log --log-level INFO -- Invoking reactive handler: test:install',
      'status-set maintenance -- installing',
      'juju-log --log-level INFO -- Invoking reactive handler: test:configure',
      'status-set active -- listening on 8080',
    ]);
    expect(stdoutLines(install)).toEqual([
      flagsLine(
        '+config.changed +config.changed.port +config.set.port +config.default.port +config.changed.fail +config.default.fail +config.changed.admin-password +config.set.admin-password',
      ),
      'reactive: hooks phase: queued test:install',
      flagsLine('+test.installed'),
      'reactive: other phase, iteration 0: queued test:configure',
      flagsLine(
        // At the end, keys in config-get order, which Juju sorts.
        '-config.changed -config.changed.admin-password -config.set.admin-password -config.changed.fail -config.default.fail -config.changed.port -config.set.port -config.default.port',
      ),
    ]);
    const afterInstall = { format: 'charms.unit-state/1', flags: { 'test.installed': null }, data: { 'charms.config.previous': config, port: 8080 } };
    expect(committed()).toEqual(afterInstall);

    const configChanged = await unit.hook('config-changed');
    expect(configChanged.status).toBe(0);
    expect(unit.commandLines()).toEqual([
      'juju-log --log-level INFO -- Reactive main running for hook config-changed',
      'config-get --format=json --all',
      'relation-ids --format=json db',
    ]);
    expect(stdoutLines(configChanged)).toEqual([flagsLine(CONFIG_SET), flagsLine(CONFIG_CLEARED)]);
    expect(committed()).toEqual(afterInstall);

    unit.juju.update((world) => void (world.config = { ...config, port: 9000 }));
    expect((await unit.hook('config-changed')).status).toBe(0);
    expect(unit.commandLines()).toContain('status-set active -- listening on 9000');
    expect(committed().data).toEqual({ 'charms.config.previous': { ...config, port: 9000 }, port: 9000 });

    const updateStatus = await unit.hook('update-status');
    expect(updateStatus.status).toBe(0);
    expect(unit.commandLines()).toEqual([
      'juju-log --log-level INFO -- Reactive main running for hook update-status',
      'config-get --format=json --all',
      'relation-ids --format=json db',
      'juju-log --log-level INFO -- Invoking reactive handler: test:updateStatus',
      'juju-log --log-level INFO -- greeting: hello',
    ]);
    expect(stdoutLines(updateStatus)).toEqual([
      flagsLine('+config.set.port +config.default.fail +config.set.admin-password'),
      'reactive: hooks phase: queued test:updateStatus',
      flagsLine('-config.set.admin-password -config.default.fail -config.set.port'),
    ]);
    expect(readFileSync(stateFile()).length).toBeGreaterThan(0);
  });

  it('keeps DEBUG lines on juju-log under debug-code (JUJU_DEBUG_AT), where stdout is the debugging terminal, not the log', async () => {
    const unit = charm();
    const install = await unit.hook('install', { JUJU_DEBUG_AT: 'no-such-breakpoint' });
    expect(install.status).toBe(0);
    expect(install.stdout).toBe('');
    expect(unit.commandLines()).toContain('juju-log --log-level DEBUG -- reactive: hooks phase: queued test:install');
  });

  it('creates the state file readable by its owner only', async () => {
    const unit = charm();
    await unit.hook('install');
    expect(statSync(stateFile()).mode & 0o777).toBe(0o600);
  });

  it('a failing hook exits non-zero, logs the handler at ERROR without the secret, and leaves the state byte for byte', async () => {
    const unit = charm();
    await unit.hook('install');
    const before = readFileSync(stateFile());
    unit.juju.update((world) => void (world.config = { ...config, fail: true, port: 1234 }));

    const result = await unit.hook('config-changed');
    expect(result.status).toBe(1);
    expect(readFileSync(stateFile())).toEqual(before);
    const errors = unit.juju.world().logs!.filter((log) => log.level === 'ERROR');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/^Hook error: hook config-changed failed \(dispatch\): handler test:fail failed: Error: asked to fail; the password \*\*\* must not leak/);
    const everything = JSON.stringify(unit.juju.world().logs) + result.stdout + result.stderr + unit.commandLines().join('\n');
    expect(everything).not.toContain(SECRET);

    // Juju retries the hook from the same state: the port change is seen again.
    unit.juju.update((world) => void (world.config = { ...config, port: 1234 }));
    expect((await unit.hook('config-changed')).status).toBe(0);
    expect(unit.commandLines()).toContain('status-set active -- listening on 1234');
  });

  it('sets endpoint flags in relation hooks and publishes through relation-set', async () => {
    const unit = charm();
    await unit.hook('install');
    unit.juju.update((world) => {
      world.relations = { 'db:0': { endpoint: 'db', app: 'mariadb', units: { 'mariadb/0': { password: 'from-db' } } } };
    });
    const result = await unit.hook('db-relation-changed', {
      JUJU_RELATION: 'db',
      JUJU_RELATION_ID: 'db:0',
      JUJU_REMOTE_UNIT: 'mariadb/0',
      JUJU_REMOTE_APP: 'mariadb',
    });
    expect(result.status).toBe(0);
    expect(unit.commandLines()).toEqual(
      expect.arrayContaining([
        'relation-ids --format=json db',
        'relation-list --format=json -r db:0',
        'relation-get --format=json -r db:0 - mariadb/0',
        'juju-log --log-level INFO -- Invoking reactive handler: test:dbReady',
        'relation-set -r db:0 --file - <<< {"database":"test"}',
      ]),
    );
    // juju-log starts a relation hook's lines with `<endpoint>:<id>: ` (juju-log.go); the
    // stdout lines carry the same prefix, since Juju's hook logger adds none.
    expect(stdoutLines(result)).toContain('db:0: reactive: flags +endpoint.db.changed +endpoint.db.changed.password');
    expect(stdoutLines(result).every((line) => line.startsWith('db:0: reactive: '))).toBe(true);
    expect(Object.keys(committed().flags).sort()).toEqual(['endpoint.db.changed', 'endpoint.db.joined', 'test.installed']);
    expect(unit.juju.world().relations!['db:0']!.local).toEqual({ database: 'test' });
  });

  it('keeps state on the controller with state-get/state-set when told to (podspec charms do by default)', async () => {
    const unit = charm({ controllerState: {} });
    expect((await unit.hook('install', { CHARMS_STATE_STORE: 'controller' })).status).toBe(0);
    const lines = unit.commandLines();
    expect(lines[2]).toBe('state-get --format=json -');
    expect(lines.at(-1)).toMatch(/^state-set --file - <<< /);
    expect(existsSync(stateFile())).toBe(false);
    const stored = JSON.parse(unit.juju.world().controllerState![STATE_KEY]!);
    expect(stored.flags).toEqual({ 'test.installed': null });
  });
});

describe('CHARMS_HOOK_PHASES: where a hook\'s time goes', { timeout: TIMEOUT }, () => {
  it('with the variable, each hook appends its phase marks in order and every tool call to the file', async () => {
    const unit = charm({ controllerState: {} });
    const file = join(built, 'phases.jsonl');
    rmSync(file, { force: true });
    const env = { CHARMS_STATE_STORE: 'controller', CHARMS_HOOK_PHASES: file };
    expect((await unit.hook('install', env)).status).toBe(0);
    const installCalls = unit.commandLines().map((line) => line.split(' ')[0]);
    expect((await unit.hook('update-status', env)).status).toBe(0);
    const records = readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(records.map((r) => [r.format, r.hook, r.unit])).toEqual([
      ['charms.hook-phases/1', 'install', 'test-charm/0'],
      ['charms.hook-phases/1', 'update-status', 'test-charm/0'],
    ]);
    const [install] = records;
    expect(install.marks.map((m: { phase: string }) => m.phase)).toEqual(['node', 'bundle', 'context', 'connect', 'state', 'build', 'atstart', 'dispatch', 'atexit', 'commit', 'end', 'exit']);
    const times = install.marks.map((m: { at: number }) => m.at);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(install.tools.map((t: { tool: string }) => t.tool)).toEqual(installCalls);
    expect(install.tools.every((t: { at: number; ms: number }) => t.at > 0 && t.ms > 0)).toBe(true);
  });

  it('without the variable, nothing is written', async () => {
    const unit = charm();
    const before = new Set(readdirSync(built));
    expect((await unit.hook('install')).status).toBe(0);
    expect(readdirSync(built).filter((name) => !before.has(name))).toEqual(['.unit-state.json']);
  });
});

describe('faults lose nothing committed', { timeout: TIMEOUT }, () => {
  it('a truncated state file stops the hook with an error naming the file, and is left as it is', async () => {
    const unit = charm();
    await unit.hook('install');
    const whole = readFileSync(stateFile(), 'utf8');
    writeFileSync(stateFile(), whole.slice(0, 20));
    const result = await unit.hook('update-status');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`the unit state in ${stateFile()} cannot be used: it is not valid JSON`);
    expect(unit.juju.world().logs!.some((l) => l.level === 'ERROR' && l.message.includes(stateFile()))).toBe(true);
    expect(readFileSync(stateFile(), 'utf8')).toBe(whole.slice(0, 20));
  });

  it('a state file of another format is refused the same way', async () => {
    const unit = charm();
    writeFileSync(stateFile(), '{"flags":{}}');
    const result = await unit.hook('install');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('is not a charms.unit-state/1 document');
    expect(readFileSync(stateFile(), 'utf8')).toBe('{"flags":{}}');
  });

  it('a hook tool that exits 1 fails the hook with its command and error text', async () => {
    const unit = charm();
    await unit.hook('install');
    const before = readFileSync(stateFile());
    unit.juju.update((world) => void (world.fail = { 'config-get': { exit: 1, stderr: 'ERROR connection is shut down\n' } }));
    const result = await unit.hook('config-changed');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('config-get --format=json --all exited 1: ERROR connection is shut down');
    expect(readFileSync(stateFile())).toEqual(before);
  });

  it('state-set failing at commit fails the hook and leaves the controller state as it was', async () => {
    const unit = charm({ controllerState: {} });
    await unit.hook('install', { CHARMS_STATE_STORE: 'controller' });
    const before = unit.juju.world().controllerState;
    unit.juju.update((world) => {
      world.config = { ...config, port: 4321 };
      world.fail = { 'state-set': { exit: 1, stderr: 'ERROR cannot set state: quota exceeded\n' } };
    });
    const result = await unit.hook('config-changed', { CHARMS_STATE_STORE: 'controller' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('state-set failed');
    expect(result.stderr).toContain('quota exceeded');
    expect(unit.juju.world().controllerState).toEqual(before);
  });

  it('a process without the Juju environment says which variables are missing', async () => {
    const unit = charm();
    const result = await unit.hook('install', { JUJU_UNIT_NAME: '', JUJU_MODEL_NAME: '' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('JUJU_UNIT_NAME is not set; JUJU_MODEL_NAME is not set');
  });
});
