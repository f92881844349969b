import { blocked } from '@charms/layer-status';
import { ChangeError, type Layer } from '@charms/pebble';
import { currentContext } from '@charms/reactive';
import type { CharmCallbackContext } from '@charms/runtime';
import { containerFlag } from './container-flags.js';
import { containerPebble } from './container-pebble.js';

/** What {@link planLayer} did. */
export interface PlanOutcome {
  /** The plan differs from the one before the layer was added: `container.<name>.changed` is set. */
  readonly changed: boolean;
  /** Pebble was asked to replan: the plan changed, or a `startup: enabled` service was not running. */
  readonly replanned: boolean;
  /** Pebble's reason when the replan's change failed (a service that did not start); else undefined. */
  readonly failure: string | undefined;
}

/**
 * Declares a service layer for container `name` and brings its services in line:
 * adds the layer under `label` with `combine` (Pebble's `POST /v1/layers`), compares the
 * plan's YAML before and after, and replans only when it differs, setting
 * `container.<name>.changed`. A `startup: enabled` service that is not running is
 * replanned too, so a start that failed in an earlier hook is tried again and its reason
 * said again. A failed start is not thrown: it is returned, and (with the layer option
 * `set-status`) the unit is blocked with Pebble's reason.
 *
 * Call it from a handler guarded by `when('container.<name>.available')`.
 * @throws PebbleError when Pebble refuses the layer or stops answering.
 * @example await planLayer('minio', 'minio', { services: { minio: { override: 'replace', command: 'minio server /data', startup: 'enabled' } } });
 */
export async function planLayer(name: string, label: string, layer: Layer | string): Promise<PlanOutcome> {
  const context = currentContext('planLayer') as CharmCallbackContext;
  const pebble = containerPebble(name);
  const before = await pebble.getPlanYaml();
  await pebble.addLayer(label, layer, { combine: true });
  const changed = (await pebble.getPlanYaml()) !== before;
  const idle = changed ? [] : await notRunning(name);
  if (changed) context.setFlag(containerFlag(name, 'changed'));
  if (!changed && idle.length === 0) return { changed, replanned: false, failure: undefined };
  try {
    await pebble.replanServices();
    return { changed, replanned: true, failure: undefined };
  } catch (error) {
    if (!(error instanceof ChangeError)) throw error;
    const failure = changeReason(error);
    await context.log(`container ${name}: the replan failed: ${error.message}`, 'ERROR');
    if (context.layerOptions('sidecar')['set-status'] !== false) await blocked(`container ${name}: ${failure}`);
    return { changed, replanned: true, failure };
  }
}

/** The `startup: enabled` services of the container's plan that are not running. */
async function notRunning(name: string): Promise<string[]> {
  const services = await containerPebble(name).getServices();
  return services.filter((s) => s.startup === 'enabled' && s.current !== 'active').map((s) => s.name);
}

// Pebble's task log lines are `<RFC 3339 time> <LEVEL> <message>` (overlord/state/task.go
// Logf): the message of the last one is the reason a status can show.
const TASK_LOG_LINE = /^\S+T\S+ [A-Z]+ /;

function changeReason(error: ChangeError): string {
  const last = error.taskLog.at(-1);
  if (last !== undefined) return last.replace(TASK_LOG_LINE, '');
  return error.change.err ?? `change ${error.change.id} ended ${error.change.status}`;
}
