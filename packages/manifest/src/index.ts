/**
 * @charms/manifest: a charm's YAML files, validated with zod and reported as
 * `file:line:col code message`, every problem at once.
 */
export { loadYamlFile, parseYamlText, parseCharmYaml, readCharmYaml, stringifyCharmYaml, locate, issuePath } from './load-yaml.js';
export { ManifestError, formatProblem } from './manifest-error.js';
export type { ManifestProblem } from './manifest-error.js';
export { metadataSchema, loadMetadata } from './metadata.js';
export { nameProblem, pathInside, checkMetadataNames, checkActionNames, MAX_NAME_LENGTH } from './names.js';
export type { NameKind } from './names.js';
export { isKubernetesCharm, endpoints } from './metadata-queries.js';
export type { CharmMetadata } from './metadata.js';
export { configSchema, loadConfigYaml } from './config.js';
export { configValueFits, effectiveConfig } from './config-value.js';
export type { OptionDefault } from './config-value.js';
export type { ConfigOptionSpec, CharmConfigYaml } from './config.js';
export { layerYamlSchema, loadLayerYaml } from './layer-yaml.js';
export type { LayerYaml } from './layer-yaml.js';
export { actionsSchema, loadActionsYaml } from './actions.js';
export type { CharmActions } from './actions.js';
export { podSpecV3Schema } from './pod-spec.js';
export type { PodSpecV3 } from './pod-spec.js';
