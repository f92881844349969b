import { z } from 'zod';

// metadata.yaml `containers:`, the workload containers of a sidecar charm, as Juju 3.x
// reads them: juju/charm (v9 to v12, what Juju 3.x builds on) meta.go `containerSchema`,
// `mountSchema`, `parseContainers` and `parseMounts`. Each container may name the
// oci-image resource it runs and the stores it mounts; v12 adds `uid` and `gid`
// (Juju 3.5). A key the schema does not name is refused, as juju/schema's FieldMap does.

/** One `mounts:` entry: a declared store and where the workload container sees it. */
const mountSchema = z.strictObject({
  storage: z.string().optional(),
  location: z.string().optional(),
});

/** One container of metadata.yaml `containers:`. */
export const containerSchema = z.strictObject({
  resource: z.string().optional(),
  mounts: z.array(mountSchema).optional(),
  uid: z.number().int().nonnegative().optional(),
  gid: z.number().int().nonnegative().optional(),
});

export type ContainerSpec = z.infer<typeof containerSchema>;

const isMap = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The checks juju/charm makes of containers against the rest of the metadata, as a zod
 * refinement of the whole document so that each problem has its line: a container's
 * `resource` must be declared under `resources:` with `type: oci-image`; a mount needs
 * `storage` and `location`, and its store must be declared (parseMounts). Containers
 * are metadata v2 and `series`, `deployment` and `min-juju-version` v1: Juju refuses a
 * file with both (meta.go identifyFormat, "ambiguous metadata").
 */
export function checkContainers(metadata: Record<string, unknown>, ctx: z.RefinementCtx): void {
  if (!isMap(metadata) || !isMap(metadata.containers)) return;
  const v1 = ['series', 'deployment', 'min-juju-version'].filter((key) => metadata[key] !== undefined);
  if (v1.length > 0) {
    ctx.addIssue({
      code: 'custom',
      path: [v1[0]!],
      message: `ambiguous metadata: ${v1.map((k) => `"${k}"`).join(', ')} cannot be used with "containers" (a sidecar charm names its bases in charmcraft.yaml and manifest.yaml, not a series): remove ${v1.length > 1 ? 'them' : 'it'}, or remove "containers" for a podspec charm`,
    });
  }
  const resources = isMap(metadata.resources) ? metadata.resources : {};
  const storage = isMap(metadata.storage) ? metadata.storage : {};
  for (const [name, container] of Object.entries(metadata.containers)) {
    if (!isMap(container)) continue;
    if (typeof container.resource === 'string') {
      const declared = resources[container.resource];
      if (!isMap(declared)) {
        ctx.addIssue({ code: 'custom', path: ['containers', name, 'resource'], message: `container "${name}": referenced resource "${container.resource}" not found: declare it under resources: with type: oci-image` });
      } else if (declared.type !== 'oci-image') {
        ctx.addIssue({ code: 'custom', path: ['containers', name, 'resource'], message: `container "${name}": referenced resource "${container.resource}" is not a oci-image (it is ${JSON.stringify(declared.type)}): a container runs an oci-image resource` });
      }
    }
    if (!Array.isArray(container.mounts)) continue;
    container.mounts.forEach((mount, index) => {
      if (!isMap(mount)) return;
      const at = ['containers', name, 'mounts', index];
      if (typeof mount.storage !== 'string' || mount.storage === '') {
        ctx.addIssue({ code: 'custom', path: at, message: `container "${name}": storage must be specified on mount (the name of a store under storage:)` });
      } else if (!isMap(storage[mount.storage])) {
        ctx.addIssue({ code: 'custom', path: [...at, 'storage'], message: `container "${name}": storage "${mount.storage}" not valid: it is not declared under storage:` });
      }
      if (typeof mount.location !== 'string' || mount.location === '') {
        ctx.addIssue({ code: 'custom', path: at, message: `container "${name}": location must be specified on mount (where the workload container sees the store, such as /data)` });
      }
    });
  }
}
