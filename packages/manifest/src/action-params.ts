import type { CharmActions } from './actions.js';
import { validatorFor } from './action-schema.js';
import { describeErrors } from './gojsonschema-errors.js';

/** Why the params of an action cannot be queued. */
export type ActionParamsErrorCode = 'UNKNOWN_ACTION' | 'INVALID_PARAMS';

/**
 * An action that cannot run with these params, refused before anything runs, with
 * Juju 2.9's text as the message (what `juju run-action` prints after `ERROR `).
 */
export class ActionParamsError extends Error {
  readonly code: ActionParamsErrorCode;
  readonly action: string;
  /** For `INVALID_PARAMS`: each gojsonschema error (`(root).x : must be of type string, given 5`), in Juju's order. */
  readonly problems: readonly string[];

  constructor(code: ActionParamsErrorCode, action: string, message: string, problems: readonly string[] = []) {
    super(message);
    this.name = 'ActionParamsError';
    this.code = code;
    this.action = action;
    this.problems = problems;
  }
}

/** Where the action was asked for, to word the `UNKNOWN_ACTION` message as Juju does. */
export interface ActionTarget {
  /** `minio/0`: gives `action "x" not defined on unit "minio/0"`. */
  readonly unit?: string;
  /** The charm's URL or name: gives `no actions defined on charm "<charm>"` when it has no actions.yaml. */
  readonly charm?: string;
}

/**
 * Checks an action's params against its actions.yaml schema and returns them with the
 * schema's defaults inserted, as Juju 2.9 does before it queues an action
 * (`state.Unit.PrepareActionPayload`: `ValidateParams`, then `InsertDefaults`). Missing
 * params count as `{}`. The input is not changed.
 *
 * @param actions the charm's actions.yaml ({@link loadActionsYaml}); `undefined` when it has none.
 * @param action the action's name.
 * @param params the params given (`juju run-action UNIT ACTION key=value…`, or `--params`).
 * @param target optional unit and charm, for Juju's full `UNKNOWN_ACTION` wording.
 * @returns a new object: the params plus every missing default, nested objects included.
 * @throws ActionParamsError `UNKNOWN_ACTION` (`action "x" not defined on unit "u"`,
 *   `no actions defined on charm "c"`) or `INVALID_PARAMS`
 *   (`validation failed: (root) : "target" property is missing and required, given {}`).
 * @example
 * ```ts
 * const params = checkActionParams(loadActionsYaml(charmDir), 'backup', { target: 's3' });
 * ```
 */
export function checkActionParams(
  actions: CharmActions | undefined,
  action: string,
  params: Record<string, unknown>,
  target: ActionTarget = {},
): Record<string, unknown> {
  if (actions === undefined) {
    throw new ActionParamsError('UNKNOWN_ACTION', action, target.charm === undefined ? 'no actions defined on charm' : `no actions defined on charm "${target.charm}"`);
  }
  if (!Object.hasOwn(actions, action)) {
    const on = target.unit === undefined ? '' : ` on unit "${target.unit}"`;
    throw new ActionParamsError('UNKNOWN_ACTION', action, `action "${action}" not defined${on}`);
  }
  const given = params ?? {};
  const validate = validatorFor(actions[action], action);
  if (!validate(given)) {
    const problems = describeErrors(validate.errors ?? []);
    throw new ActionParamsError('INVALID_PARAMS', action, `validation failed: ${problems.join('; ')}`, problems);
  }
  const withDefaults = structuredClone(given);
  insertDefaults(withDefaults, actions[action]?.params ?? {});
  return withDefaults;
}

/**
 * The juju gojsonschema fork's `InsertDefaults` (defaults.go): a missing property gets its
 * `default`; a missing object property with `properties` gets an object of its own
 * defaults (only if there is at least one); a given object is stepped into; a given value
 * is never replaced. Difference: Juju 2.9 fails ("schema error caused a panic") when a
 * given object's schema has no `properties`; here that object is left as it is.
 */
function insertDefaults(into: Record<string, unknown>, properties: Readonly<Record<string, unknown>>): void {
  for (const [property, schema] of Object.entries(properties)) {
    if (!isPlainMap(schema)) continue;
    if (Object.hasOwn(into, property)) {
      const inner = into[property];
      if (isPlainMap(inner) && isPlainMap(schema.properties)) insertDefaults(inner, schema.properties);
      continue;
    }
    if (Object.hasOwn(schema, 'default')) {
      into[property] = structuredClone(schema.default);
      continue;
    }
    if (isPlainMap(schema.properties)) {
      const nested: Record<string, unknown> = {};
      insertDefaults(nested, schema.properties);
      if (Object.keys(nested).length > 0) into[property] = nested;
    }
  }
}

function isPlainMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
