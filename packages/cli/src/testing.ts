/**
 * @charms/cli/testing: the modules behind the charms command, for the tests of this
 * workspace. Not stable: names and shapes change without notice.
 */
export { buildCharm, buildMessages, lintForBuild } from './charm-build.js';
export { CliError } from './cli-error.js';
export type { CliErrorCode } from './cli-error.js';
export { analyzeCharm } from './tools/charm-analysis.js';
export type { CharmAnalysis, AnalyzedHandler } from './tools/charm-analysis.js';
export { lintCharm, formatFindings } from './tools/lint.js';
export type { LintFinding } from './tools/lint.js';
export { charmGraph, toMermaid, toDot, toSvg, toHtml } from './tools/graph.js';
export type { CharmGraph } from './tools/graph.js';
export { explainTrace } from './tools/explain.js';
export { initCharm } from './init/init-charm.js';
export type { InitOptions, InitSummary } from './init/init-charm.js';
export { checkCharmName, CHARM_NAME } from './init/charm-name.js';
export { InitError } from './init/init-error.js';
export type { InitErrorCode } from './init/init-error.js';
