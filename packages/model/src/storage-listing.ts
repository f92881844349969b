/**
 * The model's storage as `juju storage --format yaml|json` prints it (Juju 2.9
 * cmd/juju/storage list.go, storage.go, filesystem.go, volume.go: `CombinedStorage`):
 * each instance with its unit attachment, and the filesystem or volume behind it. The
 * model's provider is this machine: a filesystem's or volume's `provider-id` is the
 * instance's folder.
 */
import { join } from 'node:path';
import { storageLocation } from './storage-files.js';
import { formatSince } from './status-time.js';
import type { ModelRecord, StorageRecord } from './model-state.js';

/** A status as the storage listing shows it. */
interface EntityStatus {
  readonly current: 'attached' | 'detaching';
  /** As `juju status` prints times (common.FormatTime): local time, or UTC with `utc`. */
  readonly since: string;
}

/** One storage instance (`storage:` of `juju storage --format yaml`). */
export interface StorageInstanceListing {
  readonly kind: 'filesystem' | 'block';
  readonly life: 'alive' | 'dying';
  readonly status: EntityStatus;
  /** The model's pools are not persistent: an instance goes with its unit. */
  readonly persistent: false;
  readonly attachments: { readonly units: Record<string, { readonly life: 'alive' | 'dying'; readonly location: string }> };
}

/** The filesystem or volume behind an instance. */
export interface StorageBackingListing {
  /** The instance's folder on this machine. */
  readonly 'provider-id': string;
  readonly storage: string;
  readonly attachments: { readonly units: Record<string, { readonly life: 'alive' | 'dying'; readonly location: string }> };
  readonly pool: string;
  /** MiB. */
  readonly size: number;
  readonly life: 'alive' | 'dying';
  readonly status: EntityStatus;
}

/** Everything `charms storage` shows. */
export interface StorageListing {
  readonly storage: Record<string, StorageInstanceListing>;
  /** By filesystem id: the number of the instance's id. */
  readonly filesystems: Record<string, StorageBackingListing>;
  /** By volume id (block storage): the number of the instance's id. */
  readonly volumes: Record<string, StorageBackingListing>;
}

/** The listing of `model`'s storage, instances sorted by unit then id as Juju sorts its table. */
export function storageListing(model: ModelRecord, modelDir: string, options: { readonly utc?: boolean } = {}): StorageListing {
  const listing = { storage: {} as Record<string, StorageInstanceListing>, filesystems: {} as Record<string, StorageBackingListing>, volumes: {} as Record<string, StorageBackingListing> };
  for (const instance of sortedInstances(model)) {
    const life = instance.dying ? 'dying' : 'alive';
    // Fresh objects for each place: the listing is a tree, which YAML prints without anchors.
    const status = (): EntityStatus => ({ current: instance.dying ? 'detaching' : 'attached', since: formatSince(instance.since, options.utc === true) ?? '' });
    const units = () => ({ [instance.unit]: { life, location: storageLocation(instance, modelDir) } }) as const;
    listing.storage[instance.id] = { kind: instance.kind, life, status: status(), persistent: false, attachments: { units: units() } };
    const backing = { 'provider-id': join(modelDir, instance.dir), storage: instance.id, attachments: { units: units() }, pool: instance.pool, size: instance.size, life, status: status() } as const;
    (instance.kind === 'block' ? listing.volumes : listing.filesystems)[instance.id.split('/')[1]!] = backing;
  }
  return listing;
}

/** The instances by unit, then id (list.go's sort of the tabular rows). */
export function sortedInstances(model: ModelRecord): StorageRecord[] {
  const number = (id: string) => Number(id.split('/')[1]);
  return [...(model.storage ?? [])].sort((a, b) => (a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : a.store < b.store ? -1 : a.store > b.store ? 1 : number(a.id) - number(b.id)));
}
