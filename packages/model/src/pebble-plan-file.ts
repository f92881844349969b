/**
 * The layers of a container's Pebble kept on the model's disk, so that a server started
 * again (the next model command) has the plan the charm built. Pebble itself keeps layers
 * added through the API in memory only; the local model's server lives as long as one
 * model command, so the model chooses whether a plan outlives it (`planFile`).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ModelError } from './model-errors.js';
import { PebblePlanError, validateLayer, type PebbleLayer } from './pebble-layer-parse.js';
import { buildPlan, type PebblePlan } from './pebble-plan-merge.js';

/**
 * The plan kept in `file`, or undefined when there is no file.
 * @throws ModelError MODEL_CORRUPT naming the file when it is not a valid list of layers.
 */
export function loadPlanFile(file: string): PebblePlan | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const corrupt = (why: string): ModelError =>
    new ModelError('MODEL_CORRUPT', `${file}: ${why}; remove the file to start the container's Pebble with an empty plan`);
  let layers: unknown;
  try {
    layers = JSON.parse(text);
  } catch (error) {
    throw corrupt(`not JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(layers) || !layers.every((layer) => typeof layer === 'object' && layer !== null && typeof (layer as PebbleLayer).label === 'string')) {
    throw corrupt('not a list of layers with labels');
  }
  try {
    const checked = (layers as PebbleLayer[]).map((layer) => ({ ...layer, services: layer.services ?? {}, checks: layer.checks ?? {}, 'log-targets': layer['log-targets'] ?? {} }));
    for (const layer of checked) validateLayer(layer);
    return buildPlan(checked);
  } catch (error) {
    if (error instanceof PebblePlanError) throw corrupt(error.message);
    throw error;
  }
}

/** Writes the plan's layers to `file` at once (temporary file, rename), readable by the owner only. */
export function savePlanFile(file: string, plan: PebblePlan): void {
  // Its folder goes when the unit's pod is made again (upgrade) while the server runs.
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(plan.layers, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, file);
}
