import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { actionParams } from '../src/commands/action-commands.js';
import { cliModels, modelFixture } from './helpers/cli-model.js';

// charms actions, run-action and show-action-output (issue 17), as Juju 2.9's commands
// print them (docs/explanation/juju-actions-and-storage.md §2), against the model's
// shell fixture charm with two actions (backup completes, break fails).

const charm = modelFixture('action-charm');
const TIMEOUT = 180_000;
const newModel = cliModels('action-commands');

describe('the action commands', { timeout: TIMEOUT }, () => {
  it('lists actions, queues one (Action queued with id: "2"), shows its output, and prints a failed one with --wait and exit 2', async () => {
    const { charms, dir } = newModel();
    expect((await charms('deploy', charm)).status).toBe(0);

    const list = await charms('actions', 'actions-demo');
    expect(list.stdout).toBe('Action  Description\nbackup  Back up the data to a target.\nbreak   Fails on purpose, after writing state and relation data and asking for storage.\n');

    const queued = await charms('run-action', 'actions-demo/0', 'backup', 'target=/srv/x', 'level=7');
    expect(queued).toMatchObject({ status: 0, stdout: 'Action queued with id: "2"\n' });

    const shown = await charms('show-action-output', '2');
    expect(shown.status).toBe(0);
    expect(shown.stdout).toMatch(
      /^UnitId: actions-demo\/0\nid: "2"\nlog:\n  - 2026-01-01 \d\d:\d\d:\d\d \+0000 UTC starting backup\nresults:\n  Stdout: \|\n    backing up\n  env:\n    hook: "\[\]"\n    name: backup\n    tag: action-2\n    uuid: "2"\n  outcome: done\n  result:\n    level: "7"\n    target: \/srv\/x\nstatus: completed\ntiming:\n  completed: 2026-01-01 \d\d:\d\d:\d\d \+0000 UTC\n  enqueued: 2026-01-01 \d\d:\d\d:\d\d \+0000 UTC\n  started: 2026-01-01 \d\d:\d\d:\d\d \+0000 UTC\n$/,
    );

    writeFileSync(join(dir, 'params.yaml'), 'hard: false\n');
    const failed = await charms('run-action', 'actions-demo/0', 'break', '--params', join(dir, 'params.yaml'), 'hard=yes', '--wait');
    expect(failed.status).toBe(2);
    expect(failed.stdout).toContain('unit-actions-demo-0:\n  UnitId: actions-demo/0\n  id: "4"\n  message: exit status 3\n  results:\n    ReturnCode: 3\n    Stderr: |\n      to stderr\n  status: failed\n');
  });

  it('refuses an unknown action and bad params with Juju\'s texts and exit 1, exits 0 for a completed action with --wait, and refuses an unknown id', async () => {
    const { charms } = newModel();
    expect((await charms('deploy', charm)).status).toBe(0);
    const refused = await charms('run-action', 'actions-demo/0', 'restore');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toBe('error: action "restore" not defined on unit "actions-demo/0"\n');
    const invalid = await charms('run-action', 'actions-demo/0', 'backup', 'level=two');
    expect(invalid).toMatchObject({ status: 1, stderr: 'error: validation failed: (root).level : must be of type integer, given "two"\n' });
    const completed = await charms('run-action', 'actions-demo/0', 'backup', '--wait');
    expect(completed.status).toBe(0);
    expect(completed.stdout).toContain('unit-actions-demo-0:\n  UnitId: actions-demo/0\n  id: "6"\n');
    expect(completed.stdout).toContain('    result:\n      level: "3"\n      target: /srv/backup\n  status: completed\n');
    const unknown = await charms('show-action-output', '99');
    expect(unknown).toMatchObject({ status: 1, stderr: 'error: no results for action 99\n' });
  });
});

describe('run-action params (cmd/juju/action/runaction.go)', () => {
  it('parses values as YAML 1.1 unless --string-args, nests dotted keys, and lets arguments win over --params', async () => {
    expect(await actionParams(['a.b=1', 'a.c=yes', 'd=[a, b]', 'e=', 'f=1.5'], {})).toEqual({ a: { b: 1, c: true }, d: ['a', 'b'], e: null, f: 1.5 });
    expect(await actionParams(['a.b=1', 'c=yes'], { stringArgs: true })).toEqual({ a: { b: '1' }, c: 'yes' });
    // A model folder serves as a temporary folder removed after the tests.
    const { dir } = newModel();
    writeFileSync(join(dir, 'p.yaml'), 'a: 1\nb: {c: 2}\n');
    expect(await actionParams(['a.x=3'], { params: join(dir, 'p.yaml') })).toEqual({ a: { x: 3 }, b: { c: 2 } });
    writeFileSync(join(dir, 'list.yaml'), '- 1\n');
    await expect(actionParams([], { params: join(dir, 'list.yaml') })).rejects.toThrow('params must contain a YAML map with string keys');
  });

  it('refuses a pair without = and a key Juju refuses, with Juju\'s texts', async () => {
    await expect(actionParams(['nokey'], {})).rejects.toThrow('argument "nokey" must be of the form key...=value');
    await expect(actionParams(['foo.Baz=3'], {})).rejects.toThrow('key "Baz" must start and end with lowercase alphanumeric, and contain only lowercase alphanumeric and hyphens');
  });
});
