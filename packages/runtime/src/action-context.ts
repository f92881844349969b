import type { HookContext, HookTools } from '@charms/hooktools';
import type { CharmMetadata } from '@charms/manifest';
import type { ReactiveContext } from '@charms/reactive';

/**
 * What an action receives: its parameters, the means to report results, failure and
 * progress, and the same flags and unit key-value data as a hook's context. Flags and
 * data changed here are committed when the action succeeds (returns, or `exit(0)`,
 * without `fail()`), so the next hook reacts to them; reactive dispatch does not run
 * inside an action.
 */
export interface ActionContext<P = Record<string, unknown>, F extends string = string> extends ReactiveContext<F> {
  /** The action's name (also `hookName`). */
  readonly actionName: string;
  /** `JUJU_ACTION_UUID`: the action's id (`2`), when Juju gave one. */
  readonly actionId: string | undefined;
  /** `action-get --format=json`: the parameters, with actions.yaml's defaults inserted by Juju. */
  readonly params: Readonly<P>;
  /** The results set so far, nested as Juju holds them (values are strings). */
  readonly results: Readonly<Record<string, unknown>>;
  /**
   * `action-set key=value`: dotted keys nest (`setResult('db.size', 3)` gives
   * `{db: {size: "3"}}`); an object sets one key per leaf; non-strings are sent as JSON
   * text. Results are data the operator asked for: they are never written to the log.
   * @throws ActionError `INVALID_RESULT_KEY` for a key `action-set` would reject.
   */
  setResult(key: string, value: unknown): void;
  /**
   * `action-fail`: the action ends `failed` with this message once the function returns
   * (it goes on running until then); nothing it changed in flags or unit data is committed.
   */
  fail(message?: string): void;
  /** `action-log`: a progress line the operator sees with the action (secret config values masked). */
  log(message: string): Promise<void>;
  /** The hook tools; calls run one at a time, in order. */
  readonly tools: HookTools;
  /** The hook environment, read once (`kind: 'action'`). */
  readonly juju: HookContext;
  /** metadata.yaml. */
  readonly metadata: CharmMetadata;
  /** The charm's config (`config-get --all`, defaults from config.yaml filled in), frozen. */
  readonly config: Readonly<Record<string, unknown>>;
  /** Marks a value as secret: it is replaced by `***` in every log line and in stderr. */
  secret(value: string): void;
  /** The options the built charm's layer.yaml gives for `layer` (`{}` if none). */
  layerOptions(layer: string): Readonly<Record<string, unknown>>;
  /** As a handler's `ctx.breakpoint(name)`: pauses when `JUJU_DEBUG_AT` lists `all` or `name`. @throws RangeError for a name ops would refuse. */
  breakpoint(name?: string): void;
}

/**
 * An action: the default export of `actions/<name>.ts`, given to `main({ actions })`
 * under its name. Returning (or resolving) ends it successfully unless it called
 * `ctx.fail()`; throwing fails it with the error's message.
 *
 * @example
 * // actions/backup.ts
 * export default async function backup(ctx: ActionContext<{ target: string }>) {
 *   ctx.setResult('backup.path', `/srv/backups/${ctx.params.target}`);
 *   ctx.setFlag('charm.backup.done');
 * }
 */
// Written as a method's type so that a function for specific params (`ActionContext<{ target: string }>`)
// still fits a record of `ActionFunction`: method parameters are checked bivariantly.
export type ActionFunction<P = Record<string, unknown>> = {
  run(ctx: ActionContext<P>): void | Promise<void>;
}['run'];
