/**
 * `@charms/hooktools/internal`: what other workspace packages need and charm authors do
 * not: the rule by which a shell shim of a tool decides to read stdin (the local model's
 * shims), Go's JSON escaping (`charms status --format json`), the crash-safe file
 * replacement the runtime's unit state and the model's records share, and the unit
 * agent's hook-tool socket server (the local model serves its tools with it). Not
 * stable: anything here may change or go in any release.
 */
export { stdinShellRule } from './jujuc/stdin.js';
export { goJsonEscape } from './jujuc/output.js';
export { replaceFile } from './replace-file.js';
export { listenJujuc } from './jujuc-socket/jujuc-server.js';
export type { JujucCall, JujucAnswer, JujucListener } from './jujuc-socket/jujuc-server.js';
export { JUJUC_NO_STDIN } from './jujuc-socket/jujuc-messages.js';
