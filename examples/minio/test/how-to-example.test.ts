// The code of docs/how-to/test-with-the-local-model.md, run against the MinIO example.
// Change the page and this file together.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildCharm } from '@charms/build';
import { createModel, type LocalModel } from '@charms/model';

const here = dirname(fileURLToPath(import.meta.url));
const IMAGE = 'minio/minio:RELEASE.2021-09-24T00-24-24Z';

let builds: string; // one temporary folder for every build of this file
let minio: string; // the built MinIO charm
let consumer: string; // a second charm to relate to

beforeAll(async () => {
  builds = mkdtempSync(join(tmpdir(), 'minio-test-'));
  [minio, consumer] = await Promise.all([
    buildCharm({ charmDir: join(here, '..'), outDir: join(builds, 'minio') }).then((b) => b.outDir),
    buildCharm({ charmDir: join(here, 'fixtures', 'consumer'), outDir: join(builds, 'consumer') }).then((b) => b.outDir),
  ]);
}, 120_000);

afterAll(() => rmSync(builds, { recursive: true, force: true }));

let model: LocalModel;

beforeEach(async () => {
  model = await createModel();
});

afterEach(() => model.destroy());

const workload = (unit = 'minio/0') => model.status().applications.minio!.units[unit]!['workload-status'];

describe('MinIO on the local model', () => {
  it('deploys with its image, then follows a config change', async () => {
    await model.deploy(minio, { resources: { 'oci-image': IMAGE } });
    expect(workload()).toMatchObject({ current: 'active', message: 'serving on port 9000' });
    expect(model.podSpec('minio')).toContain(`imagePath: ${IMAGE}`);

    await model.setConfig('minio', { port: 9001 });
    expect(model.podSpec('minio')).toContain('containerPort: 9001');
    expect(workload().message).toBe('serving on port 9001');

    // A value of the wrong type never reaches the charm: the model refuses it.
    await expect(model.setConfig('minio', { port: 'nine' })).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
  }, 60_000);

  it('puts a unit whose hook failed in error until it is resolved', async () => {
    await model.deploy(minio, { resources: { 'oci-image': IMAGE } });

    // A copy of the build whose code throws as it loads: every hook of it fails.
    const broken = join(builds, 'broken');
    cpSync(minio, broken, { recursive: true });
    writeFileSync(join(broken, 'dist', 'charm.cjs'), "throw new Error('broken on purpose');\n");

    await model.upgrade('minio', broken);
    expect(workload()).toMatchObject({ current: 'error', message: 'hook failed: "upgrade-charm"' });
    expect(model.log('minio/0').some((line) => line.message.includes('broken on purpose'))).toBe(true);

    await model.upgrade('minio', minio); // the fix: the good build again
    const reports = await model.resolve('minio/0'); // runs upgrade-charm again, then the rest
    expect(reports.map((r) => `${r.hook} ${r.ok}`)).toEqual([
      'upgrade-charm true',
      'config-changed true',
      'upgrade-charm true',
      'config-changed true',
    ]);
    expect(workload().current).toBe('active');
  }, 60_000);

  it('publishes its endpoint to a related application', async () => {
    await model.deploy(minio, { resources: { 'oci-image': IMAGE } });
    await model.deploy(consumer);
    await model.relate('consumer', 'minio');

    const relation = model.snapshot().relations[0]!;
    expect(relation.data['minio/0']).toMatchObject({ service: 'minio', port: '9000' });
    expect(model.hooks('consumer/0').map((h) => h.hook)).toContain('object-storage-relation-changed');
    const firstSet = model.timeline('minio/0').find((e) => e.kind === 'tool' && e.tool === 'relation-set');
    expect(firstSet).toMatchObject({ hook: 'object-storage-relation-joined', exitCode: 0 });
  }, 60_000);

  it('runs update-status when the virtual clock passes five minutes, once however far it jumps', async () => {
    await model.deploy(minio, { resources: { 'oci-image': IMAGE } });
    // As Juju's update-status timer, which fires once after a jump (issue 14).
    const reports = await model.tick(10 * 60_000);
    expect(reports.map((r) => `${r.unit} ${r.hook}`)).toEqual(['minio/0 update-status']);
    expect(workload().current).toBe('active');
  }, 60_000);

  it('hands the pod spec to a new leader when the leader goes', async () => {
    await model.deploy(minio, { resources: { 'oci-image': IMAGE } });
    await model.addUnit('minio');
    expect(workload('minio/1')).toMatchObject({ current: 'waiting', message: 'waiting for the leader to set the pod spec' });

    await model.removeUnit('minio/0');
    expect(model.status().applications.minio!.units['minio/1']!.leader).toBe(true);
    expect(workload('minio/1').current).toBe('active');
  }, 60_000);
});
