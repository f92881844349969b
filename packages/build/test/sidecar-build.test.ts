import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCharm, packCharm } from '@charms/build';
import { readCharmYaml } from '@charms/manifest';
import { out } from './helpers/two-layers.js';
import { unzip } from './helpers/zip.js';

const TIMEOUT = 120_000;
const fixture = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'sidecar');

describe('a sidecar charm (metadata containers:, Juju 3.x)', { timeout: TIMEOUT }, () => {
  let built: string;
  beforeAll(async () => {
    built = out();
    await buildCharm({ charmDir: fixture, outDir: built });
  }, TIMEOUT);

  it("gets the workload hooks of each container, as Juju 3.6 knows them (internal/charm/hooks: pebble-ready, -custom-notice, -check-failed, -check-recovered)", () => {
    for (const event of ['pebble-ready', 'pebble-custom-notice', 'pebble-check-failed', 'pebble-check-recovered']) {
      expect(existsSync(join(built, 'hooks', `workload-${event}`)), `hooks/workload-${event}`).toBe(true);
    }
    expect(existsSync(join(built, 'hooks', 'data-storage-attached'))).toBe(true);
  });

  it('packs a manifest.yaml with the ubuntu 22.04 base, the channel a string as Juju 3.x reads it (internal/charm/manifest.go)', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'packed-')), 'sidecar-demo.charm');
    await packCharm({ builtDir: built, output: file });
    const manifest = readCharmYaml(readFileSync(join(await unzip(file), 'manifest.yaml'), 'utf8')) as { bases: unknown };
    expect(manifest.bases).toEqual([{ name: 'ubuntu', channel: '22.04', architectures: ['amd64'] }]);
  });

  it('packs a podspec charm (series: [kubernetes]) on the focal base', async () => {
    const podspec = join(mkdtempSync(join(tmpdir(), 'podspec-built-')), 'podspec');
    cpSync(built, podspec, { recursive: true });
    writeFileSync(join(podspec, 'metadata.yaml'), 'name: podspec-demo\nseries: [kubernetes]\nresources:\n  image: {type: oci-image}\n');
    const file = join(mkdtempSync(join(tmpdir(), 'packed-')), 'podspec-demo.charm');
    await packCharm({ builtDir: podspec, output: file });
    const manifest = readCharmYaml(readFileSync(join(await unzip(file), 'manifest.yaml'), 'utf8')) as { bases: unknown };
    expect(manifest.bases).toEqual([{ name: 'ubuntu', channel: '20.04', architectures: ['amd64'] }]);
  });
});
