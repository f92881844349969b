import { describe, expect, it } from 'vitest';
import { MemoryHookTools } from '@charms/hooktools';
import { createReactor, defineLayer, MemoryUnitStateStore } from '@charms/reactive';
import { runCharmHook, syntheticHookContext, type CharmContext } from '@charms/runtime';
import caasBase, { k8sRawSet, PodSpecError, podSpecSet, type PodSpecV3 } from '@charms/layer-caas-base';
import { readCharmYaml } from '@charms/manifest';

const spec: PodSpecV3 = {
  version: 3,
  containers: [
    {
      name: 'minio',
      imageDetails: { imagePath: 'minio/minio:RELEASE.2021', username: '', password: '' },
      ports: [{ name: 'minio', containerPort: 9000 }],
      args: ['server', '/data'],
      envConfig: { MINIO_ACCESS_KEY: 'minio' },
    },
  ],
};

/** Runs install with one handler doing `act`; returns what happened. */
async function install(act: () => Promise<unknown>, world: ConstructorParameters<typeof MemoryHookTools>[0] = {}) {
  const tools = new MemoryHookTools({ unitName: 'minio/0', leader: true, ...world });
  const errors: unknown[] = [];
  const charm = defineLayer<string, CharmContext>('minio', (r) =>
    r.handle({ hook: 'install' }, async function setSpec() {
      try {
        await act();
      } catch (error) {
        errors.push(error);
        throw error;
      }
    }),
  );
  const result = await runCharmHook({
    juju: syntheticHookContext('install', { unitName: 'minio/0' }),
    tools,
    store: new MemoryUnitStateStore(),
    charm: () => createReactor().use(caasBase).use(charm),
    metadata: { name: 'minio', series: ['kubernetes'] },
  });
  const specCalls = tools.calls.filter((c) => c.tool === 'pod-spec-set' || c.tool === 'k8s-raw-set');
  return { result, tools, errors, specCalls };
}

