import {
  HookToolError,
  NotInActionError,
  NotLeaderError,
  PermissionDeniedError,
  RelationNotFoundError,
} from './errors.js';

/** What one tool run produced. */
export interface ToolRun {
  readonly tool: string;
  readonly argv: readonly string[];
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

// Juju's own texts (spec/hook-tools.md §3, §11), matched as substrings as ops does.
const NARROWER: readonly [RegExp, typeof HookToolError, HookToolError['code']][] = [
  [/relation not found/, RelationNotFoundError, 'RELATION_NOT_FOUND'],
  [/not the leader/, NotLeaderError, 'NOT_LEADER'],
  [/permission denied|cannot write relation settings/, PermissionDeniedError, 'PERMISSION_DENIED'],
  [/not running an action/, NotInActionError, 'NOT_IN_ACTION'],
];

/**
 * Turns a failed run into the narrowest error its stderr allows: relation not found,
 * not the leader, permission denied, not in an action; else a plain `HookToolError`
 * (`HOOK_TOOL_USAGE` for exit 2, `HOOK_TOOL_FAILED` otherwise).
 */
export function interpretFailure(run: ToolRun): HookToolError {
  for (const [pattern, ErrorClass, code] of NARROWER) {
    if (pattern.test(run.stderr)) return new ErrorClass(run, code);
  }
  return new HookToolError(run);
}
