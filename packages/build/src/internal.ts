/**
 * @charms/build/internal: what the charms command shares with the build (where packages
 * are found, which TypeScript compiler reads a charm). For the packages of this workspace only: not stable, not for charms.
 */
export { packageRoot, WORKSPACE_ROOT } from './install-root.js';
export { findTypeScript } from './find-typescript.js';
export type { TypeScript } from './find-typescript.js';
export { actionModules, charmActionProblems } from './action-modules.js';
export type { ActionModule } from './action-modules.js';
// For the pack tests: whether an embedded Node starts on the charm's base.
export { nodeBaseProblem, newestGlibc } from './node-compat.js';
// For the charms command's bundle (packages/cli/build-bundle.mjs): made as a charm's is,
// and loaded by the same code-cache loader.
export { commonJsFiles } from './commonjs-files.js';
export type { BundleFile, CommonJsOptions } from './commonjs-files.js';
export { codeCacheLoader } from './code-cache-loader.js';
export type { CodeCacheLoaderOptions } from './code-cache-loader.js';
export { buildId } from './start-script.js';
