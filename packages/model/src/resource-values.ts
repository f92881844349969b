import type { CharmMetadata } from '@charms/manifest';
import { ModelError } from './model-errors.js';
import type { ResourceRecord } from './model-state.js';

/** An oci-image resource as a user gives it: the image, or the image with registry credentials. */
export type ResourceValue = string | { image: string; username?: string; password?: string };

/**
 * Checks resources against what the charm declares, as `juju deploy --resource` does, and
 * returns them as records at revision 1. Every problem is reported at once.
 * @throws ModelError `INVALID_RESOURCE` for an undeclared or file resource, or one without an image.
 */
export function checkResources(declared: CharmMetadata['resources'], given: Readonly<Record<string, ResourceValue>>): Record<string, ResourceRecord> {
  const problems: string[] = [];
  const result: Record<string, ResourceRecord> = {};
  for (const [name, value] of Object.entries(given)) {
    const resource = declared?.[name];
    if (!resource) problems.push(`unknown resource "${name}" (the charm declares: ${Object.keys(declared ?? {}).join(', ') || 'none'})`);
    else if (resource.type !== 'oci-image') problems.push(`resource "${name}" is a file resource; the local model takes oci-image resources only`);
    const image = typeof value === 'string' ? { image: value } : value;
    if (!image.image) problems.push(`resource "${name}" needs an image, e.g. ${name}=minio/minio:latest`);
    result[name] = { image: image.image, username: image.username ?? '', password: image.password ?? '', revision: 1 };
  }
  if (problems.length > 0) throw new ModelError('INVALID_RESOURCE', 'resources not accepted:', problems);
  return result;
}
