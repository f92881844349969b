/**
 * `@charms/manifest/queries`: what a hook asks of files that are already checked, with
 * neither zod nor the YAML parser behind it. A hook that imported the package's main
 * entry would load both (~50 ms) before doing anything. The command line checks names
 * with the same rules.
 */
export { isKubernetesCharm, isSidecarCharm, endpoints } from './metadata-queries.js';
export { configValueFits, effectiveConfig } from './config-value.js';
export type { OptionDefault } from './config-value.js';
export { nameProblem } from './names.js';
export { isSecretSetting, secretForms } from './secret-names.js';
export type { NameKind } from './names.js';
