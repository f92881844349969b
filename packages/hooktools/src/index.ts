/**
 * @charms/hooktools: the only door to Juju. `HookTools` has one typed method per hook
 * tool; `ProcessHookTools` runs the real ones; `readHookContext` reads the hook
 * environment once.
 */
export type { HookTools, WorkloadStatus, LogLevel, StatusInfo, PortRange, NetworkInfo, GoalState, SpecDocument } from './hook-tools.js';
export { ProcessHookTools } from './process-hook-tools.js';
export { MemoryHookTools } from './memory-hook-tools.js';
export type { RecordedCall } from './memory-hook-tools.js';
export type { MemoryWorld, MemoryRelation, MemoryHook } from './jujuc/memory-world.js';
export { toolCommands } from './tool-commands.js';
export type { ToolCommand } from './tool-commands.js';
export { runTool } from './run-tool.js';
export type { RunToolOptions } from './run-tool.js';
export { interpretFailure } from './interpret-failure.js';
export type { ToolRun } from './interpret-failure.js';
export { readHookContext } from './hook-context.js';
export type { HookContext } from './hook-context.js';
export {
  HookToolError,
  RelationNotFoundError,
  NotLeaderError,
  PermissionDeniedError,
  NotInActionError,
  HookContextError,
} from './errors.js';
export type { HookToolErrorCode } from './errors.js';
