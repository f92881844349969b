import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { MemoryHookTools } from '@charms/hooktools';
import { isKubernetesCharm } from '@charms/manifest/queries';
import type { ModelRecord } from '@charms/model';
import { appManifests, escapeControl, inspectionSecrets, unitCharmDir } from '@charms/model/internal';
import { ControllerStateStore, FileStateStore, STATE_FILE, STATE_KEY } from '@charms/runtime';
import { CliError } from '../cli-error.js';
import { maskedRecord, maskedValue } from './masked-value.js';
import type { Colors } from './output-colors.js';

// `charms show-stored`: what a unit has committed, as `jhack show-stored` shows an ops
// charm's StoredState on Juju: here the reactive flags with their values, the unit's
// key-value data, the config snapshot the config.* flags compare against, and the
// controller state that state-get answers.

/**
 * The unit-data key under which the runtime keeps the config of the last successful hook
 * (CONFIG_SNAPSHOT_KEY in packages/runtime/src/config-flags.ts, which the runtime does
 * not export): shown as the config snapshot, not among the unit data.
 */
const CONFIG_SNAPSHOT_KEY = 'charms.config.previous';

/** `charms show-stored --format json|yaml`. Secret values read `***`. */
export interface StoredView {
  readonly unit: string;
  /** Where the unit state was read: `controller state key charms.unit-state`, or the state file's path in the model folder. */
  readonly store: string;
  /** False until a hook of the unit has succeeded and committed state. */
  readonly committed: boolean;
  /** The flags that are set, with their values (`null`: set without one). */
  readonly flags: Record<string, unknown>;
  /** The unit's key-value data (`ctx.kv`, the layers' data), without the config snapshot and the framework's marks. */
  readonly 'unit-data': Record<string, unknown>;
  /**
   * What charms.reactive keeps under `reactive.*` in the same data: `@onlyOnce` marks
   * (`reactive.invoked.*`), `dataChanged` hashes, registered triggers, departed units.
   */
  readonly 'framework-data': Record<string, unknown>;
  /** The config seen by the last successful hook, which `config.changed.*` compares against; null before one. */
  readonly 'config-snapshot': Record<string, unknown> | null;
  /** The unit's other controller state keys (state-get), without the one holding the unit state. */
  readonly 'controller-state': Record<string, unknown>;
}

/**
 * Reads the committed state of `unitName` in the model folder `dir`, whose record is
 * `model`. The runtime keeps it in controller state (Kubernetes charms) or in
 * `.unit-state.json` in the unit's charm folder (others, or `CHARMS_STATE_STORE=file`):
 * the one that holds state is read, with the runtime's own stores.
 * @throws CliError `INVALID_ARGUMENT` for an unknown unit; StateStoreError `STATE_CORRUPT` for a damaged document.
 */
export async function readStored(dir: string, model: ModelRecord, unitName: string): Promise<StoredView> {
  const app = model.apps[unitName.split('/')[0]!];
  const unit = app?.units.find((u) => u.name === unitName);
  if (!app || !unit) {
    const units = Object.values(model.apps).flatMap((a) => a.units.map((u) => u.name));
    throw new CliError('INVALID_ARGUMENT', `unit "${unitName}" not found (units: ${units.join(', ') || 'none'}); name a unit such as ${units[0] ?? 'app/0'}`);
  }
  const manifests = appManifests(dir, app);
  const secrets = inspectionSecrets(dir, model);
  const file = join(unitCharmDir(dir, unitName), STATE_FILE);
  // The runtime's choice (runtime/src/main.ts chooseStore), seen from outside: the model
  // cannot know CHARMS_STATE_STORE, so whichever store holds state wins.
  const inController = unit.controllerState[STATE_KEY] !== undefined || (!existsSync(file) && isKubernetesCharm(manifests.metadata));
  const store = inController ? new ControllerStateStore(new MemoryHookTools({ unitName, controllerState: { ...unit.controllerState } })) : new FileStateStore(file);
  const state = await store.load();
  const { [CONFIG_SNAPSHOT_KEY]: snapshot, ...data } = state?.data ?? {};
  // The prefix under which charms.reactive (and this port, packages/reactive/src/session.ts, triggers.ts) keeps its own data.
  const framework = (key: string) => key.startsWith('reactive.');
  const { [STATE_KEY]: _unitState, ...controllerState } = unit.controllerState;
  const options = manifests.configYaml?.options ?? {};
  return {
    unit: unitName,
    store: store instanceof ControllerStateStore ? store.location : relative(dir, file),
    committed: state !== undefined,
    flags: maskedRecord(state?.flags ?? {}, secrets),
    'unit-data': maskedRecord(Object.fromEntries(Object.entries(data).filter(([key]) => !framework(key))), secrets),
    'framework-data': maskedRecord(Object.fromEntries(Object.entries(data).filter(([key]) => framework(key))), secrets),
    'config-snapshot':
      snapshot && typeof snapshot === 'object'
        ? Object.fromEntries(
            Object.entries(snapshot).map(([name, value]) => [
              name,
              // An option of type secret is one whatever its name.
              options[name]?.type === 'secret' && value !== '' && value !== null ? '***' : maskedValue(value, name, secrets),
            ]),
          )
        : null,
    'controller-state': maskedRecord(controllerState, secrets),
  };
}

/** The stored state as text: one section each, keys aligned, values as JSON (controller state as its strings). */
export function storedTable(view: StoredView, colors: Colors): string {
  const lines = [colors.bold(`${view.unit}: ${view.committed ? 'committed state' : 'nothing committed yet'} in ${view.store}`)];
  const section = (title: string, note: string, record: Record<string, unknown> | null, show: (value: unknown) => string) => {
    lines.push('', colors.cyan(title) + colors.dim(` (${note})`));
    const entries = Object.entries(record ?? {});
    if (entries.length === 0) lines.push(colors.dim(record === null ? '  (none: no hook has succeeded yet)' : '  (none)'));
    const width = Math.max(0, ...entries.map(([key]) => escapeControl(key).length));
    for (const [key, value] of entries) lines.push(`  ${escapeControl(key).padEnd(width)}  ${escapeControl(show(value))}`.trimEnd());
  };
  const json = (value: unknown) => JSON.stringify(value);
  // A flag set without a value is the common case: its name alone says it.
  section('flags', 'with their values', view.flags, (value) => (value === null ? '' : json(value)));
  section('unit data', 'ctx.kv and the layers', view['unit-data'], json);
  section('framework data', 'reactive.*: onlyOnce marks, dataChanged hashes, triggers', view['framework-data'], json);
  section('config snapshot', 'what config.changed.* compares against', view['config-snapshot'], json);
  section('controller state', 'state-get, besides the unit state', view['controller-state'], (value) => (typeof value === 'string' ? value : json(value)));
  return `${lines.join('\n')}\n`;
}
