/**
 * @charms/build/testing: the build's steps one by one, for the tests of this workspace.
 * Not stable: names and shapes change without notice.
 */
export { bundleCharm, interfaceEntries } from './bundle.js';
export { HOOK_SCRIPT } from './hooks.js';
export { mergeCharmFiles } from './merge-files.js';
