import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppRecord, ModelRecord, RelationStatus, StatusJson } from '@charms/model';
import type { CharmMetadata } from '@charms/manifest';

/** The model's name in `juju status`, as LocalModel reports it. */
const MODEL_NAME = 'local';

/**
 * The status of the model in `dir` without opening it: `model.json` (the model's state
 * file, in the shape `snapshot()` returns) and each application's `metadata.yaml`, given
 * to the model's own status functions. Opening a LocalModel loads the Kubernetes schemas,
 * the config checks and the manifest schemas, several times the cost of a bare Node
 * start; `charms status` only reads. Undefined when there is nothing readable there (no
 * model yet, or a damaged one): the caller then opens the model, which creates it or
 * reports the damage.
 */
export async function readModelStatus(dir: string): Promise<{ status: StatusJson; relations: RelationStatus[] } | undefined> {
  let state: ModelRecord;
  try {
    state = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as ModelRecord;
  } catch {
    return undefined;
  }
  const [{ modelStatus, relationStatus }, { parse }] = await Promise.all([import('@charms/model/status'), import('yaml')]);
  // Only the series is read from it; the model checked the whole file when it deployed the charm.
  const metadataOf = (app: AppRecord) => parse(readFileSync(join(dir, app.charmDir, 'metadata.yaml'), 'utf8'), { version: '1.1' }) as CharmMetadata;
  try {
    return { status: modelStatus(state, MODEL_NAME, metadataOf), relations: relationStatus(state) };
  } catch {
    return undefined;
  }
}
