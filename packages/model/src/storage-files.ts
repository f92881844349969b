/**
 * A storage instance on the model's disk: a folder per instance (`<model>/storage/<store>-<n>`),
 * and where the charm is told it is.
 */
import { closeSync, ftruncateSync, mkdirSync, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { StorageRecord } from './model-state.js';

/** The file that stands for a block device in its instance's folder: sparse, of the instance's size. */
export const BLOCK_DEVICE_FILE = 'device';

/**
 * Where a charm finds a storage instance, as `storage-get location` and
 * JUJU_STORAGE_LOCATION give it: a container charm, the mount point in its workload's pod
 * (it hands that path to its pod spec); a machine charm, which runs on this machine, the
 * instance's folder, or for block storage the file standing for the device in it.
 */
export function storageLocation(instance: StorageRecord, modelDir: string): string {
  if (instance.mountPoint !== undefined) return instance.mountPoint;
  return instance.kind === 'block' ? join(modelDir, instance.dir, BLOCK_DEVICE_FILE) : join(modelDir, instance.dir);
}

/**
 * Makes an instance's folder, empty: a folder already there (left by a model that died
 * before it saved the instance, whose number is then given again) is emptied first, so
 * a new instance never starts with another's data. A block instance gets its sparse
 * device file of `size` MiB in it.
 */
export function makeStorageFolder(path: string, kind: 'filesystem' | 'block', size: number): void {
  rmSync(path, { recursive: true, force: true });
  mkdirSync(path, { recursive: true, mode: 0o755 });
  if (kind !== 'block') return;
  const fd = openSync(join(path, BLOCK_DEVICE_FILE), 'a');
  try {
    ftruncateSync(fd, size * 1024 * 1024);
  } finally {
    closeSync(fd);
  }
}
