import { basename } from 'node:path';
import { HookContextError } from './errors.js';

/** Everything Juju tells a hook through its environment, read once and frozen. */
export interface HookContext {
  /** `hook` for a hook, `action` for an action. */
  readonly kind: 'hook' | 'action';
  /** The hook name (`config-changed`) or, for an action, the action name. */
  readonly hookName: string;
  readonly unitName: string;
  readonly appName: string;
  readonly unitNumber: number;
  readonly modelName: string;
  readonly modelUuid: string | undefined;
  readonly charmDir: string;
  readonly jujuVersion: string;
  /** In relation hooks: the endpoint name, e.g. `db`. */
  readonly relationName: string | undefined;
  /** In relation hooks: `db:3`. */
  readonly relationId: string | undefined;
  readonly remoteUnit: string | undefined;
  readonly remoteApp: string | undefined;
  readonly departingUnit: string | undefined;
  readonly actionName: string | undefined;
  readonly actionUuid: string | undefined;
  /** In storage hooks: the instance (`data/0`), its kind and where it is (JUJU_STORAGE_ID, _KIND, _LOCATION). */
  readonly storage: { readonly id: string; readonly kind: string | undefined; readonly location: string | undefined } | undefined;
  /**
   * In a sidecar charm's workload hooks (`<container>-pebble-ready`, `-pebble-custom-notice`,
   * `-pebble-check-failed`, `-pebble-check-recovered`): the container (JUJU_WORKLOAD_NAME),
   * the Pebble notice that raised it (JUJU_NOTICE_ID, _TYPE, _KEY; Juju 3.4+) and the check
   * (JUJU_PEBBLE_CHECK_NAME; 3.6+).
   */
  readonly workload: WorkloadEvent | undefined;
  /** `JUJU_DEBUG_AT`, set by `juju debug-code --at` (and `charms debug-code`): where to stop for a debugger. */
  readonly debugAt: string | undefined;
}

/** What Juju says of a workload hook (`HookContext.workload`). */
export interface WorkloadEvent {
  /** The container, a key of metadata.yaml `containers:`. */
  readonly name: string;
  readonly notice: { readonly id: string; readonly type: string; readonly key: string } | undefined;
  readonly checkName: string | undefined;
}

const UNIT = /^([a-z][a-z0-9-]*)\/(\d+)$/;
const RELATION_ID = /^[a-z][a-z0-9-]*:\d+$/;
// juju/names IsValidStorage: a store name, a slash, a number.
const STORAGE_ID = /^[a-z][a-z0-9]*(?:-[a-z0-9]*[a-z][a-z0-9]*)*\/\d+$/;
// `hooks/<name>` from Juju; a path ending so (a hook file run directly by old Juju) too.
const DISPATCH_PATH = /(?:^|\/)(hooks|actions)\/([^/]+)$/;

/** How a variable is checked: whether it must be set, and the form it must have. */
interface VariableRule {
  readonly required?: true;
  readonly pattern?: RegExp;
  readonly problem?: string;
}

/**
 * The variables read, with the form each must have when set. A table rather than a zod
 * schema: this runs first in every hook, and loading zod costs more than the whole check.
 */
const VARIABLES = {
  JUJU_UNIT_NAME: { required: true, pattern: UNIT, problem: 'must look like app/0' },
  JUJU_MODEL_NAME: { required: true },
  JUJU_MODEL_UUID: {},
  JUJU_CHARM_DIR: {},
  CHARM_DIR: {},
  JUJU_DISPATCH_PATH: { pattern: DISPATCH_PATH, problem: 'must be hooks/<name> or actions/<name>' },
  JUJU_HOOK_NAME: {},
  JUJU_VERSION: { pattern: /^\d+\.\d+/, problem: 'must be a version such as 2.9.44' },
  JUJU_RELATION: {},
  JUJU_RELATION_ID: { pattern: RELATION_ID, problem: 'must look like db:3' },
  JUJU_REMOTE_UNIT: { pattern: UNIT, problem: 'must look like app/0' },
  JUJU_REMOTE_APP: {},
  JUJU_DEPARTING_UNIT: { pattern: UNIT, problem: 'must look like app/0' },
  JUJU_ACTION_NAME: {},
  JUJU_ACTION_UUID: {},
  JUJU_STORAGE_ID: { pattern: STORAGE_ID, problem: 'must look like data/0' },
  JUJU_STORAGE_KIND: {},
  JUJU_STORAGE_LOCATION: {},
  JUJU_WORKLOAD_NAME: {},
  JUJU_NOTICE_ID: {},
  JUJU_NOTICE_TYPE: {},
  JUJU_NOTICE_KEY: {},
  JUJU_PEBBLE_CHECK_NAME: {},
  JUJU_DEBUG_AT: {},
} satisfies Record<string, VariableRule>;

