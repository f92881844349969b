/**
 * @charms/cli/testing: the modules behind the charms command, for the tests of this
 * workspace. Not stable: names and shapes change without notice.
 */
export { buildCharm as buildCharmWithLint } from './charm-build.js';
export { CliError } from './cli-error.js';
export { analyzeCharm } from './tools/charm-analysis.js';
export { lintCharm } from './tools/lint.js';
export { charmGraph, toMermaid, toDot, toSvg, toHtml } from './tools/graph.js';
export type { CharmGraph } from './tools/graph.js';
export { explainTrace } from './tools/explain.js';
export { initCharm } from './init/init-charm.js';
export { checkCharmName } from './init/charm-name.js';
export { InitError } from './init/init-error.js';
