import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCharm } from '@charms/build';
import { createModel, type LocalModel } from '@charms/model';

// The MinIO sidecar charm on the local model, deployed without --run-workloads: there is
// no minio executable here, and no stand-in, so Pebble refuses to start the service and
// the charm says so. What is tested is what the charm asks of Pebble: the plan, the
// checks, the credentials file, and a new plan on a config change.

const here = dirname(fileURLToPath(import.meta.url));
const example = join(here, '..');
const consumerFixture = join(here, '..', '..', 'minio', 'test', 'fixtures', 'consumer');
const IMAGE = 'minio/minio:RELEASE.2024-06-13T22-53-53Z';
const APP = 'minio-sidecar';
// A deploy runs six hooks, each a Node process: seconds on a busy two-core machine.
const TIMEOUT = 120_000;
const NOT_RUN = 'container minio: cannot start service: the local model runs no workloads, so "minio" was not run (deploy with --run-workloads to run services as local processes)';
let builds: string; // one temporary folder for both builds
let built: string;
let consumer: string;

beforeAll(async () => {
  builds = mkdtempSync(join(tmpdir(), 'minio-sidecar-'));
  [built, consumer] = await Promise.all([
    buildCharm({ charmDir: example, outDir: join(builds, APP) }).then((s) => s.outDir),
    buildCharm({ charmDir: consumerFixture, outDir: join(builds, 'consumer') }).then((s) => s.outDir),
  ]);
}, 2 * TIMEOUT);

const models: LocalModel[] = [];
afterAll(async () => {
  await Promise.all(models.map((model) => model.destroy()));
  rmSync(builds, { recursive: true, force: true });
}, TIMEOUT);

async function deploy(config: Record<string, string | number> = {}) {
  const model = await createModel();
  models.push(model);
  await model.deploy(built, { resources: { 'minio-image': IMAGE }, config });
  return model;
}

const unitDir = (model: LocalModel) => join(model.dir, 'units', `${APP}-0`);
/** The layers the model's Pebble kept (labels and order as the charm added them). */
const layers = (model: LocalModel) => JSON.parse(readFileSync(join(unitDir(model), 'pebble', 'minio', 'plan.json'), 'utf8')) as { label: string; services?: Record<string, any>; checks?: Record<string, any> }[];
/** The plan they make: each service and check from the last layer that has it (the charm's entries replace). */
const plan = (model: LocalModel) => ({
  services: Object.assign({}, ...layers(model).map((layer) => layer.services ?? {})) as Record<string, any>,
  checks: Object.assign({}, ...layers(model).map((layer) => layer.checks ?? {})) as Record<string, any>,
});
const credentials = (model: LocalModel) => join(unitDir(model), 'containers', 'minio', 'etc', 'minio', 'credentials.env');
const workload = (model: LocalModel) => model.status().applications[APP]!.units[`${APP}/0`]!['workload-status'];
const statusCalls = (model: LocalModel) => model.timeline().filter((e) => e.tool === 'status-set').map((e) => (e.argv ?? []).filter((a) => a !== '--').join(' '));

