import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createModel, type LocalModel } from '@charms/model';

// The local model's hook tools against Juju 2.9's jujuc (issue 14 items 3, 9, 10, 11), as a
// charm sees them: a shell charm runs the commands its `probe` option lists, in the hooks
// `probe-hooks` names, and logs what each answered. Each test names the Juju source it follows.

const charm = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'tools-charm');
const TIMEOUT = 120_000;

const models: LocalModel[] = [];
afterAll(() => Promise.all(models.map((m) => m.destroy())), TIMEOUT);

/** One command's answer, as the charm logged it. */
interface Answer {
  readonly stdout: string;
  readonly exitCode: number;
  readonly stderr: string;
}

async function deployed(probe: readonly string[], options: { units?: number; probeHooks?: string; config?: Record<string, unknown> } = {}) {
  const model = await createModel({});
  models.push(model);
  await model.deploy(charm, { units: options.units ?? 1, config: { probe: probe.join('\n'), 'probe-hooks': options.probeHooks ?? 'install update-status', ...options.config } });
  return model;
}

/** What `command` answered in `hook` on `unit`, each time it ran, oldest first. */
function answers(model: LocalModel, unit: string, hook: string, command: string): Answer[] {
  const prefix = `probe ${hook}: ${command} => `;
  return model
    .log(unit)
    .filter((l) => l.unit === unit && l.message.startsWith(prefix))
    .map((l) => {
      const match = /^([\s\S]*)\|(\d+)\|([\s\S]*)$/.exec(l.message.slice(prefix.length))!;
      return { stdout: match[1]!, exitCode: Number(match[2]), stderr: match[3]! };
    });
}

/** The last answer of `command` in `hook`. */
function answer(model: LocalModel, unit: string, hook: string, command: string): Answer {
  const all = answers(model, unit, hook, command);
  expect(all.length, `${unit} ran "${command}" in ${hook}`).toBeGreaterThan(0);
  return all.at(-1)!;
}

