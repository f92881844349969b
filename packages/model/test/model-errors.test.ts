import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createModel, renderManifests, type LocalModel } from '@charms/model';

// Where a user of the library lands with a bad value, the model throws ModelError with a
// stable code, not Node's or a plain Error.

const models: LocalModel[] = [];
afterAll(() => {
  for (const model of models) rmSync(model.dir, { recursive: true, force: true });
});

describe('typed errors of the model', () => {
  it('deploy of a charm that does not exist: NOT_FOUND, naming it, and nothing deployed', async () => {
    const model = await createModel();
    models.push(model);
    const nowhere = join(model.dir, 'nowhere');
    await expect(model.deploy(nowhere)).rejects.toMatchObject({ name: 'ModelError', code: 'NOT_FOUND', message: expect.stringContaining(nowhere) });
    expect(model.snapshot().apps).toEqual({});
  });

  it('renderManifests of a spec Kubernetes would refuse: INVALID_POD_SPEC, naming the object', () => {
    const spec = 'version: 3\ncontainers: [{name: kv, imageDetails: {imagePath: example/kv:1}, kubernetes: {readinessProbe: soon}}]\n';
    expect(() => renderManifests({ app: 'kv', scale: 1, spec })).toThrow(expect.objectContaining({ name: 'ModelError', code: 'INVALID_POD_SPEC', message: expect.stringContaining('Deployment kv') }));
  });

  it('renderManifests takes the secrets and pod annotations @charms/manifest types', () => {
    const spec = 'version: 3\ncontainers: [{name: kv, imageDetails: {imagePath: example/kv:1}}]\nkubernetesResources:\n  pod: {annotations: {a: b}}\n  secrets: [{name: creds, type: Opaque, stringData: {key: value}}]\n';
    const { objects } = renderManifests({ app: 'kv', scale: 1, spec });
    expect(objects.map((o) => o.kind)).toEqual(['Secret', 'Deployment']);
    expect(objects[0]).toMatchObject({ metadata: { name: 'creds' }, stringData: { key: 'value' } });
    expect(objects[1]).toMatchObject({ spec: { template: { metadata: { annotations: { a: 'b' } } } } });
  });
});
