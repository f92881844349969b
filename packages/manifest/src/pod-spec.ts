import { z } from 'zod';

// Pod spec version 3, as Juju 2.8/2.9 decode it (caas/specs, strict: unknown fields
// fail there, so they fail here first, with the field named).

/** A Go `map[string]string`: Juju refuses any other value there. */
const stringMap = z.record(z.string(), z.string());

const port = z.strictObject({
  name: z.string().optional(),
  containerPort: z.number().int().min(1).max(65535),
  protocol: z.enum(['TCP', 'UDP', 'SCTP']).optional(),
});

const file = z.strictObject({ path: z.string().min(1), content: z.string().optional(), key: z.string().optional(), mode: z.number().int().optional() });

const volume = z.strictObject({
  name: z.string().min(1),
  mountPath: z.string().min(1),
  files: z.array(file).optional(),
  hostPath: z.looseObject({ path: z.string() }).optional(),
  emptyDir: z.looseObject({}).optional(),
  configMap: z.looseObject({ name: z.string() }).optional(),
  secret: z.looseObject({ name: z.string() }).optional(),
});

const imageDetails = z.strictObject({
  imagePath: z.string({ error: 'imagePath is required: the image to run (registryPath from getInfo)' }).min(1),
  username: z.string().optional(),
  password: z.string().optional(),
});

const container = z
  .strictObject({
    name: z.string({ error: 'every container needs a name' }).min(1),
    init: z.boolean().optional(),
    image: z.string().optional(),
    imageDetails: imageDetails.optional(),
    imagePullPolicy: z.enum(['Always', 'IfNotPresent', 'Never']).optional(),
    ports: z.array(port).optional(),
    command: z.array(z.string()).optional(),
    args: z.array(z.string()).optional(),
    workingDir: z.string().optional(),
    envConfig: z.record(z.string(), z.unknown()).optional(),
    volumeConfig: z.array(volume).optional(),
    kubernetes: z.looseObject({}).optional(),
  })
  .superRefine((c, ctx) => {
    if (!c.image && !c.imageDetails) ctx.addIssue({ code: 'custom', message: 'spec image details is missing: give imageDetails.imagePath', path: ['imageDetails'] });
    const names = new Set<string>();
    const mounts = new Set<string>();
    for (const [index, v] of (c.volumeConfig ?? []).entries()) {
      if (names.has(v.name)) ctx.addIssue({ code: 'custom', message: `duplicate volume name ${JSON.stringify(v.name)}`, path: ['volumeConfig', index, 'name'] });
      if (mounts.has(v.mountPath)) {
        ctx.addIssue({ code: 'custom', message: `duplicate mount path ${JSON.stringify(v.mountPath)}`, path: ['volumeConfig', index, 'mountPath'] });
      }
      names.add(v.name);
      mounts.add(v.mountPath);
    }
  });

/** A Juju pod spec, version 3. */
export const podSpecV3Schema = z
  .strictObject({
    version: z.literal(3, { error: 'version must be 3 (envConfig, volumeConfig, kubernetesResources)' }),
    containers: z.array(container).min(1, 'require at least one container spec'),
    service: z
      .strictObject({ scalePolicy: z.enum(['parallel', 'serial']).optional(), annotations: stringMap.optional() })
      .optional(),
    configmaps: z.record(z.string(), stringMap).optional(),
    serviceAccount: z.looseObject({ automountServiceAccountToken: z.boolean().optional(), roles: z.array(z.looseObject({})).optional() }).optional(),
    kubernetesResources: z
      .looseObject({
        // Juju's k8s/specs PodSpec: what the workload pod gets besides its containers.
        pod: z.looseObject({ annotations: stringMap.optional(), labels: stringMap.optional() }).optional(),
        // Juju's caas/specs K8sSecret.
        secrets: z
          .array(
            z.looseObject({
              name: z.string(),
              type: z.string().optional(),
              labels: stringMap.optional(),
              annotations: stringMap.optional(),
              data: stringMap.optional(),
              stringData: stringMap.optional(),
            }),
          )
          .optional(),
        services: z.array(z.looseObject({ name: z.string() })).optional(),
        serviceAccounts: z.array(z.looseObject({})).optional(),
        customResourceDefinitions: z.array(z.looseObject({})).optional(),
        customResources: z.record(z.string(), z.array(z.looseObject({})).min(1)).optional(),
        mutatingWebhookConfigurations: z.record(z.string(), z.array(z.looseObject({})).min(1)).optional(),
        validatingWebhookConfigurations: z.record(z.string(), z.array(z.looseObject({})).min(1)).optional(),
        ingressResources: z.array(z.looseObject({})).optional(),
      })
      .optional(),
  })
  .superRefine((spec, ctx) => {
    // A volume name shared by containers must describe the same volume.
    const seen = new Map<string, string>();
    for (const [ci, c] of spec.containers.entries()) {
      for (const [vi, v] of (c.volumeConfig ?? []).entries()) {
        const shape = JSON.stringify({ ...v, mountPath: undefined });
        const before = seen.get(v.name);
        if (before !== undefined && before !== shape) {
          ctx.addIssue({ code: 'custom', message: `volume ${JSON.stringify(v.name)} differs from a volume of that name in another container`, path: ['containers', ci, 'volumeConfig', vi] });
        }
        seen.set(v.name, shape);
      }
    }
  });

/** A Juju pod spec, version 3 (what `podSpecSet` sends). */
export type PodSpecV3 = z.input<typeof podSpecV3Schema>;
