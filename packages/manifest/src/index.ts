/**
 * @charms/manifest: a charm's YAML files, validated with zod and reported as
 * `file:line:col code message`, every problem at once.
 *
 * The public API, listed in docs/reference/manifest.md. What the build and the model
 * share with this package beyond it is at `@charms/manifest/internal` (not stable).
 */
export { loadYamlFile, parseYamlText, readCharmYaml, stringifyCharmYaml } from './load-yaml.js';
export { ManifestError, formatProblem } from './manifest-error.js';
export type { ManifestProblem } from './manifest-error.js';
export { metadataSchema, loadMetadata } from './metadata.js';
export type { CharmMetadata } from './metadata.js';
export { nameProblem } from './names.js';
export type { NameKind } from './names.js';
export { isKubernetesCharm, isSidecarCharm, endpoints } from './metadata-queries.js';
export { storeDeclarations } from './storage.js';
export type { StoreDeclaration } from './storage.js';
export { configSchema, loadConfigYaml } from './config.js';
export type { ConfigOptionSpec, CharmConfigYaml } from './config.js';
export { configValueFits, effectiveConfig } from './config-value.js';
export type { OptionDefault } from './config-value.js';
export { layerYamlSchema, loadLayerYaml } from './layer-yaml.js';
export type { LayerYaml } from './layer-yaml.js';
export { actionsSchema, loadActionsYaml } from './actions.js';
export type { CharmActions } from './actions.js';
export { checkActionParams, ActionParamsError } from './action-params.js';
export type { ActionParamsErrorCode, ActionTarget } from './action-params.js';
export { podSpecV3Schema } from './pod-spec.js';
export type { PodSpecV3 } from './pod-spec.js';
