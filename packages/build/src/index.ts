/**
 * @charms/build: building a charm from its layers, and packing a built charm into a
 * `.charm` file, as functions. The charms command runs them; charm tests and tools
 * call them directly.
 */
export { buildCharm } from './build-charm.js';
export type { BuildOptions, BuildSummary } from './build-charm.js';
export type { LintProblem, LintStep } from './check-charm.js';
export { packCharm } from './pack-charm.js';
export type { PackOptions, PackSummary } from './pack-charm.js';
export { resolveLayers } from './resolve-layers.js';
export type { LayerIndex, ResolvedLayer, ResolveOptions } from './resolve-layers.js';
export { layerIndexFor } from './layer-index.js';
export { entryModules } from './bundle.js';
export type { EntryModule } from './bundle.js';
export { configTypes } from './config-types.js';
export { BuildError } from './build-error.js';
export type { BuildErrorCode } from './build-error.js';
