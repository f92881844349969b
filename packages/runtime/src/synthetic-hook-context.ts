import type { HookContext } from '@charms/hooktools';

/** What to vary in a {@link syntheticHookContext}. */
export interface SyntheticHookOptions {
  readonly unitName?: string;
  readonly modelName?: string;
  readonly charmDir?: string;
  readonly jujuVersion?: string;
  /** For relation hooks: `db:3` and the remote unit. */
  readonly relationId?: string;
  readonly remoteUnit?: string;
  readonly departingUnit?: string;
  /**
   * Make it an action's context (`JUJU_DISPATCH_PATH=actions/<name>`), the first argument
   * being the action's name; an object gives its id (`JUJU_ACTION_UUID`).
   */
  readonly action?: boolean | { readonly id?: string };
  /** For storage hooks: the instance (`data/0`), its kind and location as JUJU_STORAGE_* give them. */
  readonly storage?: { readonly id: string; readonly kind?: string; readonly location?: string };
}

/**
 * A `HookContext` made up for a hook run in-process (tests, the local model), as
 * `readHookContext` would read it from Juju's environment for the same hook.
 */
export function syntheticHookContext(hookName: string, options: SyntheticHookOptions = {}): HookContext {
  const unitName = options.unitName ?? 'charm/0';
  const [appName, unitNumber] = unitName.split('/');
  const relationName = options.relationId?.split(':')[0];
  const action = options.action ? (options.action === true ? {} : options.action) : undefined;
  return Object.freeze({
    kind: action ? 'action' : 'hook',
    hookName,
    unitName,
    appName: appName!,
    unitNumber: Number(unitNumber ?? 0),
    modelName: options.modelName ?? 'test',
    modelUuid: undefined,
    charmDir: options.charmDir ?? '.',
    jujuVersion: options.jujuVersion ?? '2.9.44',
    relationName,
    relationId: options.relationId,
    remoteUnit: options.remoteUnit,
    remoteApp: options.remoteUnit?.split('/')[0],
    departingUnit: options.departingUnit,
    actionName: action ? hookName : undefined,
    actionUuid: action?.id,
    storage: options.storage ? { id: options.storage.id, kind: options.storage.kind, location: options.storage.location } : undefined,
    workload: undefined,
    debugAt: undefined,
  } satisfies HookContext);
}
