/**
 * What the charms command's inspection commands (show-relation, show-stored) read from a
 * model folder beyond LocalModel's readers: where a unit's charm runs, an application's
 * charm manifests, and which values they must print as `***`.
 */
import { join } from 'node:path';
import type { CharmConfigYaml, CharmMetadata } from '@charms/manifest';
import { secretValues } from './log-masking.js';
import type { AppRecord, ModelRecord } from './model-state.js';
import { ModelStore } from './model-store.js';

/** The charm folder a unit's hooks run in (`JUJU_CHARM_DIR`), in the model folder `dir`. */
export function unitCharmDir(dir: string, unit: string): string {
  return join(new ModelStore(dir).unitDir(unit), 'charm');
}

/** The metadata.yaml and config.yaml (absent when the charm has none) of a deployed application's charm. */
export function appManifests(dir: string, app: AppRecord): { metadata: CharmMetadata; configYaml: CharmConfigYaml | undefined } {
  const store = new ModelStore(dir);
  return { metadata: store.metadata(app), configYaml: store.configYaml(app) };
}

/**
 * The values an inspection of the model in the folder `dir`, whose record is `model`,
 * prints as `***`: those the model masks in its log
 * (`secretValues`: secret config options, registry passwords, secret-named relation
 * settings, leader settings), except the values of controller state. The model masks
 * every state-set value because it cannot tell which hold credentials; show-stored shows
 * controller state itself, the unit state among it, and masks in there what is known to
 * be secret instead (secret-named keys and the values above).
 */
export function inspectionSecrets(dir: string, model: Readonly<ModelRecord>): string[] {
  const store = new ModelStore(dir);
  const configYamls = Object.fromEntries(Object.values(model.apps).map((app) => [app.name, store.configYaml(app)]));
  const withoutState: ModelRecord = {
    ...model,
    apps: Object.fromEntries(
      Object.entries(model.apps).map(([name, app]) => [name, { ...app, units: app.units.map((unit) => ({ ...unit, controllerState: {} })) }]),
    ),
  };
  return secretValues(withoutState, configYamls);
}
