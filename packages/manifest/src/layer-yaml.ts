import { join } from 'node:path';
import { z } from 'zod';
import { loadYamlFile } from './load-yaml.js';

/** layer.yaml: of a layer, of a charm's source, or of a built charm. */
export const layerYamlSchema = z.looseObject({
  /** `layer:NAME`, `interface:NAME`, or a folder path (`./layers/base`, relative to this file). */
  includes: z
    .array(z.string().regex(/^((layer|interface):[a-z0-9][a-z0-9.-]*|\.{1,2}\/.*|\/.*)$/, 'must be layer:NAME, interface:NAME or a folder path starting with ./ ../ or /'))
    .optional(),
  /** This layer's name (default: the include name, or the folder name). */
  name: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/).optional(),
  /** Per layer, its option values (in a built charm: with defaults filled in). */
  options: z.record(z.string(), z.record(z.string(), z.unknown()).nullable()).optional(),
  /** The options this layer accepts: JSON-Schema properties. */
  defines: z.record(z.string(), z.looseObject({ type: z.string().optional(), default: z.unknown().optional() })).optional(),
  exclude: z.array(z.string()).optional(),
  ignore: z.array(z.string()).optional(),
  metadata: z.strictObject({ deletes: z.array(z.string()) }).optional(),
  config: z.strictObject({ deletes: z.array(z.string()) }).optional(),
  actions: z.strictObject({ deletes: z.array(z.string()) }).optional(),
  repo: z.string().optional(),
  'is': z.string().optional(),
});

export type LayerYaml = z.infer<typeof layerYamlSchema>;

/** Reads `<dir>/layer.yaml`; `undefined` when there is none. @throws ManifestError */
export function loadLayerYaml(dir: string): LayerYaml | undefined {
  return loadYamlFile(join(dir, 'layer.yaml'), layerYamlSchema, { optional: true });
}
