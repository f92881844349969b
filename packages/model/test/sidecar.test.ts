import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { StatefulSet } from 'kubernetes-models/apps/v1';
import { readCharmYaml } from '@charms/manifest';
import { createModel, type LocalModel } from '@charms/model';
import { closedPort } from './helpers/closed-port.js';
import { temporaryFolders } from './helpers/temp-folders.js';

// Sidecar charms (Juju 3.x, metadata containers:) in the local model (issue 19), with a
// shell charm that logs each hook's name, its workload container and its Pebble sockets.

const sidecar = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'sidecar-charm');
const TIMEOUT = 120_000;
const folder = temporaryFolders('sidecar-model');
const models: LocalModel[] = [];
afterAll(() => Promise.all(models.map((m) => m.destroy())), TIMEOUT);

async function deployed(units = 1) {
  const hooks: string[] = [];
  const model = await createModel({ dir: folder(), onHook: (r) => hooks.push(`${r.unit} ${r.hook}${r.ok ? '' : ' FAILED'}`) });
  models.push(model);
  await model.deploy(sidecar, { units, resources: { 'workload-image': 'ghcr.io/example/workload:1.0' } });
  return { model, hooks };
}

const logged = (model: LocalModel, unit: string) => model.log(unit).filter((l) => l.level === 'INFO').map((l) => l.message.replace(/^[a-z-]+:\d+: /, ''));

