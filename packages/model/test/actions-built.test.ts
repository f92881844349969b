import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { buildCharm } from '@charms/build';
import { createModel, type LocalModel } from '@charms/model';

// Issue 17 end to end: TypeScript action modules, bundled by charms build, run on the
// local model through dispatch (JUJU_DISPATCH_PATH=actions/<name>) by the runtime's
// main({ actions }). The fixture is @charms/build's: `backup` sets nested results and a
// flag the charm's handler reacts to in the next hook; `broken` sets a flag and fails.

const fixture = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'build', 'test', 'fixtures', 'with-actions', 'charm');
const TIMEOUT = 240_000;
const models: LocalModel[] = [];
afterAll(() => Promise.all(models.map((m) => m.destroy())), TIMEOUT);

/** The unit state file of the model's only unit (a machine charm keeps it in its charm folder). */
function unitStateText(modelDir: string): string {
  const found = readdirSync(modelDir, { recursive: true, encoding: 'utf8' }).filter((path) => path.endsWith('.unit-state.json'));
  expect(found).toHaveLength(1);
  return readFileSync(join(modelDir, found[0]!), 'utf8');
}

describe('a charm built with actions, on the local model', () => {
  it('runs them: nested results and a flag the next hook reacts to; a failed action commits nothing', async () => {
    const built = join(mkdtempSync(join(tmpdir(), 'charms-actions-built-')), 'keeper');
    await buildCharm({ charmDir: fixture, outDir: built });
    const model = await createModel();
    models.push(model);
    await model.deploy(built);

    const broken = await model.runAction('keeper/0', 'broken');
    expect(broken).toMatchObject({ status: 'failed', message: 'the disk is full' });
    const backup = await model.runAction('keeper/0', 'backup', { target: '/srv' });
    expect(backup).toMatchObject({ status: 'completed', message: '' });
    // compress came from the schema's default; numbers reach Juju as action-set strings.
    expect(backup.results).toMatchObject({ backup: { path: '/srv/keeper.tar.gz', files: '3' }, Code: '0' });
    expect(backup.log.map((line) => line.message)).toEqual(['backing up to /srv']);

    // What the actions committed: backup's flag, not broken's.
    const state = unitStateText(model.dir);
    expect(state).toContain('keeper.backed-up');
    expect(state).not.toContain('keeper.broken');

    await model.run('keeper/0', 'update-status');
    expect(model.log('keeper/0').filter((entry) => entry.hook === 'update-status').map((entry) => entry.message)).toContain('keeper: a backup was made');
    expect(unitStateText(model.dir)).not.toContain('keeper.backed-up');
  }, TIMEOUT);

  it('gives a storage hook handler its instance: storage-get from ctx.tools, JUJU_STORAGE_ID in ctx.juju, a folder it writes to (before install: a machine charm)', async () => {
    const built = join(mkdtempSync(join(tmpdir(), 'charms-actions-built-')), 'keeper');
    await buildCharm({ charmDir: fixture, outDir: built });
    const hooks: string[] = [];
    const model = await createModel({ onHook: (r) => hooks.push(r.hook) });
    models.push(model);
    await model.deploy(built);
    expect(hooks.slice(0, 2)).toEqual(['archive-storage-attached', 'install']);
    const folder = join(model.dir, 'storage', 'archive-0');
    expect(readFileSync(join(folder, 'keeper.marker'), 'utf8')).toBe('archive/0\n');
    expect(model.log('keeper/0').map((entry) => entry.message)).toContain(`keeper: archive archive/0 at ${folder}`);
    expect(unitStateText(model.dir)).toContain('keeper.archive-ready');
  }, TIMEOUT);

  it('refuses params the schema refuses before anything runs, with Juju\'s text', async () => {
    const built = join(mkdtempSync(join(tmpdir(), 'charms-actions-built-')), 'keeper');
    await buildCharm({ charmDir: fixture, outDir: built });
    const model = await createModel();
    models.push(model);
    await model.deploy(built);
    await expect(model.runAction('keeper/0', 'backup', { target: '/srv', colour: 'red' })).rejects.toMatchObject({ code: 'INVALID_ACTION', message: expect.stringContaining('validation failed') });
  }, TIMEOUT);
});
