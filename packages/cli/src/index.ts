/** @charms/cli: the charms command, and its build and pack steps as functions for tests and tools. */
export { buildCharm } from './build/build-charm.js';
export type { BuildOptions, BuildSummary } from './build/build-charm.js';
export { packCharm } from './pack/pack-charm.js';
export type { PackOptions, PackSummary } from './pack/pack-charm.js';
export { resolveLayers } from './build/resolve-layers.js';
export type { ResolvedLayer } from './build/resolve-layers.js';
export { deepMerge, applyDeletes } from './build/deep-merge.js';
export { hookNames, STANDARD_HOOKS } from './build/hooks.js';
export { CliError } from './cli-error.js';
export type { CliErrorCode } from './cli-error.js';
export { configTypes } from './config-types.js';
export { analyzeCharm } from './tools/charm-analysis.js';
export type { CharmAnalysis, AnalyzedHandler } from './tools/charm-analysis.js';
export { lintCharm, formatFindings } from './tools/lint.js';
export type { LintFinding } from './tools/lint.js';
export { charmGraph, toMermaid, toDot, toSvg, toHtml } from './tools/graph.js';
export type { CharmGraph } from './tools/graph.js';
export { explainTrace } from './tools/explain.js';
