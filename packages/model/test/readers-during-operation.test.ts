import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createModel, type LocalModel } from '@charms/model';

// The model's readers (status, snapshot, config, …) read model.json; they must not
// replace the record an operation of the same LocalModel is working on. Called from
// onHook, they used to: the operation then went on from the last saved record, which
// lacked the hook that had just ended, and ran it again.

const charm = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'action-charm');
const TIMEOUT = 120_000;
const models: LocalModel[] = [];
afterAll(() => Promise.all(models.map((m) => m.destroy())), TIMEOUT);

describe('reading the model while one of its operations runs', () => {
  it('leaves the operation\'s record alone: every hook runs once', async () => {
    const hooks: string[] = [];
    let model: LocalModel | undefined;
    model = await createModel({
      onHook: (report) => {
        hooks.push(report.hook);
        // Every reader, as a test or a tool would call them between hooks.
        model!.status();
        model!.snapshot();
        model!.relations();
        model!.storage();
        model!.config('actions-demo');
      },
    });
    models.push(model);
    await model.deploy(charm);
    expect(hooks).toEqual(['install', 'cluster-relation-created', 'leader-elected', 'config-changed', 'start', 'data-storage-attached']);
    expect(model.snapshot().apps['actions-demo']!.units[0]!.queue).toEqual([]);
  }, TIMEOUT);
});
