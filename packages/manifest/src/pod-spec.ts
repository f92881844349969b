import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

// Pod spec version 3, as Juju 2.8/2.9 decode it (caas/specs, strict: unknown fields
// fail there, so they fail here first, with the field named).
//
// Written with zod/mini, not the rest of this package's zod: a hook that sends a spec
// loads this schema (layer-caas-base), and zod's full build costs a hook 60–90 ms to load
// where this costs under 10 (docs/explanation/hook-time.md). The issues and their
// messages are the same: both builds share zod's core and its English messages.

// zod/mini leaves the messages to the program: English, as zod's full build sets them,
// unless the program has chosen other messages already.
if (!z.config().localeError) z.config(en());

/** A Go `map[string]string`: Juju refuses any other value there. */
const stringMap = z.record(z.string(), z.string());

const port = z.strictObject({
  name: z.optional(z.string()),
  containerPort: z.number().check(z.int(), z.gte(1), z.lte(65535)),
  protocol: z.optional(z.enum(['TCP', 'UDP', 'SCTP'])),
});

const file = z.strictObject({
  path: z.string().check(z.minLength(1)),
  content: z.optional(z.string()),
  key: z.optional(z.string()),
  mode: z.optional(z.number().check(z.int())),
});

const volume = z.strictObject({
  name: z.string().check(z.minLength(1)),
  mountPath: z.string().check(z.minLength(1)),
  files: z.optional(z.array(file)),
  hostPath: z.optional(z.looseObject({ path: z.string() })),
  emptyDir: z.optional(z.looseObject({})),
  configMap: z.optional(z.looseObject({ name: z.string() })),
  secret: z.optional(z.looseObject({ name: z.string() })),
});

const imageDetails = z.strictObject({
  imagePath: z.string({ error: 'imagePath is required: the image to run (registryPath from getInfo)' }).check(z.minLength(1)),
  username: z.optional(z.string()),
  password: z.optional(z.string()),
});

const container = z
  .strictObject({
    name: z.string({ error: 'every container needs a name' }).check(z.minLength(1)),
    init: z.optional(z.boolean()),
    image: z.optional(z.string()),
    imageDetails: z.optional(imageDetails),
    imagePullPolicy: z.optional(z.enum(['Always', 'IfNotPresent', 'Never'])),
    ports: z.optional(z.array(port)),
    command: z.optional(z.array(z.string())),
    args: z.optional(z.array(z.string())),
    workingDir: z.optional(z.string()),
    envConfig: z.optional(z.record(z.string(), z.unknown())),
    volumeConfig: z.optional(z.array(volume)),
    kubernetes: z.optional(z.looseObject({})),
  })
  .check(
    z.superRefine((c, ctx) => {
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
    }),
  );

/** A list of loose objects, at least one: the custom resources and webhooks under one name. */
const nonEmptyList = z.array(z.looseObject({})).check(z.minLength(1));

/** A Juju pod spec, version 3. */
export const podSpecV3Schema = z
  .strictObject({
    version: z.literal(3, { error: 'version must be 3 (envConfig, volumeConfig, kubernetesResources)' }),
    containers: z.array(container).check(z.minLength(1, 'require at least one container spec')),
    service: z.optional(z.strictObject({ scalePolicy: z.optional(z.enum(['parallel', 'serial'])), annotations: z.optional(stringMap) })),
    configmaps: z.optional(z.record(z.string(), stringMap)),
    serviceAccount: z.optional(z.looseObject({ automountServiceAccountToken: z.optional(z.boolean()), roles: z.optional(z.array(z.looseObject({}))) })),
    kubernetesResources: z.optional(
      z.looseObject({
        // Juju's k8s/specs PodSpec: what the workload pod gets besides its containers.
        pod: z.optional(z.looseObject({ annotations: z.optional(stringMap), labels: z.optional(stringMap) })),
        // Juju's caas/specs K8sSecret.
        secrets: z.optional(
          z.array(
            z.looseObject({
              name: z.string(),
              type: z.optional(z.string()),
              labels: z.optional(stringMap),
              annotations: z.optional(stringMap),
              data: z.optional(stringMap),
              stringData: z.optional(stringMap),
            }),
          ),
        ),
        services: z.optional(z.array(z.looseObject({ name: z.string() }))),
        serviceAccounts: z.optional(z.array(z.looseObject({}))),
        customResourceDefinitions: z.optional(z.array(z.looseObject({}))),
        customResources: z.optional(z.record(z.string(), nonEmptyList)),
        mutatingWebhookConfigurations: z.optional(z.record(z.string(), nonEmptyList)),
        validatingWebhookConfigurations: z.optional(z.record(z.string(), nonEmptyList)),
        ingressResources: z.optional(z.array(z.looseObject({}))),
      }),
    ),
  })
  .check(
    z.superRefine((spec, ctx) => {
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
    }),
  );

/** A Juju pod spec, version 3 (what `podSpecSet` sends). */
export type PodSpecV3 = z.input<typeof podSpecV3Schema>;
