import { cpSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createModel, ModelError, type LocalModel } from '@charms/model';
import { temporaryFolders } from './helpers/temp-folders.js';

// Storage on the local model (issue 17), after Juju 2.9 as docs/explanation/
// juju-actions-and-storage.md §5 reads it from the source. The fixture is the shell charm
// of the action tests: stores `data` (one instance, location /srv/data, 2G) and `logs`
// (0 to 3); its storage hooks log what JUJU_STORAGE_* and storage-get/storage-list say,
// config-changed runs `storage-add logs=<add-logs>`, and the `break` action asks for one
// more logs instance before it fails.

const charm = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'action-charm');
const TIMEOUT = 120_000;
const UNIT = 'actions-demo/0';
const folder = temporaryFolders('storage-charm');

const models: LocalModel[] = [];
afterAll(() => Promise.all(models.map((m) => m.destroy())), TIMEOUT);

async function deployed(source = charm): Promise<{ model: LocalModel; hooks: string[] }> {
  const hooks: string[] = [];
  const model = await createModel({ onHook: (r) => hooks.push(`${r.hook}${r.ok ? '' : ' (failed)'}`) });
  models.push(model);
  await model.deploy(source);
  return { model, hooks };
}

/** The fixture as a machine charm (`series: [focal]`): the same files, another series. */
function machineCharm(): string {
  const dir = folder();
  cpSync(charm, dir, { recursive: true });
  const metadata = join(dir, 'metadata.yaml');
  writeFileSync(metadata, readFileSync(metadata, 'utf8').replace('series: [kubernetes]', 'series: [focal]'));
  return dir;
}

const storageLines = (model: LocalModel) => model.log(UNIT).filter((l) => l.message.startsWith('storage')).map((l) => `${l.hook}: ${l.message}`);
const ids = (model: LocalModel) => Object.keys(model.storage().storage);

