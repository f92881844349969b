import { stringifyCharmYaml } from '@charms/manifest';
import type { ContainerRecord, StoreRecord } from './model-state.js';
import { JUJU_VERSION } from './juju-identity.js';
import { ModelError } from './model-errors.js';
import { kubernetesKinds, type RenderedManifests } from './manifests.js';

/** A sidecar application's facts the rendering needs. */
export interface SidecarRenderInput {
  readonly app: string;
  readonly scale: number;
  readonly containers: readonly ContainerRecord[];
  /** The image of each oci-image resource, by resource name (what deploy was given). */
  readonly images: Readonly<Record<string, string>>;
  /** The charm's stores: each filesystem store is a volume claim of every pod. */
  readonly stores: readonly StoreRecord[];
}

// What Juju's Kubernetes provider makes for a sidecar application
// (caas/kubernetes/provider/application/application.go in Juju 2.9 and 3.x, `ensure`,
// `applicationPodSpec`, `filesystemToVolumeClaim`): a StatefulSet whose pods hold
//   - `charm-init`, an init container of the Juju agent image (jujud-operator) that
//     copies the agent and Pebble into the shared `charm-data` volume;
//   - `charm`, the charm's container on the charm base image (charm-base, the charm's
//     manifest base), running the agent under its own Pebble;
//   - one container per `containers:` entry, on its resource's image, with Pebble as its
//     entrypoint (`/charm/bin/pebble run --create-dirs --hold`): Pebble waits for the
//     charm to give it a plan. Its socket is /charm/container/pebble.socket there, which
//     the charm container sees as /charm/containers/<name>/pebble.socket;
// and a volume claim template per filesystem store, mounted where `mounts:` says; plus a
// ClusterIP Service selecting the pods, and the headless `<app>-endpoints` Service the
// StatefulSet names. Names of the agent images and ports are Juju's defaults.
const AGENT_IMAGE = `jujusolutions/jujud-operator:${JUJU_VERSION}`;
const CHARM_BASE_IMAGE = 'jujusolutions/charm-base:ubuntu-22.04';
const CHARM_PEBBLE_PORT = 38812;
/** Each workload container's Pebble HTTP port: Juju numbers them after the charm's. */
const workloadPort = (index: number) => CHARM_PEBBLE_PORT + 1 + index;

/**
 * Renders the Kubernetes objects of a sidecar application at its scale, each checked
 * against the Kubernetes schemas (kubernetes-models).
 * @throws ModelError `INVALID_POD_SPEC` naming the object and the violation.
 */
