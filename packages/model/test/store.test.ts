import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packCharm } from '@charms/build';
import { ModelError } from '@charms/model';
import { copyCharm, installCharm, withStagedCharm } from '../src/charm-staging.js';
import { emptyModel, type AppRecord } from '../src/model-state.js';
import { ModelStore } from '../src/model-store.js';
import { temporaryFolders } from './helpers/temp-folders.js';

// The model folder and charm staging, without running a hook.

const folder = temporaryFolders('charms-store');

function charm(dir: string, options: { dispatch?: boolean } = {}): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'metadata.yaml'), 'name: kv\nsummary: s\ndescription: d\nseries: [kubernetes]\n');
  if (options.dispatch !== false) writeFileSync(join(dir, 'dispatch'), '#!/bin/sh\n', { mode: 0o755 });
  return dir;
}

describe('the model store', () => {
  it('prepares an empty model, with run/ readable by the user only', () => {
    const store = new ModelStore(join(folder(), 'model'));
    store.prepare();
    expect(store.load()).toEqual(emptyModel());
    expect(statSync(store.file('run')).mode & 0o777).toBe(0o700);
  });

  it('writes model.json whole, through a temporary file that does not stay', () => {
    const store = new ModelStore(folder());
    store.prepare();
    store.save({ ...emptyModel(), clock: 42 });
    expect(store.load().clock).toBe(42);
    expect(readdirSync(store.dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    expect(statSync(store.file('model.json')).mode & 0o777).toBe(0o600);
  });

  it('refuses a model.json it cannot read with MODEL_CORRUPT, and leaves the file as it is', () => {
    const store = new ModelStore(folder());
    writeFileSync(store.file('model.json'), '{ half');
    const error = (() => {
      try {
        store.load();
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ModelError);
    expect(error).toMatchObject({ code: 'MODEL_CORRUPT' });
    expect(readFileSync(store.file('model.json'), 'utf8')).toBe('{ half');
  });

  it('checks the shape of a model.json it did not write, even one changed under it since its own write', () => {
    const store = new ModelStore(folder());
    store.prepare();
    const edited = JSON.stringify({ ...emptyModel(), hookCounter: 'three' });
    writeFileSync(store.file('model.json'), edited);
    expect(() => store.load()).toThrow(expect.objectContaining({ code: 'MODEL_CORRUPT', problems: [expect.stringContaining('hookCounter')] }));
    expect(readFileSync(store.file('model.json'), 'utf8')).toBe(edited);
  });

  it('reads back the record it wrote without checking it again; another store checks it (issue 20)', () => {
    const store = new ModelStore(folder());
    store.prepare();
    // A shape the check refuses, written by this store: what it wrote, it does not read twice.
    const record = { ...emptyModel(), hookCounter: -1 };
    store.save(record);
    expect(store.load()).toEqual(record);
    expect(() => new ModelStore(store.dir).load()).toThrow(expect.objectContaining({ code: 'MODEL_CORRUPT', problems: [expect.stringContaining('hookCounter')] }));
  });

  it('does not write again a record whose text it has just written (flushed, when asked); it does after another wrote the file (issue 20)', async () => {
    const store = new ModelStore(folder());
    store.prepare();
    const inode = (): number => statSync(store.file('model.json')).ino;
    const record = { ...emptyModel(), clock: 7 };
    store.save(record, { durable: false });
    const unflushed = inode();
    store.save(record, { durable: false });
    expect(inode()).toBe(unflushed);
    // Asked to be durable, a text written without the flushes is written again with them.
    store.save(record);
    const flushed = inode();
    expect(flushed).not.toBe(unflushed);
    store.save(record);
    store.save(record, { durable: false });
    expect(inode()).toBe(flushed);
    // Another writer: read back as it is, then the record saved again is written.
    writeFileSync(store.file('model.json'), JSON.stringify({ ...emptyModel(), clock: 8 }));
    expect(store.load().clock).toBe(8);
    store.save(record);
    expect(store.load().clock).toBe(7);
    // Taking the lock forgets what this store wrote: another command may have written since.
    const written = inode();
    const release = await store.lock();
    store.save(record);
    expect(inode()).not.toBe(written);
    await release();
  });

  it("parses an application's metadata.yaml and config.yaml once while they stay the same files, again when they change (issue 20)", () => {
    const store = new ModelStore(folder());
    const app: AppRecord = { name: 'kv', charm: 'kv', charmDir: 'charms/kv', revision: 1, config: {}, resources: {}, units: [], nextUnit: 0, leaderSettings: {} };
    charm(store.file(app.charmDir));
    const first = store.metadata(app);
    expect(store.metadata(app)).toBe(first);
    expect(store.configYaml(app)).toBeUndefined();
    writeFileSync(store.file(app.charmDir, 'metadata.yaml'), 'name: kv\nsummary: changed\ndescription: d\nseries: [kubernetes]\n');
    expect(store.metadata(app).summary).toBe('changed');
    writeFileSync(store.file(app.charmDir, 'config.yaml'), 'options:\n  port: {type: int, default: 80}\n');
    expect(store.configYaml(app)?.options?.port?.default).toBe(80);
    writeFileSync(store.file(app.charmDir, 'metadata.yaml'), 'name: [not, a, name]\n');
    expect(() => store.metadata(app)).toThrow(expect.objectContaining({ name: 'ManifestError' }));
    expect(() => store.metadata(app)).toThrow(expect.objectContaining({ name: 'ManifestError' }));
  });

  it('renders a pod spec once for the check and the commit; another spec, scale or metadata renders again (issue 20)', () => {
    const store = new ModelStore(folder());
    const app: AppRecord = { name: 'kv', charm: 'kv', charmDir: 'charms/kv', revision: 1, config: {}, resources: {}, units: [], nextUnit: 0, leaderSettings: {} };
    charm(store.file(app.charmDir));
    const spec = 'version: 3\ncontainers:\n  - name: kv\n    image: kv:1\n    ports: [{name: http, containerPort: 80}]\n';
    const checked = store.render(app, spec, undefined);
    expect(store.render(app, spec, undefined)).toBe(checked);
    const other = store.render(app, spec.replace('kv:1', 'kv:2'), undefined);
    expect(other).not.toBe(checked);
    expect(other.yaml).toContain('image: kv:2');
    const scaled = store.render({ ...app, units: [{} as AppRecord['units'][number], {} as AppRecord['units'][number]] }, spec, undefined);
    expect(scaled.yaml).toContain('replicas: 2');
    writeFileSync(store.file(app.charmDir, 'metadata.yaml'), 'name: kv\nsummary: s\ndescription: d\nseries: [kubernetes]\ndeployment: {type: stateful}\n');
    expect(store.render(app, spec, undefined).yaml).toContain('kind: StatefulSet');
  });

  it('appends log and timeline entries and reads them back in order', () => {
    const store = new ModelStore(folder());
    store.log({ time: 't1', unit: 'kv/0', hook: 'install', level: 'INFO', message: 'one' });
    store.log({ time: 't2', unit: 'kv/0', hook: 'install', level: 'DEBUG', message: 'two' });
    store.timeline({ time: 't1', unit: 'kv/0', hook: 'install', kind: 'hook-start', trace: 'traces/1.json' });
    expect(store.readLog().map((entry) => entry.message)).toEqual(['one', 'two']);
    expect(store.readTimeline()).toEqual([{ time: 't1', unit: 'kv/0', hook: 'install', kind: 'hook-start', trace: 'traces/1.json' }]);
    expect(new ModelStore(folder()).readLog()).toEqual([]);
  });

  it('destroy deletes the folder, lock last', async () => {
    const store = new ModelStore(join(folder(), 'gone'));
    store.prepare();
    await store.destroy();
    expect(existsSync(store.dir)).toBe(false);
    await store.destroy();
  });
});

describe('charm staging', () => {
  it('stages a built charm with its metadata, and deletes the staging folder afterwards', async () => {
    const model = folder();
    const source = charm(join(folder(), 'kv'));
    let staged = '';
    const name = await withStagedCharm(model, source, ({ charmDir, metadata }) => {
      staged = charmDir;
      expect(existsSync(join(charmDir, 'dispatch'))).toBe(true);
      return metadata.name;
    });
    expect(name).toBe('kv');
    expect(existsSync(staged)).toBe(false);
    expect(readdirSync(model)).toEqual([]);
  });

  it('unpacks a .charm, keeping its executable bits; a file that is not a zip is INVALID_CHARM', async () => {
    const built = charm(join(folder(), 'kv'));
    writeFileSync(join(built, '.build.manifest'), '{}'); // what packCharm checks for, and leaves out
    const file = join(folder(), 'kv.charm');
    await packCharm({ builtDir: built, output: file });
    const unpacked = await withStagedCharm(folder(), file, ({ charmDir, metadata }) => ({
      name: metadata.name,
      dispatchMode: statSync(join(charmDir, 'dispatch')).mode & 0o777,
    }));
    expect(unpacked).toEqual({ name: 'kv', dispatchMode: 0o755 });
    const notZip = join(folder(), 'not.charm');
    writeFileSync(notZip, 'plain text');
    await expect(withStagedCharm(folder(), notZip, () => 'used')).rejects.toMatchObject({ code: 'INVALID_CHARM', message: expect.stringContaining('is not a .charm (zip) file') });
  });

  it('refuses a charm that was not built (no dispatch): INVALID_CHARM, and leaves nothing', async () => {
    const model = folder();
    const error = await withStagedCharm(model, charm(join(folder(), 'kv'), { dispatch: false }), () => 'used').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'INVALID_CHARM', message: expect.stringContaining('charms build') });
    expect(readdirSync(model)).toEqual([]);
  });

  it('installs a staged charm in place of the old one, and gives each unit a copy that keeps its state file', async () => {
    const model = folder();
    const target = join(model, 'charms', 'kv');
    await withStagedCharm(model, charm(join(folder(), 'kv')), ({ charmDir }) => installCharm(charmDir, target));
    const unitDir = join(model, 'units', 'kv-0');
    copyCharm(target, unitDir);
    writeFileSync(join(unitDir, 'charm', '.unit-state.json'), '{"flags":{}}');
    writeFileSync(join(target, 'new-file'), 'v2');
    copyCharm(target, unitDir);
    expect(readFileSync(join(unitDir, 'charm', 'new-file'), 'utf8')).toBe('v2');
    expect(readFileSync(join(unitDir, 'charm', '.unit-state.json'), 'utf8')).toBe('{"flags":{}}');
  });
});

describe('deploy under an application name', () => {
  // juju/names application.go: each part after a hyphen needs a letter, so foo-2 and a--b
  // are no application names; the scheduler's own guard lets both through.
  it.each(['foo-2', 'a--b', 'Kv', '2kv'])('refuses %j as Juju does, before anything is staged', async (app) => {
    const { createModel } = await import('@charms/model');
    const model = await createModel({ dir: folder() });
    const error = await model.deploy(charm(join(folder(), 'kv')), { app }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'INVALID_CHARM', message: expect.stringContaining(JSON.stringify(app)) });
    expect(model.status().applications).toEqual({});
    await model.destroy();
  });
});