describe('the MinIO sidecar charm on the local model', { timeout: TIMEOUT }, () => {
  it('waits for its container, then on minio-pebble-ready declares the plan with its checks and is blocked with Pebble\'s reason the service did not start', async () => {
    const model = await deploy();
    const hooks = model.timeline().filter((e) => e.kind === 'commit').map((e) => e.hook);
    expect(hooks.at(-1)).toBe('minio-pebble-ready');
    // Before pebble-ready (install … start), layer:sidecar waits; then Pebble's refusal.
    expect(statusCalls(model)).toContain('waiting waiting for container minio');
    expect(statusCalls(model).at(-1)).toBe(`blocked ${NOT_RUN}`);
    expect(workload(model)).toMatchObject({ current: 'blocked', message: NOT_RUN });

    // The layer the charm added, under its own label (the model keeps labels between commands).
    expect(layers(model).map((layer) => layer.label)).toEqual(['minio']);
    const { services, checks } = plan(model);
    expect(services.minio).toMatchObject({
      command: 'minio server /data --address :9000',
      startup: 'enabled',
      environment: { MINIO_CONFIG_ENV_FILE: '/etc/minio/credentials.env' },
      'on-check-failure': { 'minio-live': 'restart' },
    });
    expect(checks['minio-live']).toMatchObject({ level: 'alive', http: { url: 'http://localhost:9000/minio/health/live' } });
    expect(checks['minio-ready']).toMatchObject({ level: 'ready', http: { url: 'http://localhost:9000/minio/health/ready' } });
    // config.yaml's secret key: the warning (examples/minio's) names this application's command.
    expect(model.log().filter((l) => l.level === 'WARNING').map((l) => l.message)).toContain('secret-key is still the default: set your own with `charms config minio-sidecar secret-key=...`');
  });

  it('pushes the credentials as a file only its owner reads, never into the plan, the logs or the status', async () => {
    const secret = 'Sup3r-S3cret-Key';
    const model = await deploy({ 'secret-key': secret });
    expect(readFileSync(credentials(model), 'utf8')).toBe(`MINIO_ROOT_USER=minio\nMINIO_ROOT_PASSWORD=${secret}\n`);
    expect(statSync(credentials(model)).mode & 0o777).toBe(0o600);
    const seen = [JSON.stringify(plan(model)), JSON.stringify(model.log()), JSON.stringify(model.timeline()), JSON.stringify(model.status())].join('\n');
    expect(seen).not.toContain(secret);
    expect(model.log().some((l) => l.level === 'WARNING' && l.message.includes('secret-key is still the default'))).toBe(false);
  });

  it('replans with a new plan on a config change (port in the command and the checks) and writes new credentials', async () => {
    const model = await deploy();
    await model.setConfig(APP, { port: '9001', 'secret-key': 'a-better-secret' });
    const { services, checks } = plan(model);
    expect(services.minio.command).toBe('minio server /data --address :9001');
    expect(checks['minio-ready'].http.url).toBe('http://localhost:9001/minio/health/ready');
    expect(readFileSync(credentials(model), 'utf8')).toContain('MINIO_ROOT_PASSWORD=a-better-secret\n');
    // The replan was tried again with the new plan, and refused again for the same reason.
    expect(model.log().filter((l) => l.level === 'ERROR' && l.message.startsWith('container minio: the replan failed')).length).toBe(2);
    expect(workload(model)).toMatchObject({ current: 'blocked', message: NOT_RUN });
  });

  it.each([
    [{ port: '70000' }, 'port must be between 1 and 65535, not 70000'],
    [{ 'access-key': 'ab' }, 'access-key must be at least 3 characters long'],
    [{ 'secret-key': 'short' }, 'secret-key must be at least 8 characters long'],
    // Its own check: each key is one line of the credentials file.
    [{ 'secret-key': 'two\nlines-of-it' }, 'access-key and secret-key must be one line each'],
  ])('invalid config %j: blocked with examples/minio\'s message or its own, the plan kept', async (config, message) => {
    const model = await deploy();
    const before = plan(model);
    await model.setConfig(APP, config);
    expect(workload(model)).toMatchObject({ current: 'blocked', message });
    expect(plan(model)).toEqual(before);
  });

  it('publishes the endpoint and credentials on object-storage, and a config change reaches the consumer', async () => {
    const model = await deploy();
    await model.deploy(consumer, {});
    await model.relate('consumer', APP);
    const published = () => model.snapshot().relations[0]!.data[`${APP}/0`];
    expect(published()).toMatchObject({ service: APP, namespace: 'local', port: '9000', 'access-key': 'minio', 'secret-key': 'minio123', secure: 'false' });
    await model.setConfig(APP, { port: '9001' });
    expect(published()).toMatchObject({ port: '9001' });
  });
});
