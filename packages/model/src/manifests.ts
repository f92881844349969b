import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
// Types only: the modules themselves are loaded at the first render (kubernetesKinds).
import type * as DeploymentModule from 'kubernetes-models/apps/v1/Deployment';
import type * as StatefulSetModule from 'kubernetes-models/apps/v1/StatefulSet';
import type * as ConfigMapModule from 'kubernetes-models/v1/ConfigMap';
import type * as PersistentVolumeClaimModule from 'kubernetes-models/v1/PersistentVolumeClaim';
import type * as SecretModule from 'kubernetes-models/v1/Secret';
import type * as ServiceModule from 'kubernetes-models/v1/Service';
import { readCharmYaml, stringifyCharmYaml, type PodSpecV3 } from '@charms/manifest';
import { ModelError } from './model-errors.js';

/** The Kubernetes kinds both renderers build (this file's and sidecar-manifests.ts). */
export interface KubernetesKinds {
  readonly Deployment: typeof DeploymentModule.Deployment;
  readonly StatefulSet: typeof StatefulSetModule.StatefulSet;
  readonly ConfigMap: typeof ConfigMapModule.ConfigMap;
  readonly PersistentVolumeClaim: typeof PersistentVolumeClaimModule.PersistentVolumeClaim;
  readonly Secret: typeof SecretModule.Secret;
  readonly Service: typeof ServiceModule.Service;
}

/**
 * Set to true by the charms command's bundle (packages/cli/build.mjs, esbuild's `define`);
 * undeclared, and so `typeof` "undefined", everywhere else.
 */
declare const CHARMS_CLI_BUNDLE: boolean | undefined;

let kinds: KubernetesKinds | undefined;

/**
 * The kubernetes-models kinds, loaded at the first call: their schemas (and ajv with
 * them) were a quarter of opening the model, which most commands do without rendering
 * anything (issue 20). One module per kind, not the group indexes: those load every
 * kind's schema. Synchronous, as rendering is: Node's require loads the packages'
 * CommonJS builds.
 */
export function kubernetesKinds(): KubernetesKinds {
  if (kinds) return kinds;
  type Modules = [typeof DeploymentModule, typeof StatefulSetModule, typeof ConfigMapModule, typeof PersistentVolumeClaimModule, typeof SecretModule, typeof ServiceModule];
  let modules: Modules;
  if (typeof CHARMS_CLI_BUNDLE !== 'undefined') {
    // In the bundle esbuild replaces each literal require() with the module it bundled
    // (evaluated at this call, not at the start), where a require made for the bundle's
    // own file would look for kubernetes-models beside @charms/cli, which does not depend on it.
    modules = [
      require('kubernetes-models/apps/v1/Deployment'),
      require('kubernetes-models/apps/v1/StatefulSet'),
      require('kubernetes-models/v1/ConfigMap'),
      require('kubernetes-models/v1/PersistentVolumeClaim'),
      require('kubernetes-models/v1/Secret'),
      require('kubernetes-models/v1/Service'),
    ] as Modules;
  } else {
    // ESM has no require: one made for this file resolves the packages as @charms/model's own.
    const load = createRequire(import.meta.url);
    modules = [
      load('kubernetes-models/apps/v1/Deployment'),
      load('kubernetes-models/apps/v1/StatefulSet'),
      load('kubernetes-models/v1/ConfigMap'),
      load('kubernetes-models/v1/PersistentVolumeClaim'),
      load('kubernetes-models/v1/Secret'),
      load('kubernetes-models/v1/Service'),
    ] as Modules;
  }
  const [{ Deployment }, { StatefulSet }, { ConfigMap }, { PersistentVolumeClaim }, { Secret }, { Service }] = modules;
  kinds = { Deployment, StatefulSet, ConfigMap, PersistentVolumeClaim, Secret, Service };
  return kinds;
}

