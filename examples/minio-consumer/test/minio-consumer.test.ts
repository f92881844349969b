import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCharm } from '@charms/build';
import { createModel, type LocalModel } from '@charms/model';

const here = dirname(fileURLToPath(import.meta.url));
const IMAGE = 'minio/minio:RELEASE.2021-09-24T00-24-24Z';
const SECRET = 'Sup3r-S3cret-Key';
// Every hook starts Node and loads a charm: on a busy two-core machine a test of two
// applications related takes a minute or more.
const TIMEOUT = 120_000;
let minio: string;
let consumer: string;

const build = (dir: string, name: string) => buildCharm({ charmDir: dir, outDir: join(mkdtempSync(join(tmpdir(), `${name}-built-`)), name) }).then((s) => s.outDir);

beforeAll(async () => {
  [minio, consumer] = await Promise.all([build(join(here, '..', '..', 'minio'), 'minio'), build(join(here, '..'), 'minio-consumer')]);
}, 360_000);

const models: LocalModel[] = [];
afterAll(() => Promise.all(models.map((model) => model.destroy())), TIMEOUT);

const workload = (model: LocalModel) => model.status().applications['minio-consumer']!.units['minio-consumer/0']!['workload-status'];

describe('the MinIO consumer on the local model', { timeout: TIMEOUT }, () => {
  it('is blocked alone; related to MinIO it reads the endpoint and credentials, and never shows the secret key', async () => {
    const model = await createModel();
    models.push(model);
    await model.deploy(minio, { resources: { 'oci-image': IMAGE }, config: { 'secret-key': SECRET } });
    await model.deploy(consumer, {});
    expect(workload(model)).toMatchObject({ current: 'blocked', message: 'needs an object-storage relation (charms relate minio-consumer minio)' });

    await model.relate('minio-consumer', 'minio');
    expect(workload(model)).toMatchObject({ current: 'active', message: 'using http://minio.local:9000 as minio' });
    // The consumer's hook that saw MinIO's data committed.
    expect(model.timeline('minio-consumer/0').some((e) => e.hook === 'object-storage-relation-changed' && e.kind === 'commit')).toBe(true);

    // A new port and access key reach the consumer.
    await model.setConfig('minio', { port: '9001', 'access-key': 'consumer' });
    expect(workload(model)).toMatchObject({ current: 'active', message: 'using http://minio.local:9001 as consumer' });

    const seen = [JSON.stringify(model.log()), JSON.stringify(model.timeline()), JSON.stringify(model.status())].join('\n');
    expect(seen).not.toContain(SECRET);
    // The secret did travel: it is in MinIO's bag of the relation, as on Juju 2.9.
    expect(model.snapshot().relations[0]!.data['minio/0']).toMatchObject({ 'secret-key': SECRET, 'access-key': 'consumer', port: '9001' });
  });

  it('waits while the provider has sent nothing, and is blocked again once the relation is gone', async () => {
    const model = await createModel();
    models.push(model);
    // MinIO without its image publishes anyway (it needs no pod to say where it will be),
    // so use a MinIO whose config is invalid: it publishes nothing.
    await model.deploy(minio, { resources: { 'oci-image': IMAGE }, config: { port: '70000' } });
    await model.deploy(consumer, {});
    await model.relate('minio-consumer', 'minio');
    expect(workload(model)).toMatchObject({ current: 'waiting', message: 'waiting for object storage credentials' });

    await model.setConfig('minio', { port: '9000' });
    expect(workload(model)).toMatchObject({ current: 'active', message: 'using http://minio.local:9000 as minio' });

    await model.unrelate('minio-consumer', 'minio');
    expect(workload(model)).toMatchObject({ current: 'blocked' });
  });
});
