import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ManifestProblem } from '@charms/manifest';
import { locate, parseCharmYaml } from '@charms/manifest/internal';
import { Ajv } from 'ajv';
import { LineCounter } from 'yaml';
import { BuildError } from './build-error.js';
import type { ResolvedLayer } from './resolve-layers.js';

/**
 * The options of every layer for the built layer.yaml: each layer's `defines` is the
 * JSON-Schema of its own section; options set by any layer (higher ones win) are checked
 * against it, and every default is written in. Every layer gets a section.
 *
 * @throws BuildError `OPTIONS_INVALID` listing, with file:line:col, options for a layer
 * that is not included (or defines nothing) and values of the wrong type.
 */
export function resolveLayerOptions(allLayers: readonly ResolvedLayer[]): Record<string, Record<string, unknown>> {
  // Interfaces have no options section (charm-tools gives them none either).
  const layers = allLayers.filter((layer) => layer.kind !== 'interface');
  const byName = new Map(layers.map((layer) => [layer.name, layer]));
  const problems: ManifestProblem[] = [];
  const options: Record<string, Record<string, unknown>> = Object.fromEntries(layers.map((layer) => [layer.name, {}]));
  // Where each value was set, to place a type error at the value that caused it.
  const setAt = new Map<string, { layer: ResolvedLayer; path: string[] }>();

  for (const layer of layers) {
    for (const [section, values] of Object.entries(layer.layerYaml.options ?? {})) {
      const owner = byName.get(section);
      if (!owner || Object.keys(owner.layerYaml.defines ?? {}).length === 0) {
        const why = owner ? `layer ${section} defines no options` : `no included layer is called ${section}`;
        problems.push(at(layer, ['options', section], 'UNDEFINED_LAYER', `options set for ${section}, but ${why}`, true));
        continue;
      }
      for (const [option, value] of Object.entries(values ?? {})) {
        options[section]![option] = value;
        setAt.set(`${section}.${option}`, { layer, path: ['options', section, option] });
      }
    }
  }

  const ajv = new Ajv({ useDefaults: true, allErrors: true, strict: false });
  for (const layer of layers) {
    const defines = layer.layerYaml.defines ?? {};
    const validate = ajv.compile({ type: 'object', additionalProperties: false, properties: defines });
    if (validate(options[layer.name])) continue;
    for (const error of validate.errors ?? []) {
      const option = error.keyword === 'additionalProperties' ? String(error.params.additionalProperty) : error.instancePath.split('/')[1] ?? '';
      const origin = setAt.get(`${layer.name}.${option}`);
      const message =
        error.keyword === 'additionalProperties'
          ? `layer ${layer.name} has no option ${option} (it defines: ${Object.keys(defines).join(', ')})`
          : `invalid value for option ${layer.name}.${option}: ${error.message}`;
      problems.push(origin ? at(origin.layer, origin.path, 'OPTION_INVALID', message, error.keyword === 'additionalProperties') : { file: join(layer.dir, 'layer.yaml'), line: 1, col: 1, code: 'OPTION_INVALID', message });
    }
  }
  if (problems.length > 0) throw new BuildError('OPTIONS_INVALID', 'the layer options are not valid:', problems);
  return options;
}

function at(layer: ResolvedLayer, path: string[], code: string, message: string, atKey: boolean): ManifestProblem {
  const file = join(layer.dir, 'layer.yaml');
  const lineCounter = new LineCounter();
  const document = parseCharmYaml(readFileSync(file, 'utf8'), lineCounter);
  return { file, ...locate(document, lineCounter, path, atKey), code, message };
}