export function renderSidecarManifests(input: SidecarRenderInput): RenderedManifests {
  // The same loader as renderManifests: loaded at the first render of either, once.
  const { StatefulSet, Service } = kubernetesKinds();
  const labels = { 'app.kubernetes.io/name': input.app };
  const selector = { matchLabels: labels };
  const claims = input.stores.filter((store) => store.type === 'filesystem');
  const claimName = (store: string) => `${input.app}-${store}`;
  const health = (port: number, level: 'alive' | 'ready') => ({ httpGet: { path: `/v1/health?level=${level}`, port }, initialDelaySeconds: 30, periodSeconds: 5, timeoutSeconds: 1, failureThreshold: 3 });

  const charm = {
    name: 'charm',
    image: CHARM_BASE_IMAGE,
    imagePullPolicy: 'IfNotPresent' as const,
    workingDir: '/var/lib/juju',
    command: ['/charm/bin/pebble'],
    args: ['run', '--http', `:${CHARM_PEBBLE_PORT}`, '--verbose'],
    env: [
      { name: 'JUJU_CONTAINER_NAMES', value: input.containers.map((c) => c.name).join(',') },
      { name: 'PEBBLE_SOCKET', value: '/charm/container/pebble.socket' },
    ],
    livenessProbe: health(CHARM_PEBBLE_PORT, 'alive'),
    readinessProbe: health(CHARM_PEBBLE_PORT, 'ready'),
    volumeMounts: [
      { name: 'charm-data', mountPath: '/charm/bin', subPath: 'charm/bin', readOnly: true },
      { name: 'charm-data', mountPath: '/var/lib/juju', subPath: 'var/lib/juju' },
      { name: 'charm-data', mountPath: '/charm/containers', subPath: 'charm/containers' },
      { name: 'charm-data', mountPath: '/charm/container', subPath: 'charm/container' },
      // The charm container sees every store too, under Juju's storage folder.
      ...claims.map((store) => ({ name: claimName(store.name), mountPath: `/var/lib/juju/storage/${store.name}/0` })),
    ],
  };

  const workloads = input.containers.map((container, index) => {
    const image = container.resource !== undefined ? input.images[container.resource] : undefined;
    if (image === undefined) {
      throw new ModelError('INVALID_POD_SPEC', `container "${container.name}" of ${input.app} has no image: its resource ${container.resource === undefined ? 'is not named in metadata.yaml (containers.' + container.name + '.resource)' : `"${container.resource}" was not given at deploy (charms deploy --resource ${container.resource}=IMAGE)`}`);
    }
    return {
      name: container.name,
      image,
      imagePullPolicy: 'IfNotPresent' as const,
      command: ['/charm/bin/pebble'],
      args: ['run', '--create-dirs', '--hold', '--http', `:${workloadPort(index)}`, '--verbose'],
      env: [
        { name: 'JUJU_CONTAINER_NAME', value: container.name },
        { name: 'PEBBLE_SOCKET', value: '/charm/container/pebble.socket' },
      ],
      livenessProbe: health(workloadPort(index), 'alive'),
      readinessProbe: health(workloadPort(index), 'ready'),
      volumeMounts: [
        { name: 'charm-data', mountPath: '/charm/bin/pebble', subPath: 'charm/bin/pebble', readOnly: true },
        { name: 'charm-data', mountPath: '/charm/container', subPath: `charm/containers/${container.name}` },
        ...container.mounts.map((mount) => ({ name: claimName(mount.storage), mountPath: mount.location })),
      ],
    };
  });

  const charmInit = {
    name: 'charm-init',
    image: AGENT_IMAGE,
    imagePullPolicy: 'IfNotPresent' as const,
    workingDir: '/var/lib/juju',
    command: ['/opt/containeragent'],
    args: ['init', '--containeragent-pebble-dir', '/containeragent/pebble', '--charm-modified-version', '0', '--data-dir', '/var/lib/juju', '--bin-dir', '/charm/bin'],
    volumeMounts: [
      { name: 'charm-data', mountPath: '/var/lib/juju', subPath: 'var/lib/juju' },
      { name: 'charm-data', mountPath: '/charm/bin', subPath: 'charm/bin' },
      { name: 'charm-data', mountPath: '/charm/containers', subPath: 'charm/containers' },
    ],
  };

  const statefulSet = new StatefulSet({
    metadata: { name: input.app, labels: { ...labels, 'app.kubernetes.io/managed-by': 'juju' }, annotations: { 'juju.is/version': JUJU_VERSION } },
    spec: {
      replicas: input.scale,
      serviceName: `${input.app}-endpoints`,
      podManagementPolicy: 'Parallel',
      selector,
      template: {
        metadata: { labels, annotations: { 'juju.is/version': JUJU_VERSION } },
        spec: {
          serviceAccountName: input.app,
          automountServiceAccountToken: true,
          initContainers: [charmInit],
          containers: [charm, ...workloads],
          volumes: [{ name: 'charm-data', emptyDir: {} }],
        },
      },
      volumeClaimTemplates: claims.map((store) => ({
        metadata: { name: claimName(store.name), labels: { 'storage.juju.is/name': store.name } },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: `${store.size}Mi` } } },
      })),
    },
  });
  const service = new Service({
    metadata: { name: input.app, labels },
    spec: { selector: labels, type: 'ClusterIP', ports: [{ name: 'placeholder', port: 65535, protocol: 'TCP' }] },
  });
  const endpoints = new Service({
    metadata: { name: `${input.app}-endpoints`, labels },
    spec: { selector: labels, clusterIP: 'None', type: 'ClusterIP', publishNotReadyAddresses: true },
  });

  const documents = [statefulSet, service, endpoints].map((object) => {
    const json = JSON.parse(JSON.stringify(object.toJSON())) as Record<string, unknown>;
    try {
      object.validate();
    } catch (error) {
      throw new ModelError('INVALID_POD_SPEC', `rendered ${String(json.kind)} ${String((json.metadata as { name?: string }).name)} does not pass the Kubernetes schema: ${(error as Error).message}`);
    }
    return json;
  });
  return { yaml: documents.map((d) => stringifyCharmYaml(d)).join('---\n'), objects: documents };
}
