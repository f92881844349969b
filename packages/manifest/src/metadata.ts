import { join } from 'node:path';
import { z } from 'zod';
import { loadYamlFile } from './load-yaml.js';

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
    name: z.string({ error: 'the charm needs a name' }).regex(/^[a-z][a-z0-9-]*$/, 'lower-case letters, digits and hyphens, starting with a letter'),
    summary: z.string().optional(),
    description: z.string().optional(),
    series: z.array(z.string()).optional(),
    requires: z.record(z.string(), relation).optional(),
    provides: z.record(z.string(), relation).optional(),
    peers: z.record(z.string(), relation).optional(),
    resources: z.record(z.string(), resource).optional(),
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
  });

export type CharmMetadata = z.infer<typeof metadataSchema>;

/** Reads `<charmDir>/metadata.yaml`. @throws ManifestError */
export function loadMetadata(charmDir: string): CharmMetadata {
  return loadYamlFile(join(charmDir, 'metadata.yaml'), metadataSchema)!;
}