type Variable = keyof typeof VARIABLES;
type Variables = { JUJU_UNIT_NAME: string; JUJU_MODEL_NAME: string } & Partial<Record<Variable, string>>;

/** The variables Juju set, or every problem with them. Juju sets some empty rather than leaving them out: empty means unset. */
function readVariables(env: Readonly<Record<string, string | undefined>>): Variables {
  const vars: Partial<Record<Variable, string>> = {};
  const problems: { variable: string; problem: string }[] = [];
  for (const [variable, rule] of Object.entries(VARIABLES) as [Variable, VariableRule][]) {
    const value = env[variable];
    if (value === undefined || value === '') {
      if (rule.required) problems.push({ variable, problem: 'is not set' });
    } else if (rule.pattern && !rule.pattern.test(value)) {
      problems.push({ variable, problem: rule.problem! });
    } else {
      vars[variable] = value;
    }
  }
  if (problems.length > 0) throw new HookContextError(problems);
  return vars as Variables;
}

/**
 * Reads and checks the hook environment once. The hook name comes from
 * `JUJU_DISPATCH_PATH` (`hooks/<name>` or `actions/<name>`), else `JUJU_HOOK_NAME`, else
 * the name the program was started as (`hooks/install` run directly on old Juju).
 *
 * @throws HookContextError (`HOOK_CONTEXT_INVALID`) naming every missing or malformed variable.
 * @example const context = readHookContext(process.env, process.argv);
 */
export function readHookContext(env: Readonly<Record<string, string | undefined>>, argv: readonly string[] = []): HookContext {
  const vars = readVariables(env);
  const problems: { variable: string; problem: string }[] = [];

  const charmDir = vars.JUJU_CHARM_DIR ?? vars.CHARM_DIR;
  if (!charmDir) problems.push({ variable: 'JUJU_CHARM_DIR', problem: 'is not set' });

  const dispatch = vars.JUJU_DISPATCH_PATH ? DISPATCH_PATH.exec(vars.JUJU_DISPATCH_PATH) : null;
  const invokedAs = argv[1] ? basename(argv[1]) : undefined;
  // Without a dispatch path (Juju before 2.8 runs actions/<name> itself) an action is
  // known by JUJU_ACTION_NAME; JUJU_HOOK_NAME is set but empty in an action.
  const kind = dispatch ? (dispatch[1] === 'actions' ? 'action' : 'hook') : vars.JUJU_ACTION_NAME ? 'action' : 'hook';
  const hookName =
    dispatch?.[2] ??
    (kind === 'action' ? vars.JUJU_ACTION_NAME : undefined) ??
    vars.JUJU_HOOK_NAME ??
    (invokedAs && !/\.(m?js|cjs|ts)$/.test(invokedAs) ? invokedAs : undefined);
  if (!hookName) problems.push({ variable: 'JUJU_DISPATCH_PATH', problem: 'is not set (nor JUJU_HOOK_NAME)' });

  if (problems.length > 0) throw new HookContextError(problems);
  const [, appName, unitNumber] = UNIT.exec(vars.JUJU_UNIT_NAME)!;
  return Object.freeze({
    kind,
    hookName: hookName!,
    unitName: vars.JUJU_UNIT_NAME,
    appName: appName!,
    unitNumber: Number(unitNumber),
    modelName: vars.JUJU_MODEL_NAME,
    modelUuid: vars.JUJU_MODEL_UUID,
    charmDir: charmDir!,
    jujuVersion: vars.JUJU_VERSION ?? '0.0.0',
    relationName: vars.JUJU_RELATION,
    relationId: vars.JUJU_RELATION_ID,
    remoteUnit: vars.JUJU_REMOTE_UNIT,
    remoteApp: vars.JUJU_REMOTE_APP,
    departingUnit: vars.JUJU_DEPARTING_UNIT,
    actionName: kind === 'action' ? hookName : vars.JUJU_ACTION_NAME,
    actionUuid: vars.JUJU_ACTION_UUID,
    storage: vars.JUJU_STORAGE_ID ? { id: vars.JUJU_STORAGE_ID, kind: vars.JUJU_STORAGE_KIND, location: vars.JUJU_STORAGE_LOCATION } : undefined,
    workload: vars.JUJU_WORKLOAD_NAME
      ? {
          name: vars.JUJU_WORKLOAD_NAME,
          notice: vars.JUJU_NOTICE_ID ? { id: vars.JUJU_NOTICE_ID, type: vars.JUJU_NOTICE_TYPE ?? '', key: vars.JUJU_NOTICE_KEY ?? '' } : undefined,
          checkName: vars.JUJU_PEBBLE_CHECK_NAME,
        }
      : undefined,
    debugAt: vars.JUJU_DEBUG_AT,
  } satisfies HookContext);
}
