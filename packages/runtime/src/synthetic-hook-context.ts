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
}

/**
 * A `HookContext` made up for a hook run in-process (tests, the local model), as
 * `readHookContext` would read it from Juju's environment for the same hook.
 */
export function syntheticHookContext(hookName: string, options: SyntheticHookOptions = {}): HookContext {
  const unitName = options.unitName ?? 'charm/0';
  const [appName, unitNumber] = unitName.split('/');
  const relationName = options.relationId?.split(':')[0];
  return Object.freeze({
    kind: 'hook',
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
    actionName: undefined,
    actionUuid: undefined,
  } satisfies HookContext);
}