describe('layer-caas-base', () => {
  it('sends a valid spec as YAML through pod-spec-set --file -', async () => {
    const { result, specCalls, tools } = await install(() => podSpecSet(spec));
    expect(result.exitCode).toBe(0);
    expect(specCalls).toHaveLength(1);
    expect(specCalls[0]!.argv).toEqual(['--file', '-']);
    expect(readCharmYaml(specCalls[0]!.stdin!)).toEqual(spec);
    expect(tools.world.podSpec?.spec).toBe(specCalls[0]!.stdin);
  });

  it('quotes strings Juju would read as booleans or numbers (it reads YAML 1.1)', async () => {
    const container = { ...spec.containers[0]!, envConfig: { MINIO_BROWSER: 'on', DEBUG: 'yes', MODE: '010' } };
    const { specCalls } = await install(() => podSpecSet({ ...spec, containers: [container] }));
    expect(readCharmYaml(specCalls[0]!.stdin!)).toEqual({ ...spec, containers: [container] });
  });

  it('sends k8s resources with --k8s-resources, checked together with the spec', async () => {
    const resources = { kubernetesResources: { secrets: [{ name: 'minio-secret', type: 'Opaque', stringData: { key: 'v' } }] } };
    const { specCalls, tools } = await install(() => podSpecSet(spec, resources));
    expect(specCalls[0]!.argv).toEqual(['--file', '-', '--k8s-resources', '<k8s-resources file>']);
    expect(readCharmYaml(tools.world.podSpec!.k8sResources!)).toEqual(resources);
  });

  it('refuses an invalid spec before sending it, naming every bad field', async () => {
    const bad = {
      version: 3,
      containers: [
        {
          name: 'minio',
          imageDetails: {},
          ports: [{ containerPort: 'http' }],
          volumeConfig: [
            { name: 'cfg', mountPath: '/etc/a' },
            { name: 'cfg', mountPath: '/etc/a' },
          ],
          replicaz: 2,
        },
      ],
      service: { scalePolicy: 'random' },
    } as unknown as PodSpecV3;
    const { result, specCalls, errors } = await install(() => podSpecSet(bad));
    expect(result.exitCode).toBe(1);
    expect(specCalls).toEqual([]);
    const error = errors[0] as PodSpecError;
    expect(error).toBeInstanceOf(PodSpecError);
    expect(error.code).toBe('POD_SPEC_INVALID');
    expect(error.problems.map((p) => p.split(':')[0])).toEqual([
      'containers.0.imageDetails.imagePath',
      'containers.0.ports.0.containerPort',
      'containers.0',
      'service.scalePolicy',
    ]);
    expect(error.problems[2]).toContain('"replicaz"');
  });

  it('refuses duplicate volume names and mount paths in a container', async () => {
    const volumes = [
      { name: 'cfg', mountPath: '/etc/a' },
      { name: 'cfg', mountPath: '/etc/a' },
    ];
    const { errors } = await install(() => podSpecSet({ ...spec, containers: [{ ...spec.containers[0]!, volumeConfig: volumes }] }));
    expect((errors[0] as PodSpecError).problems).toEqual([
      'containers.0.volumeConfig.1.name: duplicate volume name "cfg"',
      'containers.0.volumeConfig.1.mountPath: duplicate mount path "/etc/a"',
    ]);
  });

  it('refuses a v2 spec and a spec without containers', async () => {
    for (const wrong of [{ version: 2, containers: spec.containers }, { version: 3, containers: [] }, 'version: 3\ncontainers: [\n']) {
      const { errors, specCalls } = await install(() => podSpecSet(wrong as PodSpecV3));
      expect((errors[0] as PodSpecError).code).toBe('POD_SPEC_INVALID');
      expect(specCalls).toEqual([]);
    }
    const { errors } = await install(() => podSpecSet({ ...spec, containers: [{ name: 'x' }] } as PodSpecV3));
    expect((errors[0] as PodSpecError).problems).toEqual(['containers.0.imageDetails: spec image details is missing: give imageDetails.imagePath']);
  });

  it('on a non-leader fails with POD_SPEC_NOT_LEADER and advice', async () => {
    const { result, errors, tools } = await install(() => podSpecSet(spec), { leader: false });
    expect(result.exitCode).toBe(1);
    expect((errors[0] as PodSpecError).code).toBe('POD_SPEC_NOT_LEADER');
    expect((errors[0] as PodSpecError).message).toContain('guard the handler');
    expect(tools.world.logs).toContainEqual({ level: 'ERROR', message: 'pod-spec-set encountered an error: `ERROR this unit is not the leader`' });
  });

  it('ignores "application … not alive" during removal, and logs it', async () => {
    const { result, tools } = await install(() => podSpecSet(spec), {
      failures: { 'pod-spec-set': { exitCode: 1, stderr: 'ERROR application minio not alive\n' } },
    });
    expect(result.exitCode).toBe(0);
    expect(tools.world.logs).toContainEqual({ level: 'INFO', message: 'Ignored error due to pod-spec-set getting called during app removal' });
  });

  it('other refusals are POD_SPEC_REJECTED with Juju’s text', async () => {
    const { errors } = await install(() => podSpecSet(spec), {
      failures: { 'pod-spec-set': { exitCode: 1, stderr: 'ERROR json: unknown field "replicaz"\n' } },
    });
    expect(errors[0]).toMatchObject({ code: 'POD_SPEC_REJECTED', message: 'pod-spec-set failed: ERROR json: unknown field "replicaz"' });
  });

  it('k8sRawSet sends YAML through k8s-raw-set', async () => {
    const { specCalls } = await install(() => k8sRawSet({ kind: 'List', items: [] }));
    expect(specCalls).toEqual([{ tool: 'k8s-raw-set', argv: ['--file', '-'], stdin: 'kind: List\nitems: []\n' }]);
  });
});
