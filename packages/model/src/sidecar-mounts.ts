/**
 * The storage a sidecar unit's workload container mounts (metadata.yaml
 * `containers.<name>.mounts`: `storage` and `location`): each filesystem instance of that
 * store attached to the unit, from its folder in the model. As state/filesystem.go's
 * FilesystemMountPoint does for a location: a store of one instance is mounted at the
 * location itself, a store of several each at `<location>/<store>/<n>`.
 */
import { join } from 'node:path';
import type { ContainerMount } from './container-filesystem.js';
import type { AppRecord, ContainerRecord, ModelRecord } from './model-state.js';

/** The mounts of `container` of `unit`, whose application is `app`. */
export function containerStorageMounts(model: Readonly<ModelRecord>, app: Readonly<AppRecord>, unit: string, container: Readonly<ContainerRecord>, modelDir: string): ContainerMount[] {
  const mounts: ContainerMount[] = [];
  for (const mount of container.mounts) {
    const single = app.stores?.find((store) => store.name === mount.storage)?.count.max === 1;
    const location = mount.location.replace(/\/+$/, '') || '/';
    for (const instance of model.storage ?? []) {
      if (instance.unit !== unit || instance.store !== mount.storage || instance.kind !== 'filesystem' || instance.dying) continue;
      mounts.push({ location: single ? location : `${location === '/' ? '' : location}/${instance.id}`, source: join(modelDir, instance.dir), readOnly: false });
    }
  }
  return mounts;
}
