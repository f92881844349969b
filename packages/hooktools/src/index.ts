/**
 * @charms/hooktools: the only door to Juju. `HookTools` has one typed method per hook
 * tool; `ProcessHookTools` runs the real ones; `MemoryHookTools` is its in-memory twin
 * for tests; `readHookContext` reads the hook environment once.
 *
 * Public API only. `@charms/hooktools/jujuc` (the tool emulator) is public too;
 * `@charms/hooktools/internal` (for other workspace packages) is not stable.
 */
export type { HookTools, WorkloadStatus, LogLevel, StatusInfo, PortRange, NetworkInfo, GoalState, SpecDocument, StorageInfo } from './hook-tools.js';
export { ProcessHookTools } from './process-hook-tools.js';
export type { RunToolOptions } from './run-tool.js';
export { MemoryHookTools } from './memory-hook-tools.js';
export type { RecordedCall, MemoryAction, MemoryHookToolsOptions } from './memory-hook-tools.js';
export type { MemoryWorld, MemoryRelation, MemoryHook } from './jujuc/memory-world.js';
export { readHookContext } from './hook-context.js';
export type { HookContext, WorkloadEvent } from './hook-context.js';
export {
  HookToolError,
  RelationNotFoundError,
  NotLeaderError,
  PermissionDeniedError,
  NotInActionError,
  HookContextError,
} from './errors.js';
export type { HookToolErrorCode } from './errors.js';
