/**
 * `@charms/hooktools/jujuc`: one emulator of Juju's hook tools. `runJujuc` takes a tool
 * call (argv, stdin) and answers as jujud does, over a {@link JujucWorld} the caller backs:
 * the local model with its record, `MemoryHookTools` with memory, tests with a fake.
 */
export { runJujuc, JUJUC_TOOLS } from './emulator.js';
export type { JujucRequest } from './emulator.js';
export { noChanges } from './world.js';
export type { JujucWorld, JujucRelation, JujucAction, JujucTool, HookChanges, StatusValue, GoalStateData } from './world.js';
export type { ToolResult } from './result.js';
export { diskFiles, memoryFiles } from './files.js';
export type { ToolFiles } from './files.js';
export { answerFromMemory, commitChanges } from './memory-world.js';
export { parseStorageDirectives } from './storage-directives.js';
export type { StorageDirective } from './storage-directives.js';
