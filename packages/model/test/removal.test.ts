import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createModel, type LocalModel } from '@charms/model';

// Removal is removal (issue 15, item 2): a removed unit's folder (its charm copy with the
// state the charm kept there, its resources) goes once its remove hook ran, so a new unit
// of the same name starts empty. The recorder charm counts the failures of `fail-hook` in
// a file of its charm folder: a unit that inherited that file would not fail again.

const recorder = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'recorder-charm');
const TIMEOUT = 120_000;
const FAIL_INSTALL_ONCE = { 'fail-hook': 'install', 'fail-times': 1 };

const models: LocalModel[] = [];
afterAll(() => Promise.all(models.map((m) => m.destroy())), TIMEOUT);

async function model() {
  const hooks: string[] = [];
  const m = await createModel({ automaticallyRetryHooks: false, onHook: (r) => hooks.push(`${r.unit} ${r.hook}${r.ok ? '' : ' FAILED'}`) });
  models.push(m);
  return { model: m, hooks };
}

const unitFolder = (m: LocalModel, unit: string) => join(m.dir, 'units', unit.replace('/', '-'));

describe('removal', { timeout: TIMEOUT }, () => {
  it('deletes the units’ folders with the application; a redeploy under the same name goes on numbering, as Juju does, and starts empty', async () => {
    const { model: m, hooks } = await model();
    await m.deploy(recorder, { config: FAIL_INSTALL_ONCE });
    await m.resolve('recorder/0');
    expect(readFileSync(join(unitFolder(m, 'recorder/0'), 'charm', '.failed-install'), 'utf8').trim()).toBe('2');
    await m.remove('recorder');
    expect(existsSync(unitFolder(m, 'recorder/0'))).toBe(false);
    hooks.length = 0;
    await m.deploy(recorder, { config: FAIL_INSTALL_ONCE });
    // Unit numbers go on, as Juju's do; the new unit fails its first install, as the first one did.
    expect(hooks).toEqual(['recorder/1 install FAILED']);
  });

  it('deletes a removed unit’s folder; unit numbers are never reused, as in Juju', async () => {
    const { model: m } = await model();
    await m.deploy(recorder, { units: 2 });
    expect(existsSync(unitFolder(m, 'recorder/1'))).toBe(true);
    await m.removeUnit('recorder/1');
    expect(existsSync(unitFolder(m, 'recorder/1'))).toBe(false);
    expect(existsSync(unitFolder(m, 'recorder/0'))).toBe(true);
    await m.addUnit('recorder');
    expect(Object.keys(m.status().applications.recorder!.units)).toEqual(['recorder/0', 'recorder/2']);
  });

  it('gives a new unit an empty folder, even where a model from before this rule left one', async () => {
    const { model: m, hooks } = await model();
    await m.deploy(recorder, { config: FAIL_INSTALL_ONCE });
    await m.resolve('recorder/0');
    // What an older model left behind for a unit of the same name: its failure count.
    mkdirSync(join(unitFolder(m, 'recorder/1'), 'charm'), { recursive: true });
    writeFileSync(join(unitFolder(m, 'recorder/1'), 'charm', '.failed-install'), '5\n');
    hooks.length = 0;
    await m.addUnit('recorder');
    expect(hooks[0]).toBe('recorder/1 install FAILED');
  });

  it('deletes the folder of a unit whose failed remove hook is skipped by resolve --no-retry', async () => {
    const { model: m, hooks } = await model();
    await m.deploy(recorder, { config: { 'fail-hook': 'remove' } });
    await m.removeUnit('recorder/0');
    expect(hooks.at(-1)).toBe('recorder/0 remove FAILED');
    expect(existsSync(unitFolder(m, 'recorder/0'))).toBe(true);
    await m.resolve('recorder/0', { retry: false });
    expect(existsSync(unitFolder(m, 'recorder/0'))).toBe(false);
  });
});
