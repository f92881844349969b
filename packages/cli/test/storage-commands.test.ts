import { describe, expect, it } from 'vitest';
import { cliModels, modelFixture } from './helpers/cli-model.js';

// charms add-storage and charms storage (issue 17), as Juju 2.9's add-storage and
// storage print (cmd/juju/storage/add.go, list.go; docs/explanation/
// juju-actions-and-storage.md §5.4), against the model's shell fixture charm with stores
// `data` (one, 2G, /srv/data) and `logs` (0 to 3).

const charm = modelFixture('action-charm');
const TIMEOUT = 180_000;
const newModel = cliModels('storage-commands');

describe('the storage commands', { timeout: TIMEOUT }, () => {
  it('lists storage as juju storage (table, yaml, json), adds instances with add-storage, and refuses what Juju refuses', async () => {
    const { charms } = newModel();
    expect((await charms('storage')).stderr).toBe('No storage to display.\n');
    const deployed = await charms('deploy', charm);
    expect(deployed.stdout).toMatch(/actions-demo\/0 +data-storage-attached +ok/);

    const added = await charms('add-storage', 'actions-demo/0', 'logs=2');
    expect(added.status).toBe(0);
    expect(added.stderr).toContain('added storage logs/1 to actions-demo/0\nadded storage logs/2 to actions-demo/0\n');
    expect(added.stderr).toContain('Juju 2.9 refuses add-storage on Kubernetes models');
    expect(added.stdout).toMatch(/logs-storage-attached +ok[^\n]*\n[^\n]*logs-storage-attached +ok/);

    const table = await charms('storage');
    expect(table.stdout).toBe(
      [
        'Unit            Storage ID  Type        Pool        Size    Status    Message',
        'actions-demo/0  data/0      filesystem  kubernetes  2.0GiB  attached  ',
        'actions-demo/0  logs/1      filesystem  kubernetes  1.0GiB  attached  ',
        'actions-demo/0  logs/2      filesystem  kubernetes  1.0GiB  attached  ',
        '',
      ].join('\n'),
    );
    const yaml = await charms('storage', '--format', 'yaml');
    expect(yaml.stdout).toMatch(/^filesystems:\n  "0":\n    attachments:\n      units:\n        actions-demo\/0:\n          life: alive\n          location: \/srv\/data\n/);
    const json = JSON.parse((await charms('storage', '--format', 'json')).stdout) as { storage: Record<string, { attachments: { units: Record<string, { location: string }> } }> };
    expect(Object.keys(json.storage)).toEqual(['data/0', 'logs/1', 'logs/2']);
    expect(json.storage['logs/2']!.attachments.units['actions-demo/0']!.location).toBe('/var/lib/juju/storage/logs/2');

    const over = await charms('add-storage', 'actions-demo/0', 'logs=2');
    expect(over).toMatchObject({ status: 1, stderr: expect.stringContaining('error: failed to add storage "logs" to actions-demo/0: attaching 2 storage instances brings the total to 4, exceeding the maximum of 3\n') });
    const unknown = await charms('add-storage', 'actions-demo/0', 'cache');
    expect(unknown.stderr).toContain('error: failed to add storage "cache" to actions-demo/0: charm storage "cache" not found\n');
    expect((await charms('storage', '--format', 'xml'))).toMatchObject({ status: 1, stderr: 'error: unknown format "xml": use tabular, yaml, json\n' });
    expect(Object.keys(JSON.parse((await charms('storage', '--format', 'json')).stdout).storage)).toEqual(['data/0', 'logs/1', 'logs/2']);
  });
});
