import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCharm } from '@charms/build';
import { createModel, type LocalModel } from '@charms/model';
import { Secret, Service } from 'kubernetes-models/v1';
import { StatefulSet } from 'kubernetes-models/apps/v1';
import { parse, parseAllDocuments } from 'yaml';

const here = dirname(fileURLToPath(import.meta.url));
const example = join(here, '..');
const IMAGE = 'minio/minio:RELEASE.2021-09-24T00-24-24Z';
// Every hook starts Node and loads the charm: on a busy two-core machine a deploy takes
// seconds, a test of two applications or units a minute or more.
const TIMEOUT = 120_000;
let built: string;
let quiet: string;
let consumer: string;

/** Builds a copy of the example, changed by `edit`, into a temporary folder. */
async function buildVariant(edit?: (dir: string) => void): Promise<string> {
  const source = mkdtempSync(join(tmpdir(), 'minio-src-'));
  cpSync(example, source, { recursive: true, filter: (path) => !path.includes('/build') && !path.includes('/test') && !path.includes('node_modules') });
  edit?.(source);
  return (await buildCharm({ charmDir: source, outDir: join(mkdtempSync(join(tmpdir(), 'minio-built-')), 'minio') })).outDir;
}

beforeAll(async () => {
  [built, quiet, consumer] = await Promise.all([
    buildVariant(),
    buildVariant((dir) => writeFileSync(join(dir, 'layer.yaml'), 'includes: [layer:caas-base, layer:status, layer:docker-resource, interface:object-storage]\noptions:\n  docker-resource:\n    set-status: false\n')),
    buildCharm({ charmDir: join(here, 'fixtures', 'consumer'), outDir: join(mkdtempSync(join(tmpdir(), 'consumer-')), 'consumer') }).then((s) => s.outDir),
  ]);
}, 3 * TIMEOUT);

// Every model a test makes, deleted at the end.
const models: LocalModel[] = [];
afterAll(() => Promise.all(models.map((model) => model.destroy())), TIMEOUT);

async function deploy(options: Parameters<LocalModel['deploy']>[1] = { resources: { 'oci-image': IMAGE } }, charm = built) {
  const model = await createModel();
  models.push(model);
  await model.deploy(charm, options);
  return model;
}

const workload = (model: LocalModel, unit = 'minio/0') => model.status().applications.minio!.units[unit]!['workload-status'];
const spec = (model: LocalModel) => parse(model.podSpec('minio')!) as { containers: Record<string, any>[]; kubernetesResources: Record<string, any> };
const statusCalls = (model: LocalModel) => model.timeline().filter((e) => e.tool === 'status-set').map((e) => (e.argv ?? []).join(' '));

