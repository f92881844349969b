import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliModels, modelFixture } from './helpers/cli-model.js';

// Exit codes of the model commands (issue 15, item 3): 0 when every hook went well, 2 when
// a hook failed or a unit the command touched is left in error (one line on stderr per
// unit, saying which hook and what to do), 1 when the command was refused. The recorder
// charm (a shell charm) fails the hook its `fail-hook` option names.

const recorder = modelFixture('recorder-charm');
const TIMEOUT = 180_000;
const cliModel = cliModels('exit-codes');

function newModel() {
  const { dir, charms } = cliModel();
  const queue = (unit: string) =>
    (JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as { apps: Record<string, { units: { name: string; queue: { hook: string }[] }[] }> }).apps[unit.split('/')[0]!]!.units
      .find((u) => u.name === unit)!
      .queue.map((e) => e.hook);
  return { charms, queue };
}

describe('exit codes of the model commands', { timeout: TIMEOUT }, () => {
  it('deploy, run and resolve exit 2 with one line per unit in error; run refuses a unit in error and queues nothing', async () => {
    const { charms, queue } = newModel();
    const deploy = await charms('deploy', recorder, '--config', 'fail-hook=install');
    expect(deploy.status).toBe(2);
    expect(deploy.stderr).toBe('error: recorder/0: hook "install" failed and the unit is in error: see charms log recorder/0, then charms resolve recorder/0\n');

    const before = queue('recorder/0');
    const run = await charms('run', 'recorder/0', 'update-status');
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('recorder/0');
    expect(run.stderr).toContain('charms resolve recorder/0');
    expect(queue('recorder/0')).toEqual(before);

    const resolve = await charms('resolve', 'recorder/0');
    expect(resolve.status).toBe(2);
    expect(resolve.stderr).toContain('recorder/0: hook "install" failed');

    const skipped = await charms('resolve', 'recorder/0', '--no-retry');
    expect(skipped.stderr).toBe('');
    expect(skipped.status).toBe(0);
  });

  it('config and add-unit exit 2 when a hook of theirs fails; a refused command exits 1', async () => {
    const { charms, queue } = newModel();
    expect((await charms('deploy', recorder)).status).toBe(0);
    const path = await charms('run', 'recorder/0', '../../../../bin/true');
    expect(path.status).toBe(1);
    expect(path.stderr).toMatch(/^error: unit recorder\/0 has no hook "..\/..\/..\/..\/bin\/true": its charm's hooks are .*update-status/);
    expect(queue('recorder/0')).toEqual([]);
    const config = await charms('config', 'recorder', 'fail-hook=config-changed');
    expect(config.status).toBe(2);
    expect(config.stderr).toBe('error: recorder/0: hook "config-changed" failed and the unit is in error: see charms log recorder/0, then charms resolve recorder/0\n');
    const added = await charms('add-unit', 'recorder');
    expect(added.status).toBe(2);
    expect(added.stderr).toContain('recorder/1: hook "config-changed" failed');
    const refused = await charms('config', 'nothing', 'a=b');
    expect(refused.status).toBe(1);
    const run = await charms('run', 'nothing/0', 'update-status');
    expect(run.status).toBe(1);
  });
});
