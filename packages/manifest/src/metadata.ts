import { join } from 'node:path';
import { z } from 'zod';
import { loadYamlFile } from './load-yaml.js';
import { checkMetadataNames } from './names.js';
import { storeSchema } from './storage.js';
import { checkContainers, containerSchema } from './containers.js';

const relation = z.looseObject({
  interface: z.string({ error: 'every relation needs an interface' }).min(1),
  scope: z.enum(['global', 'container']).optional(),
  limit: z.number().int().positive().optional(),
  optional: z.boolean().optional(),
});

const resource = z.looseObject({
  type: z.enum(['file', 'oci-image']),
  filename: z.string().optional(),
  description: z.string().optional(),
  'auto-fetch': z.boolean().optional(),
});

/** metadata.yaml, the keys the framework reads; other keys are kept as they are. */
export const metadataSchema = z
  .looseObject({
    // The name's rule is checked with the other names (checkMetadataNames), at its line.
    name: z.string({ error: 'the charm needs a name' }),
    summary: z.string().optional(),
    description: z.string().optional(),
    series: z.array(z.string()).optional(),
    requires: z.record(z.string(), relation).optional(),
    provides: z.record(z.string(), relation).optional(),
    peers: z.record(z.string(), relation).optional(),
    resources: z.record(z.string(), resource).optional(),
    storage: z.record(z.string(), storeSchema).optional(),
    /** A sidecar charm's workload containers (Juju 3.x; containers.ts). */
    containers: z.record(z.string(), containerSchema).optional(),
    deployment: z
      .looseObject({
        type: z.enum(['stateless', 'stateful', 'daemon']).optional(),
        service: z.enum(['cluster', 'loadbalancer', 'external', 'omit']).optional(),
      })
      .optional(),
    'min-juju-version': z.string().optional(),
    subordinate: z.boolean().optional(),
  })
  .refine((m) => !(m.resources && Object.entries(m.resources).some(([, r]) => r.type === 'file' && !r.filename)), {
    message: "a resource of type 'file' needs a filename",
    path: ['resources'],
  })
  // Names are checked even when other keys break the schema: every problem at once.
  .superRefine(checkMetadataNames, { when: () => true })
  // Containers against the resources and stores they name: also reported with other problems.
  .superRefine(checkContainers, { when: () => true });

export type CharmMetadata = z.infer<typeof metadataSchema>;

/** Reads `<charmDir>/metadata.yaml`. @throws ManifestError */
export function loadMetadata(charmDir: string): CharmMetadata {
  return loadYamlFile(join(charmDir, 'metadata.yaml'), metadataSchema)!;
}
