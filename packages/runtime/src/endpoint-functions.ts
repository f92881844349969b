import { currentContext, type ReactiveContext } from '@charms/reactive';
import type { Endpoint } from './endpoint.js';
import { HOOK_ENDPOINTS, type HookEndpoints } from './hook-endpoints.js';

function hookEndpoints(context: ReactiveContext): HookEndpoints | undefined {
  return (context as { [HOOK_ENDPOINTS]?: HookEndpoints })[HOOK_ENDPOINTS];
}

/**
 * The endpoint a flag names (the original's `endpoint_from_flag`), its relation data
 * loaded: for a set flag `endpoint.<name>.…`, or `<name>.…` where `<name>` is an
 * endpoint of metadata.yaml, that endpoint's object; null when the flag is not set,
 * names no endpoint, or the endpoint has no object (see `HookEndpointsOptions.defaultClass`).
 *
 * @throws NoActiveDispatchError (`NO_ACTIVE_DISPATCH`) outside a running hook.
 * @example
 * const db = await endpointFromFlag<PgsqlRequires>('db.master.available');
 * if (db) configure(db.master);
 */
export async function endpointFromFlag<E extends Endpoint = Endpoint>(flag: string): Promise<E | null> {
  const context = currentContext('endpointFromFlag');
  const endpoint = hookEndpoints(context)?.fromFlag(flag, context) ?? null;
  if (endpoint) await endpoint.load();
  return endpoint as E | null;
}

/**
 * The endpoint of that name (the original's `endpoint_from_name`), its relation data
 * loaded, joined or not; null for a name with no endpoint object, and in hooks that
 * do not start endpoints (`collect-metrics`, `meter-status-changed`).
 *
 * @throws NoActiveDispatchError (`NO_ACTIVE_DISPATCH`) outside a running hook.
 */
export async function endpointFromName<E extends Endpoint = Endpoint>(name: string | null | undefined): Promise<E | null> {
  const context = currentContext('endpointFromName');
  const endpoint = hookEndpoints(context)?.fromName(name) ?? null;
  if (endpoint) await endpoint.load();
  return endpoint as E | null;
}
