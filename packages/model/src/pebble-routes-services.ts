/**
 * The Pebble API's service routes (canonical/pebble internals/daemon/api_services.go and
 * api_signals.go): the services' list, and start, stop, restart, replan and autostart as
 * async changes whose tasks run in order (servstate's handlers), and signals to running
 * services.
 */
import { finishTask, type PebbleChange, type PebbleChanges } from './pebble-changes.js';
import type { PebbleChecks } from './pebble-checks.js';
import { accepted, badRequest, commaList, decodeJson, failure, sync, type PebbleRequest, type Reply, type RouteTable } from './pebble-http.js';
import { PebblePlanError } from './pebble-layer-parse.js';
import { serviceOrder, type PebblePlan } from './pebble-plan-merge.js';
import type { PebbleServices } from './pebble-services.js';

/** What the service routes read and act on. */
export interface ServiceRoutesContext {
  plan(): PebblePlan;
  readonly services: PebbleServices;
  readonly checks: Pick<PebbleChecks, 'replan'>;
  readonly changes: PebbleChanges;
  /** Whether the server is closing: the tasks a change has not run yet are held. */
  closing(): boolean;
  /** Keeps a change's run until it ends, so that closing the server waits for it. */
  track(run: Promise<void>): void;
}

export function serviceRoutes(context: ServiceRoutesContext): RouteTable {
  return {
    '/v1/services': { GET: (request) => sync(context.services.list(context.plan(), commaList(request.url, 'names'))), POST: (request) => postServices(context, request) },
    '/v1/services/{name}': { GET: () => badRequest('not implemented'), POST: () => badRequest('not implemented') },
    '/v1/signals': {
      POST: (request) => {
        const payload = decodeJson(request.body, 'cannot decode request body');
        if ('reply' in payload) return payload.reply;
        const targets = Array.isArray(payload.value.services) ? (payload.value.services as unknown[]).map(String) : [];
        if (targets.length === 0) return badRequest('must specify one or more services');
        const error = context.services.sendSignal(targets, String(payload.value.signal ?? ''));
        return error === undefined ? sync(true) : failure(500, error);
      },
    },
  };
}

function postServices(context: ServiceRoutesContext, request: PebbleRequest): Reply {
  const payload = decodeJson(request.body, 'cannot decode data from request body');
  if ('reply' in payload) return payload.reply;
  const plan = context.plan();
  const action = String(payload.value.action ?? '');
  let requested = Array.isArray(payload.value.services) ? (payload.value.services as unknown[]).map(String) : [];
  if (action === 'replan' || action === 'autostart') {
    if (requested.length > 0) return badRequest(`${action} accepts no service names`);
    if (action === 'autostart') {
      requested = Object.keys(plan.services).filter((name) => plan.services[name]!.startup === 'enabled');
      if (requested.length === 0) return failure(400, 'no default services', 'no-default-services');
    }
  } else if (requested.length === 0) {
    return badRequest(`must specify services for ${action} action`);
  }
  let stop: string[] = [];
  let start: string[] = [];
  try {
    switch (action) {
      case 'start':
      case 'autostart':
        start = serviceOrder(plan, requested, 'start');
        break;
      case 'stop':
        stop = serviceOrder(plan, requested, 'stop');
        break;
      case 'restart':
        stop = serviceOrder(plan, requested, 'stop').filter((name) => requested.includes(name));
        start = serviceOrder(plan, requested, 'start');
        break;
      case 'replan': {
        const planned = context.services.replan(plan);
        stop = planned.stop.length > 0 ? serviceOrder({ ...plan, services: servicesKnown(plan, planned.stop) }, planned.stop, 'stop') : [];
        start = serviceOrder(plan, planned.start, 'start');
        requested = [...new Set([...stop, ...start])].sort();
        context.checks.replan();
        break;
      }
      default:
        return badRequest(`invalid action ${JSON.stringify(action)}`);
    }
  } catch (error) {
    if (error instanceof PebblePlanError) return badRequest(`cannot ${action} services: ${error.message}`);
    throw error;
  }
  const title = action.charAt(0).toUpperCase() + action.slice(1);
  const all = [...stop, ...start];
  const affected = new Set(all).size;
  const summary = all.length === 0 ? `${title} - no services` : affected === 1 ? `${title} service ${JSON.stringify(requested[0])}` : `${title} service ${JSON.stringify(requested[0])} and ${affected - 1} more`;
  const change = context.changes.newChange(action, summary, [
    ...stop.map((name) => ({ kind: 'stop', summary: `Stop service ${JSON.stringify(name)}` })),
    ...start.map((name) => ({ kind: 'start', summary: `Start service ${JSON.stringify(name)}` })),
  ]);
  if (requested.length > 0) change.serviceNames = requested;
  context.track(runServiceChange(context, change, all));
  return accepted(change.id);
}

// Services that replan stops may be gone from the plan (a layer replaced them): order what is known.
function servicesKnown(plan: PebblePlan, names: readonly string[]): PebblePlan['services'] {
  return Object.fromEntries(names.map((name) => [name, plan.services[name] ?? { command: 'gone' }]));
}

/** Runs a change's tasks in order; once one fails, the rest are held, as Pebble holds tasks waiting on a failed one. */
async function runServiceChange(context: ServiceRoutesContext, change: PebbleChange, names: readonly string[]): Promise<void> {
  const plan = context.plan();
  let failed = false;
  for (const [i, task] of change.tasks.entries()) {
    if (failed || context.closing()) {
      task.status = 'Hold';
      continue;
    }
    try {
      if (task.kind === 'stop') await context.services.stop(task, names[i]!);
      else await context.services.start(task, plan, names[i]!);
    } catch (error) {
      finishTask(task, (error as Error).message);
    }
    if (task.status === 'Error') failed = true;
  }
  change.markReady();
}