describe('the local model answers hook tools as Juju 2.9 does', { timeout: TIMEOUT }, () => {
  // worker/uniter/relation/statetracker.go: the unit joins its relations (SynchronizeScopes)
  // only once installed, and the hook context lists the joined ones (GetInfo); a -r of any
  // other fails in the option's parsing (relation-id value: "relation not found").
  it('lists no relation during install, and -r of one the unit has not joined fails as Juju fails (item 3)', async () => {
    const model = await deployed(['relation-ids cluster', 'relation-list -r 0', 'relation-get -r cluster:0 - tools/0', 'relation-set -r 0 a=b']);
    expect(answer(model, 'tools/0', 'install', 'relation-ids cluster')).toEqual({ stdout: '', exitCode: 0, stderr: '' });
    expect(answer(model, 'tools/0', 'install', 'relation-list -r 0')).toEqual({ stdout: '', exitCode: 2, stderr: 'ERROR invalid value "0" for option -r: relation not found\n' });
    expect(answer(model, 'tools/0', 'install', 'relation-get -r cluster:0 - tools/0')).toEqual({ stdout: '', exitCode: 2, stderr: 'ERROR invalid value "cluster:0" for option -r: relation not found\n' });
    expect(answer(model, 'tools/0', 'install', 'relation-set -r 0 a=b')).toEqual({ stdout: '', exitCode: 2, stderr: 'ERROR invalid value "0" for option -r: relation not found\n' });
    await model.run('tools/0', 'update-status');
    expect(answer(model, 'tools/0', 'update-status', 'relation-ids cluster')).toEqual({ stdout: 'cluster:0\n', exitCode: 0, stderr: '' });
    expect(answer(model, 'tools/0', 'update-status', 'relation-set -r 0 a=b').exitCode).toBe(0);
  });

  // worker/uniter/runner/jujuc/status-get.go: the status word in the smart format; message,
  // status-data and units only with --include-data.
  it('status-get --application prints the status word, and the map with units only as asked (item 9)', async () => {
    const model = await deployed(['status-set --application blocked "scale up"', 'status-get --application', 'status-get --application --format=json', 'status-get --application --include-data --format=json'], { units: 2 });
    expect(answer(model, 'tools/0', 'install', 'status-get --application')).toEqual({ stdout: 'blocked\n', exitCode: 0, stderr: '' });
    const plain = JSON.parse(answer(model, 'tools/0', 'install', 'status-get --application --format=json').stdout);
    expect(plain).toEqual({ 'application-status': { status: 'blocked', units: { 'tools/0': { status: expect.any(String) }, 'tools/1': { status: expect.any(String) } } } });
    const full = JSON.parse(answer(model, 'tools/0', 'install', 'status-get --application --include-data --format=json').stdout);
    expect(full['application-status']).toMatchObject({ status: 'blocked', message: 'scale up', 'status-data': {}, units: { 'tools/1': { message: expect.any(String), 'status-data': {} } } });
    expect(answer(model, 'tools/1', 'install', 'status-get --application')).toEqual({ stdout: '', exitCode: 1, stderr: 'ERROR finding application status: this unit is not the leader\n' });
  });

  // go-yaml v2 decodes config.yaml's keys into strings (juju/charm config.go): an option
  // named n stays "n"; go-yaml v2 sorts the keys config-get prints, and quotes "n" and "on"
  // (resolve.go reads both as booleans unquoted).
  it('keeps option names such as n and on, and config-get prints and finds them (item 10)', async () => {
    const model = await deployed(['config-get n', 'config-get on', 'config-get --format=json', 'config-get']);
    expect(answer(model, 'tools/0', 'install', 'config-get n')).toEqual({ stdout: 'north\n', exitCode: 0, stderr: '' });
    expect(answer(model, 'tools/0', 'install', 'config-get on').stdout).toBe('True\n');
    expect(Object.keys(JSON.parse(answer(model, 'tools/0', 'install', 'config-get --format=json').stdout))).toEqual(['n', 'on', 'probe', 'probe-hooks']);
    expect(answer(model, 'tools/0', 'install', 'config-get').stdout).toMatch(/^"n": north\n"on": true\nprobe: /);
    await model.setConfig('tools', { n: 'south', on: 'false' });
    await model.run('tools/0', 'update-status');
    expect(answer(model, 'tools/0', 'update-status', 'config-get n').stdout).toBe('south\n');
    expect(answer(model, 'tools/0', 'update-status', 'config-get on').stdout).toBe('False\n');
  });

  // worker/uniter/runner/jujuc/*.go (2.9), one command each; the model's shims come from
  // the emulator's tool list, so every tool Juju offers a podspec unit is on the hook's PATH.
  it('answers the smaller tool items as jujuc does (item 11)', async () => {
    const probe = [
      'goal-state --format=json',
      'goal-state',
      'config-get --format=json -o answer.json n && cat answer.json',
      'relation-list -r0 --format=json',
      'juju-log -lWARN careful',
      'juju-log -l WARN careful too',
      'juju-log --format=json hi',
      'state-get missing',
      'state-get --format=json missing',
      'state-get',
      'state-get --format=json',
      'relation-get -r 0 - nobody/0',
      'relation-get -r 0 - tools/7',
      'storage-list',
      'storage-get',
      'storage-add data=1',
      'credential-get',
      'add-metric users=5',
      'juju-reboot',
    ];
    const model = await deployed(probe, { probeHooks: 'update-status' });
    await model.deploy(charm, { app: 'other', config: { 'probe-hooks': 'none' } });
    await model.relate('tools:db', 'other:backend');
    await model.run('tools/0', 'update-status');
    const got = (command: string) => answer(model, 'tools/0', 'update-status', command);
    const since = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/;
    // goal-state.go: units, then relations by local endpoint (peers left out): the remote
    // application with the relation's status, and its units; since as common.FormatTime.
    const goal = JSON.parse(got('goal-state --format=json').stdout);
    expect(Object.keys(goal)).toEqual(['units', 'relations']);
    expect(goal.units).toEqual({ 'tools/0': { status: expect.any(String), since: expect.stringMatching(since) } });
    expect(goal.relations).toEqual({ db: { other: { status: 'joined' }, 'other/0': { status: expect.any(String), since: expect.stringMatching(since) } } });
    // go-yaml v2 writes since plain: it is none of the timestamp forms it reads (resolve.go).
    expect(got('goal-state').stdout).toMatch(/^units:\n {2}tools\/0:\n {4}status: \w+\n {4}since: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\nrelations:\n {2}db:\n {4}other:\n {6}status: joined\n/);
    // juju/cmd output.go: -o writes the answer to the file (relative to the hook's folder) and prints nothing.
    expect(got('config-get --format=json -o answer.json n && cat answer.json')).toEqual({ stdout: '"north"\n', exitCode: 0, stderr: '' });
    // gnuflag: a one-letter option takes its value attached.
    expect(got('relation-list -r0 --format=json')).toEqual({ stdout: '[]\n', exitCode: 0, stderr: '' });
    // juju-log.go: loggo.ParseLevel takes WARN; the --format warning has no newline.
    expect(got('juju-log -lWARN careful')).toEqual({ stdout: '', exitCode: 0, stderr: '' });
    expect(model.log('tools/0').filter((l) => l.message.startsWith('careful')).map((l) => l.level)).toEqual(['WARNING', 'WARNING']);
    expect(got('juju-log --format=json hi')).toEqual({ stdout: '', exitCode: 0, stderr: '--format flag deprecated for command "juju-log"' });
    // state-get.go: a missing key is an empty string; empty state a nil map.
    expect(got('state-get missing')).toEqual({ stdout: '', exitCode: 0, stderr: '' });
    expect(got('state-get --format=json missing').stdout).toBe('""\n');
    expect(got('state-get').stdout).toBe('{}\n');
    expect(got('state-get --format=json').stdout).toBe('null\n');
    // apiserver uniter ReadRemoteSettings / state ReadSettings.
    expect(got('relation-get -r 0 - nobody/0')).toEqual({ stdout: '', exitCode: 1, stderr: 'ERROR permission denied\n' });
    expect(got('relation-get -r 0 - tools/7')).toEqual({ stdout: '', exitCode: 1, stderr: 'ERROR cannot read settings for unit "tools/7" in relation "tools:cluster": unit "tools/7": settings not found\n' });
    // storage-list.go, storage-get.go, storage-add.go: a unit without storage.
    expect(got('storage-list')).toEqual({ stdout: '', exitCode: 0, stderr: '' });
    expect(got('storage-get')).toEqual({ stdout: '', exitCode: 2, stderr: 'ERROR no storage instance specified\n' });
    expect(got('storage-add data=1').exitCode).toBe(0);
    // credential-get.go (the application is not trusted), add-metric.go (outside collect-metrics), reboot.go.
    expect(got('credential-get')).toEqual({ stdout: '', exitCode: 1, stderr: 'ERROR cannot access cloud credentials: permission denied\n' });
    expect(got('add-metric users=5')).toEqual({ stdout: '', exitCode: 1, stderr: 'ERROR cannot record metric: metrics not allowed in this context\n' });
    expect(got('juju-reboot')).toEqual({ stdout: '', exitCode: 0, stderr: '' });
  });
});
