import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadLayerYaml, loadYamlFile } from '@charms/manifest';
import { z } from 'zod';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const indexSchema = z.strictObject({
  layers: z.record(z.string().regex(/^layer:/), z.string()),
  interfaces: z.record(z.string().regex(/^interface:/), z.string()),
});

describe('the workspace layer index (layer.yaml)', () => {
  const index = loadYamlFile(join(root, 'layer.yaml'), indexSchema)!;

  it('lists the layers of this workspace', () => {
    expect(Object.keys(index.layers)).toEqual(['layer:status', 'layer:docker-resource', 'layer:caas-base', 'layer:sidecar']);
  });

  it.each(Object.entries(index.layers))('%s points at a folder with a valid layer.yaml whose includes are known', (_name, folder) => {
    expect(existsSync(join(root, folder, 'package.json'))).toBe(true);
    const layer = loadLayerYaml(join(root, folder));
    expect(layer).toBeDefined();
    expect((layer!.includes ?? []).filter((include) => !(include in index.layers))).toEqual([]);
  });

  it('the includes are read, not lost: layer:docker-resource includes layer:status', () => {
    expect(loadLayerYaml(join(root, index.layers['layer:docker-resource']!))?.includes).toEqual(['layer:status']);
  });
});
