/**
 * The Pebble API's system information, plan and layers routes (canonical/pebble
 * internals/daemon/api.go's system-info, api_plan.go): `POST /v1/layers` parses and
 * validates a layer, adds it or combines it with the one of its label, and the new plan
 * replaces the old only when it is valid.
 */
import { randomUUID } from 'node:crypto';
import type { PebbleChecks } from './pebble-checks.js';
import { badRequest, decodeJson, sync, type PebbleRequest, type Reply, type RouteTable } from './pebble-http.js';
import { parseLayer, PebblePlanError, type PebbleLayer } from './pebble-layer-parse.js';
import { addLayer, buildPlan, planYaml, type PebblePlan } from './pebble-plan-merge.js';
import { bootId } from './process-groups.js';

/** What the plan routes read and change on the server. */
export interface PlanRoutesContext {
  plan(): PebblePlan;
  /** Makes `plan` the server's (and keeps it where the model asked to). */
  setPlan(plan: PebblePlan): void;
  readonly checks: Pick<PebbleChecks, 'planChanged'>;
}

export function planRoutes(context: PlanRoutesContext): RouteTable {
  // Pebble's boot-id is the kernel's (restart.BootID); a random one where there is none.
  const boot = bootId() ?? randomUUID();
  return {
    '/v1/system-info': { GET: () => sync({ 'boot-id': boot, version: 'local' }) },
    '/v1/plan': {
      GET: (request) => {
        const format = request.url.searchParams.get('format') ?? '';
        return format === 'yaml' ? sync(planYaml(context.plan())) : badRequest(`invalid format ${JSON.stringify(format)}`);
      },
    },
    '/v1/layers': { POST: (request) => postLayers(context, request) },
  };
}

function postLayers(context: PlanRoutesContext, request: PebbleRequest): Reply {
  const payload = decodeJson(request.body, 'cannot decode request body');
  if ('reply' in payload) return payload.reply;
  const { action, label, format, layer, combine } = payload.value as { action?: string; label?: string; format?: string; layer?: string; combine?: boolean };
  if (action !== 'add') return badRequest(`invalid action ${JSON.stringify(action ?? '')}`);
  if (!label) return badRequest('label must be set');
  if (format !== 'yaml') return badRequest(`invalid format ${JSON.stringify(format ?? '')}`);
  let parsed: PebbleLayer;
  try {
    parsed = parseLayer(0, label, typeof layer === 'string' ? layer : '');
  } catch (error) {
    return badRequest(`cannot parse layer YAML: ${(error as Error).message}`);
  }
  try {
    context.setPlan(buildPlan(addLayer(context.plan().layers, parsed, Boolean(combine))));
  } catch (error) {
    if (error instanceof PebblePlanError) return badRequest(error.message);
    throw error;
  }
  context.checks.planChanged(context.plan());
  return sync(true);
}
