import type { CharmMetadata } from './metadata.js';

// Questions asked of metadata that is already valid. Kept apart from the zod schema: a
// hook asks them without loading zod.

/** True for a Kubernetes podspec charm (`series: [kubernetes]`). */
export function isKubernetesCharm(metadata: CharmMetadata): boolean {
  return metadata.series?.includes('kubernetes') ?? false;
}

/**
 * True for a sidecar charm (Juju 3.x): it declares `containers:`, each run beside the
 * charm's own container with Pebble, and is not a podspec charm (`series: [kubernetes]`).
 */
export function isSidecarCharm(metadata: CharmMetadata): boolean {
  return Object.keys(metadata.containers ?? {}).length > 0 && !isKubernetesCharm(metadata);
}

/** Every relation endpoint of the charm with its role, in metadata order. */
export function endpoints(metadata: CharmMetadata): { name: string; role: 'requires' | 'provides' | 'peers'; interface: string }[] {
  return (['requires', 'provides', 'peers'] as const).flatMap((role) =>
    Object.entries(metadata[role] ?? {}).map(([name, spec]) => ({ name, role, interface: spec.interface })),
  );
}