describe('the MinIO charm on the local model', { timeout: TIMEOUT }, () => {
  it('a clean deploy reaches active with the expected pod spec and manifests', async () => {
    const model = await deploy();
    expect(workload(model)).toMatchObject({ current: 'active', message: 'serving on port 9000' });
    const { containers, kubernetesResources } = spec(model);
    expect(containers).toEqual([
      expect.objectContaining({
        name: 'minio',
        imageDetails: { imagePath: IMAGE, username: '', password: '' },
        args: ['server', '/data', '--address', ':9000'],
        ports: [{ name: 'minio', containerPort: 9000 }],
        envConfig: {
          MINIO_ACCESS_KEY: { secret: { name: 'minio-secret', key: 'access-key' } },
          MINIO_SECRET_KEY: { secret: { name: 'minio-secret', key: 'secret-key' } },
        },
      }),
    ]);
    expect(containers[0]!.kubernetes.readinessProbe.httpGet).toEqual({ path: '/minio/health/ready', port: 9000 });
    expect(containers[0]!.kubernetes.livenessProbe.httpGet).toEqual({ path: '/minio/health/live', port: 9000 });
    expect(kubernetesResources.pod.annotations['minio.charm/config-hash']).toMatch(/^[0-9a-f]{64}$/);

    const documents = parseAllDocuments(readFileSync(model.manifestsPath('minio')!, 'utf8')).map((d) => d.toJS());
    expect(documents.map((d) => d.kind)).toEqual(['Secret', 'StatefulSet', 'Service']);
    new Secret(documents[0]).validate();
    new StatefulSet(documents[1]).validate();
    new Service(documents[2]).validate();
    expect(documents[1].spec.template.spec.containers[0].volumeMounts).toEqual([{ name: 'minio-minio-data', mountPath: '/data' }]);
    expect(documents[1].spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('10G');
    expect(statusCalls(model).filter((s) => s.startsWith('maintenance'))).toEqual([
      'maintenance -- fetching resource: oci-image',
      'maintenance -- configuring container',
      'maintenance -- creating container',
    ]);
  });

  it('without the resource it is blocked; attach-resource makes it active', async () => {
    const model = await deploy({});
    expect(workload(model)).toMatchObject({ current: 'blocked', message: 'unable to fetch resource: oci-image' });
    expect(model.podSpec('minio')).toBeUndefined();
    await model.attachResource('minio', 'oci-image', IMAGE);
    expect(workload(model)).toMatchObject({ current: 'active', message: 'serving on port 9000' });
    expect(spec(model).containers[0]!.imageDetails.imagePath).toBe(IMAGE);
  });

  it('a config change sets a new pod spec and updates the relation data', async () => {
    const model = await deploy();
    await model.deploy(consumer, {});
    await model.relate('consumer', 'minio');
    const published = () => model.snapshot().relations[0]!.data['minio/0'];
    // What the charm publishes, beside the address settings Juju writes as minio/0 enters the scope.
    const address = model.status().applications.minio!.units['minio/0']!.address;
    expect(published()).toEqual({
      service: 'minio',
      namespace: 'local',
      port: '9000',
      'access-key': 'minio',
      'secret-key': 'minio123',
      secure: 'false',
      'egress-subnets': `${address}/32`,
      'ingress-address': address,
      'private-address': address,
    });
    const hashBefore = spec(model).kubernetesResources.pod.annotations['minio.charm/config-hash'];

    await model.setConfig('minio', { port: '9001', 'secret-key': 'a-better-secret' });
    expect(spec(model).containers[0]!.ports).toEqual([{ name: 'minio', containerPort: 9001 }]);
    expect(spec(model).kubernetesResources.pod.annotations['minio.charm/config-hash']).not.toBe(hashBefore);
    expect(published()).toMatchObject({ port: '9001', 'secret-key': 'a-better-secret' });
    expect(model.timeline('consumer/0').some((e) => e.hook === 'object-storage-relation-changed' && e.kind === 'commit')).toBe(true);
    expect(workload(model)).toMatchObject({ current: 'active', message: 'serving on port 9001' });
  });

  it.each([
    [{ port: '70000' }, 'port must be between 1 and 65535, not 70000'],
    [{ 'access-key': 'ab' }, 'access-key must be at least 3 characters long'],
    [{ 'secret-key': 'short' }, 'secret-key must be at least 8 characters long'],
  ])('invalid config %j: blocked with a clear message, the previous pod spec kept', async (config, message) => {
    const model = await deploy();
    const before = model.snapshot().apps.minio!.podSpec;
    await model.setConfig('minio', config);
    expect(workload(model)).toMatchObject({ current: 'blocked', message });
    expect(model.snapshot().apps.minio!.podSpec).toEqual(before);
  });

  it('with two units only the leader sets the pod spec; the other waits, saying why', async () => {
    const model = await deploy({ resources: { 'oci-image': IMAGE }, units: 2 });
    expect(workload(model, 'minio/0').current).toBe('active');
    expect(workload(model, 'minio/1')).toMatchObject({ current: 'waiting', message: 'waiting for the leader to set the pod spec' });
    // minio/1 asked whether it leads (so its tool calls are in the timeline) and set no pod spec.
    const tools = model.timeline('minio/1').filter((e) => e.kind === 'tool').map((e) => e.tool);
    expect(tools).toContain('is-leader');
    expect(tools).not.toContain('pod-spec-set');
  });

  it('with set-status false the layer sets no status of its own', async () => {
    const model = await deploy({}, quiet);
    // Without the image the charm waits, and nothing sets a status: not "fetching", not "blocked".
    expect(statusCalls(model)).toEqual([]);
    await model.attachResource('minio', 'oci-image', IMAGE);
    // Then the charm's own statuses, and none about the resource.
    expect(statusCalls(model)).toContain('active -- serving on port 9000');
    expect(statusCalls(model).some((s) => s.includes('resource'))).toBe(false);
    expect(workload(model).current).toBe('active');
  });

  it('never shows the secret key in logs, the timeline, the status or plain environment values', async () => {
    const secret = 'Sup3r-S3cret-Key';
    const model = await deploy({ resources: { 'oci-image': IMAGE }, config: { 'secret-key': secret } });
    await model.run('minio/0', 'update-status');
    const seen = [JSON.stringify(model.log()), JSON.stringify(model.timeline()), JSON.stringify(model.status())].join('\n');
    expect(seen).not.toContain(secret);
    const statefulSet = parseAllDocuments(readFileSync(model.manifestsPath('minio')!, 'utf8')).map((d) => d.toJS()).find((d) => d.kind === 'StatefulSet');
    const env = statefulSet.spec.template.spec.containers[0].env as { name: string; value?: string; valueFrom?: unknown }[];
    // Both keys are in the environment, and both come from the Secret, not as plain values.
    expect(env.map((e) => e.name).sort()).toEqual(['MINIO_ACCESS_KEY', 'MINIO_SECRET_KEY']);
    expect(env.filter((e) => e.value !== undefined || e.valueFrom === undefined)).toEqual([]);
    // The log holds the hooks' lines, and no warning about the default key.
    expect(model.log().map((l) => l.message)).toContain('Reactive main running for hook update-status');
    expect(model.log().some((l) => l.level === 'WARNING' && l.message.includes('secret-key is still the default'))).toBe(false);
  });

  it('warns in the log while the default secret-key is in use', async () => {
    const model = await deploy();
    expect(model.log().some((l) => l.level === 'WARNING' && l.message.startsWith('secret-key is still the default'))).toBe(true);
  });

  it('the show-endpoint action gives the Service address with the configured port, and refuses a scheme its schema does not allow', async () => {
    const model = await deploy();
    await model.setConfig('minio', { port: 9001 });
    const shown = await model.runAction('minio/0', 'show-endpoint');
    expect(shown).toMatchObject({ status: 'completed' });
    expect(shown.results).toMatchObject({ endpoint: { url: 'http://minio.local.svc.cluster.local:9001', host: 'minio.local.svc.cluster.local', port: '9001' } });
    expect((await model.runAction('minio/0', 'show-endpoint', { scheme: 'https' })).results).toMatchObject({ endpoint: { url: 'https://minio.local.svc.cluster.local:9001' } });
    await expect(model.runAction('minio/0', 'show-endpoint', { scheme: 'ftp' })).rejects.toMatchObject({ code: 'INVALID_ACTION', message: expect.stringContaining('validation failed') });
  });
});
