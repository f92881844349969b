import type { WorkloadStatus } from '@charms/hooktools';
import { currentContext } from '@charms/reactive';
import type { CharmCallbackContext } from '@charms/runtime';
import { StatusError } from './status-error.js';
import { StatusQueue } from './status-queue.js';

const QUEUE = Symbol.for('@charms/layer-status.queue');
const STATES: readonly string[] = ['maintenance', 'blocked', 'waiting', 'active'];

/** The status queue of the running hook. */
export function statusQueue(context: CharmCallbackContext): StatusQueue {
  return context.memo(QUEUE, () => new StatusQueue());
}

/**
 * Asks for a workload status. `maintenance` is sent at once; `blocked`, `waiting` and
 * `active` are held and resolved when the hook succeeds (see {@link StatusQueue}),
 * unless the end of the hook has passed, or the layer's lifecycle is not running (an
 * action): then the resolved status is sent at once.
 *
 * @throws StatusError (`INVALID_STATUS`) for another state; NoActiveDispatchError outside a hook.
 * @example await statusSet('blocked', 'unable to fetch resource: oci-image');
 */
export async function statusSet(status: WorkloadStatus, message = ''): Promise<void> {
  if (!STATES.includes(status)) throw new StatusError(status);
  const context = currentContext('statusSet') as CharmCallbackContext;
  await requestStatus(context, status, message, callerLayer());
}

/** `statusSet('maintenance', message)`: sent at once. */
export const maintenance = (message: string): Promise<void> => statusSet('maintenance', message);
/** The original's short alias of {@link maintenance}. */
export const maint = maintenance;
/** `statusSet('blocked', message)`: the operator must act. */
export const blocked = (message: string): Promise<void> => statusSet('blocked', message);
/** `statusSet('waiting', message)`: waiting on something outside the charm. */
export const waiting = (message: string): Promise<void> => statusSet('waiting', message);
/** `statusSet('active', message)`: ready. */
export const active = (message = ''): Promise<void> => statusSet('active', message);

/** Queues or sends one request (shared by the API and intercepted status-set calls). */
export async function requestStatus(
  context: CharmCallbackContext,
  status: WorkloadStatus,
  message: string,
  layer: string | undefined,
): Promise<void> {
  if (status === 'maintenance') {
    await send(context, status, message);
    return;
  }
  const queue = statusQueue(context);
  queue.records.push({ status, message, layer });
  if (!queue.initialized || queue.finalized) await finalize(context);
}

/** Sends the resolved status, if any (the layer's atexit, and late requests). */
export async function finalize(context: CharmCallbackContext): Promise<void> {
  const queue = statusQueue(context);
  queue.finalized = true;
  const chosen = queue.resolve(context.layers);
  if (chosen) await send(context, chosen.status, chosen.message);
}

async function send(context: CharmCallbackContext, status: WorkloadStatus, message: string): Promise<void> {
  await context.log(`status-set: ${status}: ${message}`, 'INFO');
  try {
    // directTools: the layer's own call must not come back through its interceptor.
    await context.directTools.statusSet(status, message);
  } catch (error) {
    // As in the original, a status that cannot be set does not fail the hook.
    await context.log(`status-set ${status} failed: ${(error as Error).message}`, 'WARNING');
  }
}

/**
 * The layer whose handler is running in this async call chain, from its id
 * `<layer>:<name>`; undefined outside a handler (atstart/atexit callbacks).
 */
export function callerLayer(): string | undefined {
  const handlerId = (currentContext('statusSet') as { handlerId?: string }).handlerId;
  const colon = handlerId?.indexOf(':') ?? -1;
  return colon > 0 ? handlerId!.slice(0, colon) : undefined;
}