/** What Juju would create in Kubernetes for an application's committed pod spec. */
export interface RenderedManifests {
  /** Multi-document YAML, ready for `kubectl apply -f` (made when first read). */
  readonly yaml: string;
  readonly objects: readonly Record<string, unknown>[];
}

/** An application's facts the rendering needs besides the spec. */
export interface RenderInput {
  readonly app: string;
  readonly scale: number;
  readonly spec: string;
  readonly k8sResources?: string;
  /** metadata.yaml `storage`: filesystem storage becomes PersistentVolumeClaims. */
  readonly storage?: Record<string, { type?: string; location?: string; 'minimum-size'?: string }>;
  /** metadata.yaml `deployment.type`. */
  readonly deploymentType?: string;
}

/**
 * Renders a committed pod spec (v3) as Juju 2.9 would create it: a StatefulSet (with a
 * volume claim per filesystem storage) or a Deployment, a Service for the container
 * ports, Secrets from `kubernetesResources`, ConfigMaps for `volumeConfig` files and an
 * image-pull Secret for private images. Every object is checked against the Kubernetes
 * schemas (kubernetes-models).
 * @throws ModelError `INVALID_POD_SPEC` naming the object and the schema violation.
 */
export function renderManifests(input: RenderInput): RenderedManifests {
  const { Deployment, StatefulSet, ConfigMap, PersistentVolumeClaim, Secret, Service } = kubernetesKinds();
  // Both were checked when the hook set them (pod-spec-set), and committed as they were.
  const spec = { ...(readCharmYaml(input.spec) as PodSpecV3), ...((input.k8sResources ? readCharmYaml(input.k8sResources) : {}) as Partial<PodSpecV3>) };
  const labels = { 'app.kubernetes.io/name': input.app };
  const objects: { validate(): void; toJSON(): Record<string, unknown> }[] = [];
  const pullSecrets: { name: string }[] = [];
  const volumes: Record<string, unknown>[] = [];

  for (const secret of spec.kubernetesResources?.secrets ?? []) {
    objects.push(new Secret({ metadata: { name: secret.name, labels, annotations: secret.annotations }, type: secret.type ?? 'Opaque', data: secret.data, stringData: secret.stringData }));
  }

  const containers = spec.containers.map((container) => {
    if (container.imageDetails?.username) {
      const name = `${input.app}-${container.name}-secret`;
      const auth = Buffer.from(`${container.imageDetails.username}:${container.imageDetails.password ?? ''}`).toString('base64');
      const registry = container.imageDetails.imagePath.split('/')[0]!;
      objects.push(new Secret({
        metadata: { name, labels },
        type: 'kubernetes.io/dockerconfigjson',
        data: { '.dockerconfigjson': Buffer.from(JSON.stringify({ auths: { [registry]: { auth } } })).toString('base64') },
      }));
      pullSecrets.push({ name });
    }
    const mounts: Record<string, unknown>[] = [];
    for (const volume of container.volumeConfig ?? []) {
      const configMap = `${input.app}-${volume.name}`;
      objects.push(new ConfigMap({ metadata: { name: configMap, labels }, data: Object.fromEntries((volume.files ?? []).map((f) => [f.path, f.content ?? ''])) }));
      if (!volumes.some((v) => v.name === volume.name)) volumes.push({ name: volume.name, configMap: { name: configMap } });
      mounts.push({ name: volume.name, mountPath: volume.mountPath });
    }
    for (const [name, storage] of Object.entries(input.storage ?? {})) {
      if ((storage.type ?? 'filesystem') === 'filesystem') mounts.push({ name: `${input.app}-${name}`, mountPath: storage.location ?? `/var/lib/juju/storage/${name}` });
    }
    return {
      name: container.name,
      image: container.imageDetails?.imagePath ?? container.image,
      imagePullPolicy: container.imagePullPolicy,
      command: container.command,
      args: container.args,
      workingDir: container.workingDir,
      ports: container.ports?.map((p) => ({ name: p.name, containerPort: p.containerPort, protocol: p.protocol ?? 'TCP' })),
      env: Object.entries(container.envConfig ?? {}).map(([name, value]) => envVar(name, value)),
      volumeMounts: mounts.length > 0 ? mounts : undefined,
      ...(container.kubernetes ?? {}),
    };
  });

  const podAnnotations = {
    ...(spec.kubernetesResources?.pod?.annotations ?? {}),
    // Juju restarts pods when the spec changes; the hash makes that visible.
    'charms.ts/pod-spec-hash': createHash('sha256').update(input.spec).update(input.k8sResources ?? '').digest('hex').slice(0, 16),
  };
  // The pod template is built from user data: its types are checked by validate() below.
  const template: never = {
    metadata: { labels, annotations: podAnnotations },
    spec: { containers, imagePullSecrets: pullSecrets.length > 0 ? pullSecrets : undefined, volumes: volumes.length > 0 ? volumes : undefined },
  } as never;
  const claims = Object.entries(input.storage ?? {})
    .filter(([, s]) => (s.type ?? 'filesystem') === 'filesystem')
    .map(([name, storage]) => new PersistentVolumeClaim({
      metadata: { name: `${input.app}-${name}` },
      // Juju's default size for filesystem storage is 1 GiB; metadata's minimum-size wins.
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: storage['minimum-size'] ?? '1Gi' } } },
    }).toJSON());
  const stateful = claims.length > 0 || input.deploymentType === 'stateful';
  objects.push(
    stateful
      ? new StatefulSet({
          metadata: { name: input.app, labels },
          spec: { replicas: input.scale, serviceName: `${input.app}-endpoints`, selector: { matchLabels: labels }, template, volumeClaimTemplates: (claims.length > 0 ? claims : undefined) as never },
        })
      : new Deployment({ metadata: { name: input.app, labels }, spec: { replicas: input.scale, selector: { matchLabels: labels }, template } }),
  );

  const ports = spec.containers.flatMap((c) => c.ports ?? []);
  if (ports.length > 0) {
    objects.push(new Service({
      metadata: { name: input.app, labels },
      spec: {
        selector: labels,
        type: 'ClusterIP',
        ports: ports.map((p) => ({ name: p.name, port: p.containerPort, targetPort: p.containerPort, protocol: (p.protocol ?? 'TCP') as 'TCP' | 'UDP' | 'SCTP' })),
      },
    }));
  }

  const documents = objects.map((object) => {
    const json = prune(object.toJSON()) as Record<string, unknown>;
    try {
      object.validate();
    } catch (error) {
      throw new ModelError('INVALID_POD_SPEC', `rendered ${String(json.kind)} ${String((json.metadata as { name?: string })?.name)} does not pass the Kubernetes schema: ${(error as Error).message}`);
    }
    return json;
  });
  // The YAML text only when asked: pod-spec-set's check of a spec (ModelStore.render)
  // wants the objects checked, not the text, which took a third of the check (issue 20).
  let yaml: string | undefined;
  return {
    objects: documents,
    get yaml(): string {
      return (yaml ??= documents.map((d) => stringifyCharmYaml(d)).join('---\n'));
    },
  };
}

/** envConfig values: a string (or number, bool) as a value; `{secret: {name, key}}` as a Secret reference. */
function envVar(name: string, value: unknown): Record<string, unknown> {
  if (value && typeof value === 'object') {
    const ref = value as { secret?: { name: string; key: string }; field?: { path: string } };
    if (ref.secret) return { name, valueFrom: { secretKeyRef: { name: ref.secret.name, key: ref.secret.key } } };
    if (ref.field) return { name, valueFrom: { fieldRef: { fieldPath: ref.field.path } } };
    return { name, value: JSON.stringify(value) };
  }
  return { name, value: String(value) };
}

/** Drops undefined members, so that the YAML holds only what was given. */
function prune(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(prune);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, prune(v)]));
  }
  return value;
}
