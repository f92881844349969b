/**
 * The Pebble API's change routes (canonical/pebble internals/daemon/api_changes.go): the
 * changes by state and service, one change, waiting for one to be ready (with a time-out,
 * ended when the client goes away), and the abort the local model refuses.
 */
import { changeInfo, changeStatus, type PebbleChange, type PebbleChanges } from './pebble-changes.js';
import { badRequest, decodeJson, failure, sync, type PebbleRequest, type Reply, type RouteTable } from './pebble-http.js';
import { parseDuration } from './pebble-durations.js';

export function changeRoutes(changes: PebbleChanges): RouteTable {
  return {
    '/v1/changes': { GET: (request) => listChanges(changes, request) },
    '/v1/changes/{id}': {
      GET: (request) => {
        const change = changes.change(request.params.id!);
        return change ? sync(changeInfo(change)) : failure(404, `cannot find change with id ${JSON.stringify(request.params.id)}`);
      },
      POST: (request) => {
        const change = changes.change(request.params.id!);
        if (!change) return failure(404, `cannot find change with id ${JSON.stringify(request.params.id)}`);
        const payload = decodeJson(request.body, 'cannot decode data from request body');
        if ('reply' in payload) return payload.reply;
        if (payload.value.action !== 'abort') return badRequest(`invalid action ${JSON.stringify(payload.value.action ?? '')}`);
        if (isReady(change)) return badRequest(`cannot abort change ${change.id} with nothing pending`);
        return badRequest(`the local model cannot abort change ${change.id}: wait for it to end`);
      },
    },
    '/v1/changes/{id}/wait': { GET: (request) => waitChange(changes, request) },
  };
}

function listChanges(changes: PebbleChanges, request: PebbleRequest): Reply {
  const select = request.url.searchParams.get('select') || 'in-progress';
  if (!['all', 'in-progress', 'ready'].includes(select)) return badRequest('select should be one of: all,in-progress,ready');
  const service = request.url.searchParams.get('for');
  return sync(
    changes
      .all()
      .filter((change) => change.kind !== 'perform-check')
      .filter((change) => select === 'all' || (select === 'ready') === isReady(change))
      .filter((change) => !service || (change.serviceNames ?? []).includes(service))
      .map(changeInfo),
  );
}

async function waitChange(changes: PebbleChanges, request: PebbleRequest): Promise<Reply> {
  const change = changes.change(request.params.id!);
  if (!change) return failure(404, `cannot find change with id ${JSON.stringify(request.params.id)}`);
  const timeoutText = request.url.searchParams.get('timeout') ?? '';
  const timeoutMs = timeoutText === '' ? 0 : parseDuration(timeoutText);
  if (timeoutMs === undefined) return badRequest(`invalid timeout: time: invalid duration ${JSON.stringify(timeoutText)}`);
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    change.ready.then(() => 'ready' as const),
    new Promise<'cancelled'>((resolve) => request.signal.addEventListener('abort', () => resolve('cancelled'), { once: true })),
    ...(timeoutMs > 0 ? [new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)))] : []),
  ]);
  clearTimeout(timer);
  if (outcome === 'timeout') return failure(504, `timed out waiting for change after ${timeoutText}`);
  if (outcome === 'cancelled') return failure(500, 'request cancelled');
  return sync(changeInfo(change));
}

function isReady(change: PebbleChange): boolean {
  const status = changeStatus(change);
  return status === 'Done' || status === 'Error' || status === 'Hold';
}
