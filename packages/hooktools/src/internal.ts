/**
 * `@charms/hooktools/internal`: what other workspace packages need and charm authors do
 * not: the rule by which a shell shim of a tool decides to read stdin (the local model's
 * shims), and Go's JSON escaping (`charms status --format json`). Not stable: anything
 * here may change or go in any release.
 */
export { STDIN_USE, stdinShellRule } from './jujuc/stdin.js';
export { goJsonEscape } from './jujuc/output.js';
