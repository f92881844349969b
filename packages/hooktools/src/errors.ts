/** Stable codes of the errors `@charms/hooktools` throws. */
export type HookToolErrorCode =
  | 'HOOK_TOOL_FAILED'
  | 'HOOK_TOOL_USAGE'
  | 'HOOK_TOOL_NOT_FOUND'
  | 'HOOK_TOOL_OUTPUT'
  | 'RELATION_NOT_FOUND'
  | 'NOT_LEADER'
  | 'PERMISSION_DENIED'
  | 'NOT_IN_ACTION'
  | 'HOOK_CONTEXT_INVALID';

/**
 * A hook tool that failed: it exited non-zero (Juju: 2 for a usage error, 1 for a
 * runtime error), could not be started, or printed something unreadable. Carries what
 * ran and what it said, so the log shows the real cause.
 */
export class HookToolError extends Error {
  readonly code: HookToolErrorCode;
  readonly tool: string;
  /** The arguments after the tool name, as passed. */
  readonly argv: readonly string[];
  /** The exit code, or null when the tool could not be run at all. */
  readonly exitCode: number | null;
  readonly stderr: string;

  constructor(
    fields: { tool: string; argv: readonly string[]; exitCode: number | null; stderr: string },
    code: HookToolErrorCode = fields.exitCode === 2 ? 'HOOK_TOOL_USAGE' : 'HOOK_TOOL_FAILED',
    message?: string,
  ) {
    const said = fields.stderr.trim() || '(nothing on stderr)';
    super(message ?? `${fields.tool} ${fields.argv.join(' ')} exited ${fields.exitCode}: ${said}`);
    this.name = new.target.name;
    this.code = code;
    this.tool = fields.tool;
    this.argv = fields.argv;
    this.exitCode = fields.exitCode;
    this.stderr = fields.stderr;
  }
}

/** `relation not found` from relation-get/-set/-list: the relation is gone or never was. */
export class RelationNotFoundError extends HookToolError {}
/** The tool needs leadership (`this unit is not the leader`, `not the leader`). */
export class NotLeaderError extends HookToolError {}
/** Juju refused the access (`permission denied`, `cannot write relation settings`). */
export class PermissionDeniedError extends HookToolError {}
/** An action tool called outside an action (`not running an action`). */
export class NotInActionError extends HookToolError {}

/** A `JUJU_*` variable is missing or malformed. */
export class HookContextError extends Error {
  readonly code = 'HOOK_CONTEXT_INVALID' as const;
  /** Each problem: the variable and what is wrong with it. */
  readonly problems: readonly { variable: string; problem: string }[];

  constructor(problems: readonly { variable: string; problem: string }[]) {
    super(
      `this process was not started as a Juju hook: ${problems.map((p) => `${p.variable} ${p.problem}`).join('; ')}. ` +
        `Run the charm through its dispatch script under Juju or the local model.`,
    );
    this.name = 'HookContextError';
    this.problems = problems;
  }
}