describe('a sidecar charm in the local model', { timeout: TIMEOUT }, () => {
  it('runs storage-attached before install, then workload-pebble-ready after start (uniter resolver.go; container/workload.go acts only between queued hooks)', async () => {
    const { model, hooks } = await deployed();
    expect(hooks).toEqual([
      'sidecar/0 data-storage-attached',
      'sidecar/0 install',
      'sidecar/0 leader-elected',
      'sidecar/0 config-changed',
      'sidecar/0 start',
      'sidecar/0 workload-pebble-ready',
    ]);
    const sockets = join(model.dir, 'run', 'pebble', 'sidecar-0');
    expect(logged(model, 'sidecar/0').filter((line) => line.startsWith('hook='))).toEqual([
      `hook=data-storage-attached workload=- sockets=${sockets}`,
      `hook=install workload=- sockets=${sockets}`,
      `hook=leader-elected workload=- sockets=${sockets}`,
      `hook=config-changed workload=- sockets=${sockets}`,
      `hook=start workload=- sockets=${sockets}`,
      `hook=workload-pebble-ready workload=workload sockets=${sockets}`,
    ]);
    // The container's Pebble answers in pebble-ready; before it, the plan is empty.
    expect(logged(model, 'sidecar/0')).toContain('pebble={"boot-id');
    expect(logged(model, 'sidecar/0')).toContain('plan="{}\\n"');
  });

  it("keeps the plan across commands (saved when the operation ends, given back to the next one's Pebble) and stops the servers in between", async () => {
    const { model } = await deployed();
    const socket = join(model.dir, 'run', 'pebble', 'sidecar-0', 'workload', 'pebble.socket');
    expect(existsSync(socket)).toBe(false);
    // Another command: a new model object on the same folder.
    const again = await createModel({ dir: model.dir });
    await again.setConfig('sidecar', {}, []);
    await again.run('sidecar/0', 'config-changed');
    const plan = logged(again, 'sidecar/0').filter((line) => line.startsWith('plan=')).at(-1)!;
    expect(JSON.parse(plan.slice('plan='.length))).toContain('command: /usr/bin/workload-app --serve');
    expect(existsSync(socket)).toBe(false);
  });

  it('gives a unit added later its own sockets and its pebble-ready, and charms run names the container of a workload hook', async () => {
    const { model, hooks } = await deployed();
    hooks.length = 0;
    await model.addUnit('sidecar');
    expect(hooks.at(-1)).toBe('sidecar/1 workload-pebble-ready');
    expect(logged(model, 'sidecar/1').filter((line) => line.startsWith('hook=')).at(-1)).toBe(`hook=workload-pebble-ready workload=workload sockets=${join(model.dir, 'run', 'pebble', 'sidecar-1')}`);
    await model.run('sidecar/0', 'workload-pebble-check-failed');
    expect(logged(model, 'sidecar/0').filter((line) => line.startsWith('hook=')).at(-1)).toContain('hook=workload-pebble-check-failed workload=workload');
  });

  it("shows each unit as its StatefulSet pod and the application's Service from deploy (cmd/juju/status formatted.go: no line per container)", async () => {
    const { model } = await deployed(2);
    const app = model.status().applications.sidecar!;
    expect(app.scale).toBe(2);
    expect(app['provider-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(app.address).toMatch(/^10\.152\.183\.\d+$/);
    expect(Object.fromEntries(Object.entries(app.units).map(([name, unit]) => [name, [unit['provider-id'], unit['workload-status']]]))).toEqual({
      'sidecar/0': ['sidecar-0', { current: 'active', message: 'workload is ready', since: expect.any(String) }],
      'sidecar/1': ['sidecar-1', { current: 'active', message: 'workload is ready', since: expect.any(String) }],
    });
  });

  it('renders the StatefulSet Juju makes: charm-init, the charm container, the workload on its image with Pebble as entrypoint, the volume claims (caas/kubernetes/provider/application)', async () => {
    const { model } = await deployed(2);
    const documents = readFileSync(model.manifestsPath('sidecar')!, 'utf8').split(/^---$/m).map((text) => readCharmYaml(text) as Record<string, any>);
    expect(documents.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual(['StatefulSet/sidecar', 'Service/sidecar', 'Service/sidecar-endpoints']);
    const set = documents[0]!;
    // kubernetes-models checks it again here, apart from the model's own check.
    expect(() => new StatefulSet(set as never).validate()).not.toThrow();
    expect(set.spec.replicas).toBe(2);
    const pod = set.spec.template.spec;
    expect(pod.initContainers.map((c: { name: string; image: string }) => [c.name, c.image])).toEqual([['charm-init', expect.stringMatching(/^jujusolutions\/jujud-operator:/)]]);
    expect(pod.containers.map((c: { name: string }) => c.name)).toEqual(['charm', 'workload']);
    const workload = pod.containers[1];
    expect(workload).toMatchObject({ image: 'ghcr.io/example/workload:1.0', command: ['/charm/bin/pebble'], args: expect.arrayContaining(['run', '--create-dirs', '--hold']) });
    expect(workload.volumeMounts).toEqual(expect.arrayContaining([{ name: 'sidecar-data', mountPath: '/data' }, expect.objectContaining({ mountPath: '/charm/container', subPath: 'charm/containers/workload' })]));
    expect(pod.containers[0].env).toEqual(expect.arrayContaining([{ name: 'JUJU_CONTAINER_NAMES', value: 'workload' }]));
    expect(set.spec.volumeClaimTemplates).toEqual([
      { metadata: { name: 'sidecar-data', labels: { 'storage.juju.is/name': 'data' } }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '2048Mi' } } } },
    ]);
    await model.removeUnit('sidecar/1');
    expect(readFileSync(model.manifestsPath('sidecar')!, 'utf8')).toContain('replicas: 1\n');
  });

  it('starts a service whose executable exists only with --run-workloads, and stops it when the command ends; without it the start fails as Pebble reports one', async () => {
    // A command no other process runs, so that the check below can only find this one.
    const command = `/bin/sleep ${300 + Math.floor(Math.random() * 1000)}.25`;
    const running = () => readdirSync('/proc').filter((pid) => /^\d+$/.test(pid)).some((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim() === command;
      } catch {
        return false;
      }
    });
    const withWorkloads = await createModel({ dir: folder() });
    models.push(withWorkloads);
    await withWorkloads.deploy(sidecar, { runWorkloads: true, config: { 'service-command': command }, resources: { 'workload-image': 'ghcr.io/example/workload:1.0' } });
    const lines = logged(withWorkloads, 'sidecar/0');
    expect(lines).toContain('replan={"status":"Done"}');
    // Active while the hook ran; gone once the command (here, the operation) ended.
    expect(lines.find((line) => line.startsWith('services='))).toContain('"current":"active"');
    expect(running()).toBe(false);

    const without = await createModel({ dir: folder() });
    models.push(without);
    await without.deploy(sidecar, { config: { 'service-command': command }, resources: { 'workload-image': 'ghcr.io/example/workload:1.0' } });
    const plain = logged(without, 'sidecar/0');
    expect(plain).toContain('replan={"status":"Error"}');
    expect(plain.find((line) => line.startsWith('services='))).toContain('"current":"inactive"');
  });

  it("mounts the unit's storage where containers.workload.mounts says: with --run-workloads a service writing /data writes the storage instance's folder, not this machine's /data", async () => {
    const model = await createModel({ dir: folder() });
    models.push(model);
    await model.deploy(sidecar, { runWorkloads: true, config: { 'service-command': '/usr/bin/cp /proc/version /data/charms-sidecar-marker' }, resources: { 'workload-image': 'ghcr.io/example/workload:1.0' } });
    expect(Object.keys(model.storage().storage)).toEqual(['data/0']);
    expect(readFileSync(join(model.dir, 'storage', 'data-0', 'charms-sidecar-marker'), 'utf8')).toMatch(/^Linux/);
    expect(existsSync('/data/charms-sidecar-marker')).toBe(false);
  });

  it('runs <container>-pebble-custom-notice for a custom notice added to a container\'s Pebble, with JUJU_NOTICE_ID, _TYPE and _KEY (Juju 3.4 workload events; context.go HookVars)', async () => {
    const { model, hooks } = await deployed();
    hooks.length = 0;
    await model.setConfig('sidecar', { 'notify-key': 'example.com/backup-done' }, []);
    expect(hooks).toEqual(['sidecar/0 config-changed', 'sidecar/0 workload-pebble-custom-notice']);
    const lines = logged(model, 'sidecar/0');
    expect(lines).toContain(`hook=workload-pebble-custom-notice workload=workload sockets=${join(model.dir, 'run', 'pebble', 'sidecar-0')}`);
    expect(lines).toContain('notice=1 type=custom key=example.com/backup-done check=-');
  });

  it('runs <container>-pebble-check-failed with JUJU_PEBBLE_CHECK_NAME when a check goes down while a hook runs (Juju 3.6: the change-update notice of its perform-check change)', async () => {
    const { model, hooks } = await deployed();
    const port = await closedPort();
    hooks.length = 0;
    await model.setConfig('sidecar', { 'check-port': port }, []);
    expect(hooks).toEqual(['sidecar/0 config-changed', 'sidecar/0 workload-pebble-check-failed']);
    expect(logged(model, 'sidecar/0').find((line) => line.startsWith('notice='))).toMatch(/^notice=\d+ type=change-update key=\d+ check=probe$/);
  });

  it('gives every container pebble-ready again after a refresh, with an empty plan: the pods are made again', async () => {
    const { model, hooks } = await deployed();
    hooks.length = 0;
    await model.upgrade('sidecar', sidecar);
    expect(hooks).toEqual(['sidecar/0 upgrade-charm', 'sidecar/0 config-changed', 'sidecar/0 workload-pebble-ready']);
    expect(logged(model, 'sidecar/0').filter((line) => line.startsWith('plan=')).at(-1)).toBe('plan="{}\\n"');
  });

  it('refuses a model folder too deep for the Pebble sockets, naming the path and the 107-byte limit, and deploys nothing', async () => {
    const deep = join(folder(), 'x'.repeat(40), 'y'.repeat(40));
    mkdirSync(deep, { recursive: true });
    const model = await createModel({ dir: deep });
    models.push(model);
    const refused = model.deploy(sidecar, { resources: { 'workload-image': 'ghcr.io/example/workload:1.0' } });
    await expect(refused).rejects.toMatchObject({ code: 'INVALID_OPTION', message: expect.stringContaining(`the Pebble socket path ${join(deep, 'run', 'pebble', 'sidecar-0', 'workload', 'pebble.socket')} is `) });
    await expect(refused).rejects.toThrow(/more than the 107 a unix socket path may hold/);
    expect(model.status().applications).toEqual({});
  });
});
