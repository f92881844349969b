import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createModel, type LocalModel } from '@charms/model';
import { loadMetadata } from '@charms/manifest';
import { charmHookNames } from '../src/hook-names.js';

// `run` accepts only the hook names the unit's charm can have (issue 15, item 4), as
// juju/charm's hooks/hooks.go and Meta.Hooks() list them; anything else is refused and
// nothing is queued.

const recorder = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'recorder-charm');
const TIMEOUT = 120_000;
const models: LocalModel[] = [];
afterAll(() => Promise.all(models.map((m) => m.destroy())), TIMEOUT);

describe('run', { timeout: TIMEOUT }, () => {
  it('knows the hooks of a charm: unit hooks, and relation, storage and container hooks by name (Meta.Hooks)', () => {
    const names = charmHookNames({ ...loadMetadata(recorder), storage: { data: { type: 'filesystem' } }, containers: { workload: {} } } as never);
    expect(names).toEqual(expect.arrayContaining(['install', 'update-status', 'leader-elected', 'db-relation-joined', 'backend-relation-broken', 'cluster-relation-created', 'data-storage-attached', 'workload-pebble-ready']));
    expect(names).not.toContain('action');
    expect(names).not.toContain('nope-relation-joined');
  });

  it('refuses a hook name the charm cannot have, a path among them, and queues nothing', async () => {
    const model = await createModel();
    models.push(model);
    await model.deploy(recorder);
    const before = model.snapshot();
    for (const hook of ['../../../../bin/true', 'nope-relation-joined', 'hooks/install', '', 'install\n']) {
      await expect(model.run('recorder/0', hook)).rejects.toMatchObject({ code: 'INVALID_HOOK' });
    }
    expect(model.snapshot()).toEqual(before);
    expect((await model.run('recorder/0', 'db-relation-created')).map((r) => r.hook)).toEqual(['db-relation-created']);
    expect((await model.run('recorder/0', 'update-status')).map((r) => `${r.hook} ${r.ok}`)).toEqual(['update-status true']);
  });
});
