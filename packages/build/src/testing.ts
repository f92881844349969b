/**
 * @charms/build/testing: the build's steps one by one, for the tests of this workspace.
 * Not stable: names and shapes change without notice.
 */
export { bundleCharm, interfaceEntries } from './bundle.js';
export type { BundleFile, InterfaceEntry } from './bundle.js';
export { findTypeScript } from './find-typescript.js';
export { HOOK_SCRIPT, DISPATCH_SCRIPT, hookNames, STANDARD_HOOKS } from './hooks.js';
export { mergeCharmFiles } from './merge-files.js';
export { deepMerge, applyDeletes } from './deep-merge.js';
