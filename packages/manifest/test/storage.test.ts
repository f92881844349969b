import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMetadata, storeDeclarations } from '@charms/manifest';
import { parseSize } from '@charms/manifest/internal';
import { problems } from './fixtures/problems.js';

function metadataFile(lines: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'manifest-storage-'));
  writeFileSync(join(dir, 'metadata.yaml'), ['name: kv', ...lines].join('\n'));
  return dir;
}

describe('metadata.yaml storage (juju/charm v8 meta.go storageSchema, parseStorage, Meta.Check)', () => {
  it('reads each store with its kind, count range and size in MiB, defaults as Juju fills them', () => {
    const dir = metadataFile([
      'storage:',
      '  data:',
      '    type: filesystem',
      '    location: /srv/data',
      '    minimum-size: 10G',
      '  logs:',
      '    type: filesystem',
      '    multiple:',
      '      range: 0+',
      '  disks:',
      '    type: block',
      '    multiple:',
      '      range: 2-4',
      '  cache:',
      '    type: filesystem',
      '    multiple:',
      '      range: 3',
    ]);
    expect(storeDeclarations(loadMetadata(dir).storage)).toEqual([
      { name: 'data', type: 'filesystem', shared: false, readOnly: false, location: '/srv/data', size: 10240, count: { min: 1, max: 1 } },
      { name: 'logs', type: 'filesystem', shared: false, readOnly: false, size: 1024, count: { min: 0, max: -1 } },
      { name: 'disks', type: 'block', shared: false, readOnly: false, size: 1024, count: { min: 2, max: 4 } },
      { name: 'cache', type: 'filesystem', shared: false, readOnly: false, size: 1024, count: { min: 3, max: 3 } },
    ]);
  });

  it('refuses what juju/charm refuses, each problem at its line', () => {
    const dir = metadataFile([
      'storage:',
      '  data:',
      '    type: tmpfs',
      '  disk:',
      '    type: block',
      '    location: /dev/sdb',
      '  logs:',
      '    type: filesystem',
      '    multiple:',
      '      range: two',
      '  big:',
      '    type: filesystem',
      '    minimum-size: lots',
      '  odd:',
      '    type: filesystem',
      '    size: 1G',
      '  none:',
      '    type: filesystem',
      '    multiple:',
      '      range: 0-0',
      '  inside:',
      '    type: filesystem',
      '    location: /var/lib/juju/storage/inside',
    ]);
    const found = problems(() => loadMetadata(dir));
    expect(found.map((p) => [p.line, p.message])).toEqual([
      [4, expect.stringMatching(/^storage\.data\.type: type must be "block" or "filesystem"/)],
      [7, expect.stringMatching(/^storage\.disk\.location: location may not be specified for "type: block"/)],
      [11, expect.stringMatching(/^storage\.logs\.multiple\.range: value "two" does not match 'm', 'm-n', or 'm\+'/)],
      [14, expect.stringMatching(/^storage\.big\.minimum-size: invalid size "lots"/)],
      [16, expect.stringMatching(/^storage\.odd.*size/)],
      [21, expect.stringMatching(/^storage\.none\.multiple\.range: invalid maximum count 0/)],
      [24, expect.stringMatching(/must not fall within "\/var\/lib\/juju\/storage"/)],
    ]);
  });

  it('reads sizes as juju/utils ParseSize: MiB by default, powers of 1024 by suffix', () => {
    expect([parseSize('512'), parseSize('1G'), parseSize('1.5GiB'), parseSize('2T'), parseSize('10 kg')]).toEqual([512, 1024, 1536, 2 * 1024 ** 2, undefined]);
  });
});