describe('storage on the local model', () => {
  it('a podspec charm gets storage-attached after start, told the mount point in its pod (resolver.go CAAS; FilesystemMountPoint)', async () => {
    const { model, hooks } = await deployed();
    expect(hooks).toEqual(['install', 'cluster-relation-created', 'leader-elected', 'config-changed', 'start', 'data-storage-attached']);
    expect(storageLines(model)).toEqual([
      'data-storage-attached: storage data/0 filesystem /srv/data',
      'data-storage-attached: storage-get filesystem /srv/data; storage-list data/0 ',
    ]);
    const listing = model.storage();
    expect(listing.storage['data/0']).toMatchObject({ kind: 'filesystem', life: 'alive', status: { current: 'attached' }, persistent: false, attachments: { units: { [UNIT]: { location: '/srv/data' } } } });
    // The model's folder for the instance is the filesystem's provider id.
    expect(listing.filesystems['0']).toMatchObject({ 'provider-id': join(model.dir, 'storage', 'data-0'), storage: 'data/0', pool: 'kubernetes', size: 2048 });
    expect(statSync(join(model.dir, 'storage', 'data-0')).isDirectory()).toBe(true);
  }, TIMEOUT);

  it('a machine charm gets storage-attached before install, told the instance folder it can write (resolver.go IAAS)', async () => {
    const { model, hooks } = await deployed(machineCharm());
    expect(hooks).toEqual(['data-storage-attached', 'install', 'cluster-relation-created', 'leader-elected', 'config-changed', 'start']);
    const folderOf = join(model.dir, 'storage', 'data-0');
    expect(storageLines(model)).toEqual([`data-storage-attached: storage data/0 filesystem ${folderOf}`, `data-storage-attached: storage-get filesystem ${folderOf}; storage-list data/0 `]);
    expect(model.storage().filesystems['0']).toMatchObject({ pool: 'rootfs' });
  }, TIMEOUT);

  it('storage-add in a hook adds instances when the hook commits, each attached by its own hook, numbered model-wide', async () => {
    const { model, hooks } = await deployed();
    hooks.length = 0;
    await model.setConfig('actions-demo', { 'add-logs': 2 });
    expect(hooks).toEqual(['config-changed', 'logs-storage-attached', 'logs-storage-attached']);
    expect(ids(model)).toEqual(['data/0', 'logs/1', 'logs/2']);
    expect(model.storage().storage['logs/2']!.attachments.units[UNIT]!.location).toBe('/var/lib/juju/storage/logs/2');
    expect(storageLines(model).at(-1)).toBe('logs-storage-attached: storage-get filesystem /var/lib/juju/storage/logs/2; storage-list data/0 logs/1 logs/2 ');
  }, TIMEOUT);

  it('a storage-add over the charm\'s maximum fails the hook at commit with Juju\'s text, and adds nothing', async () => {
    const { model, hooks } = await deployed();
    hooks.length = 0;
    await model.setConfig('actions-demo', { 'add-logs': 4 });
    expect(hooks).toEqual(['config-changed (failed)']);
    expect(ids(model)).toEqual(['data/0']);
    expect(model.snapshot().apps['actions-demo']!.units[0]!.agent).toMatchObject({ status: 'error', message: 'hook failed: "config-changed"' });
    expect(model.log(UNIT).filter((l) => l.level === 'ERROR').map((l) => l.message)).toEqual([
      'hook "config-changed" failed: cannot apply changes: attaching 4 storage instances brings the total to 4, exceeding the maximum of 3',
    ]);
    expect(model.timeline(UNIT).at(-1)).toMatchObject({ hook: 'config-changed', kind: 'discard', exitCode: 0, commitError: 'cannot apply changes: attaching 4 storage instances brings the total to 4, exceeding the maximum of 3' });
  }, TIMEOUT);

  it('an action\'s storage-add commits only when it exits 0 (break: action-fail and exit 0 commits; hard=true exits 3 and does not)', async () => {
    const { model, hooks } = await deployed();
    await model.runAction(UNIT, 'break', { hard: true });
    expect(ids(model)).toEqual(['data/0']);
    hooks.length = 0;
    await model.runAction(UNIT, 'break');
    expect(ids(model)).toEqual(['data/0', 'logs/1']);
    expect(hooks).toEqual(['actions/break (failed)', 'logs-storage-attached']);
  }, TIMEOUT);

  it('addStorage adds instances as juju add-storage does and refuses what Juju refuses, changing nothing', async () => {
    const { model, hooks } = await deployed();
    hooks.length = 0;
    expect((await model.addStorage(UNIT, ['logs=2'])).added).toEqual(['logs/1', 'logs/2']);
    expect(hooks).toEqual(['logs-storage-attached', 'logs-storage-attached']);
    const refused = async (directives: string[]) => (await model.addStorage(UNIT, directives).catch((e: unknown) => e)) as ModelError;
    expect(await refused(['cache'])).toMatchObject({ code: 'INVALID_STORAGE', message: 'failed to add storage "cache" to actions-demo/0: charm storage "cache" not found' });
    expect(await refused(['data'])).toMatchObject({ message: 'failed to add storage "data" to actions-demo/0: cannot attach, storage is singular' });
    expect(await refused(['logs=2'])).toMatchObject({ message: 'failed to add storage "logs" to actions-demo/0: attaching 2 storage instances brings the total to 4, exceeding the maximum of 3' });
    expect(await refused(['logs=ebs'])).toMatchObject({ message: expect.stringMatching(/^failed to add storage "logs" to actions-demo\/0: pool "ebs" not found/) });
    expect(await refused(['logs=1,512M'])).toMatchObject({ message: 'failed to add storage "logs" to actions-demo/0: charm "actions-demo" store "logs": minimum storage size is 1.0 GiB, 512 MiB specified' });
    expect(await refused(['logs=1=2'])).toMatchObject({ message: 'expected "name=constraints" or "name", got "logs=1=2"' });
    // Nothing refused was added: the sequence and the count go on from logs/2.
    expect((await model.addStorage(UNIT, ['logs'])).added).toEqual(['logs/3']);
    expect(ids(model)).toEqual(['data/0', 'logs/1', 'logs/2', 'logs/3']);
    await expect(model.addStorage('actions-demo/9', ['logs'])).rejects.toMatchObject({ code: 'NOT_FOUND' });
  }, TIMEOUT);

  it('a unit going away runs storage-detaching before stop, and its storage and folders go with it', async () => {
    const { model, hooks } = await deployed(machineCharm());
    await model.addStorage(UNIT, ['logs']);
    hooks.length = 0;
    await model.removeUnit(UNIT);
    expect(hooks).toEqual(['data-storage-detaching', 'logs-storage-detaching', 'stop', 'remove']);
    // data/0's attachment went when its storage-detaching committed (Attachments.CommitHook): logs/1 is the last one left.
    const logs = join(model.dir, 'storage', 'logs-1');
    expect(storageLines(model).slice(-2)).toEqual([`logs-storage-detaching: storage logs/1 filesystem ${logs}`, `logs-storage-detaching: storage-get filesystem ${logs}; storage-list logs/1 `]);
    expect(model.storage()).toEqual({ storage: {}, filesystems: {}, volumes: {} });
    expect(existsSync(join(model.dir, 'storage', 'data-0'))).toBe(false);
    // Nor do its replay records (config values and relation data): the model's only unit had them all.
    expect(readdirSync(join(model.dir, 'traces')).filter((name) => name.endsWith('.context.json'))).toEqual([]);
  }, TIMEOUT);
});
