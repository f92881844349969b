/**
 * The Pebble API's check and health routes (canonical/pebble internals/daemon/api_checks.go
 * and api_health.go): the checks by level and name, starting and stopping them, running one
 * now (refresh), and health, which is 502 when a check of the level asked for is down.
 */
import { ChecksNotFound, type PebbleChecks } from './pebble-checks.js';
import { badRequest, commaList, decodeJson, failure, sync, type PebbleRequest, type Reply, type RouteTable } from './pebble-http.js';
import type { PebblePlan } from './pebble-plan-merge.js';

/** What the check routes read and act on. */
export interface CheckRoutesContext {
  plan(): PebblePlan;
  readonly checks: PebbleChecks;
}

export function checkRoutes(context: CheckRoutesContext): RouteTable {
  return {
    '/v1/health': { GET: (request) => health(context.checks, request) },
    '/v1/checks': { GET: (request) => getChecks(context.checks, request), POST: (request) => postChecks(context.checks, request) },
    '/v1/checks/refresh': {
      POST: async (request) => {
        const payload = decodeJson(request.body, 'cannot decode data from request body');
        if ('reply' in payload) return payload.reply;
        const name = typeof payload.value.name === 'string' ? payload.value.name : '';
        if (name === '') return badRequest('must specify check name');
        if (context.plan().checks[name] === undefined) return failure(404, `cannot find check with name ${JSON.stringify(name)}`);
        return sync(await context.checks.refresh(name));
      },
    },
  };
}

function health(checks: PebbleChecks, request: PebbleRequest): Reply {
  const level = request.url.searchParams.get('level') ?? '';
  if (!['', 'alive', 'ready'].includes(level)) return badRequest('level must be "alive" or "ready"');
  const wanted = commaList(request.url, 'names');
  // api_health.go: ready implies alive.
  const down = checks.list().some((check) =>
    (level === '' || check.level === level || (level === 'ready' && check.level === 'alive')) && (wanted.length === 0 || wanted.includes(check.name)) && check.status === 'down');
  return sync({ healthy: !down }, down ? 502 : 200);
}

function getChecks(checks: PebbleChecks, request: PebbleRequest): Reply {
  const level = request.url.searchParams.get('level') ?? '';
  if (!['', 'alive', 'ready'].includes(level)) return badRequest('level must be "alive" or "ready"');
  const wanted = commaList(request.url, 'names');
  return sync(checks.list().filter((check) => (level === '' || check.level === level) && (wanted.length === 0 || wanted.includes(check.name))));
}

function postChecks(checks: PebbleChecks, request: PebbleRequest): Reply {
  const payload = decodeJson(request.body, 'cannot decode data from request body');
  if ('reply' in payload) return payload.reply;
  const action = String(payload.value.action ?? '');
  const names = Array.isArray(payload.value.checks) ? (payload.value.checks as unknown[]).map(String) : [];
  if (names.length === 0) return badRequest(`must specify checks for ${action} action`);
  try {
    if (action === 'start') return sync({ changed: checks.start(names) });
    if (action === 'stop') return sync({ changed: checks.stop(names) });
  } catch (error) {
    if (error instanceof ChecksNotFound) return badRequest(`cannot ${action} checks: ${error.message}`);
    throw error;
  }
  return badRequest(`invalid action ${JSON.stringify(action)}`);
}
