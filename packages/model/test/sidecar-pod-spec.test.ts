import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createModel, type LocalModel } from '@charms/model';
import { temporaryFolders } from './helpers/temp-folders.js';

// pod-spec-set / k8s-spec-set / k8s-raw-set from a sidecar charm (metadata containers:).
// Juju 3.x refuses a k8s spec only from an operator charm (state/podspec_ops.go: "cannot
// set k8s spec on an operator charm"); a sidecar charm's spec it keeps and never applies.
// The local model refuses it at the call, in that form (the app record's `sidecar`
// reaches the tool emulator): a deliberate difference, documented in the hooktools reference.

const fixture = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'sidecar-pod-spec');
const TIMEOUT = 120_000;
const folder = temporaryFolders('sidecar-pod-spec');
const models: LocalModel[] = [];
afterAll(() => Promise.all(models.map((m) => m.destroy())), TIMEOUT);

describe('the spec tools in a sidecar charm of the local model', { timeout: TIMEOUT }, () => {
  it('refuse pod-spec-set, k8s-spec-set and k8s-raw-set with exit 1 and say what to use instead, and commit no spec', async () => {
    const hooks: string[] = [];
    const model = await createModel({ dir: folder(), onHook: (r) => hooks.push(`${r.hook}${r.ok ? '' : ' FAILED'}`) });
    models.push(model);
    await model.deploy(fixture, { resources: { 'workload-image': 'ghcr.io/example/workload:1.0' } });
    expect(hooks).toContain('start');
    const answers = model
      .log('sidecar-spec/0')
      .map((line) => line.message.replace(/^[a-z-]+:\d+: /, ''))
      .filter((message) => /^(pod-spec-set|k8s-spec-set|k8s-raw-set) exit=/.test(message));
    expect(answers).toHaveLength(3);
    for (const [index, tool] of ['pod-spec-set', 'k8s-spec-set', 'k8s-raw-set'].entries()) {
      expect(answers[index]).toMatch(new RegExp(`^${tool} exit=1 ERROR cannot set k8s spec on a sidecar charm: sidecar-spec declares containers in metadata\\.yaml.*layer:sidecar planLayer\\)$`));
    }
    expect(model.podSpec('sidecar-spec')).toBeUndefined();
  });
});
