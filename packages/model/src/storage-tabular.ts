import { iecSize } from './iec-size.js';
import type { StorageListing } from './storage-listing.js';
import { block } from './status-tabular.js';

/**
 * `juju storage` as a table (Juju 2.9 cmd/juju/storage/listformatters.go
 * formatStorageListTabular): a row per attachment, by unit then storage id, with the pool
 * column (every instance of the model has one), the size humanised without a space, and
 * the status. Nothing to show prints nothing here: the command says "No storage to display."
 */
export function storageTable(listing: StorageListing): string {
  const rows = Object.entries(listing.storage).flatMap(([id, instance]) => {
    const backing = Object.values(instance.kind === 'block' ? listing.volumes : listing.filesystems).find((b) => b.storage === id);
    return Object.keys(instance.attachments.units).map((unit) => [unit, id, instance.kind, backing?.pool ?? '', backing ? iecSize(backing.size, '') : '', instance.status.current, '']);
  });
  if (rows.length === 0) return '';
  return block([['Unit', 'Storage ID', 'Type', 'Pool', 'Size', 'Status', 'Message'], ...rows]);
}
