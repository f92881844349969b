/**
 * @charms/model/testing: the model's parts one by one, for the tests and benchmarks of
 * this workspace: a tool call against a hand-made context, the config check, the shims
 * and their server. Not stable: names and shapes change without notice.
 */
export { runHookTool } from './hook-tool-server.js';
export type { ToolContext } from './hook-tool-server.js';
export { checkConfig } from './config-values.js';
export { ShimServer, writeShims } from './shim-server.js';
