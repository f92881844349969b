/**
 * The Pebble API's logs route (canonical/pebble internals/daemon/api_logs.go): what the
 * services wrote, as newline-delimited JSON `{time, service, message}`, the last n lines
 * (30 by default, all with -1), and with follow=true every new line after them.
 */
import { badRequest, commaList, type PebbleRequest, type Reply, type RouteTable } from './pebble-http.js';
import type { PebblePlan } from './pebble-plan-merge.js';
import type { ServiceLogs } from './pebble-service-logs.js';

/** What the logs route reads. */
export interface LogRoutesContext {
  plan(): PebblePlan;
  readonly logs: ServiceLogs;
}

export function logRoutes(context: LogRoutesContext): RouteTable {
  return { '/v1/logs': { GET: (request) => getLogs(context, request) } };
}

function getLogs(context: LogRoutesContext, request: PebbleRequest): Reply {
  const query = request.url.searchParams;
  const follow = query.get('follow') ?? '';
  if (!['', 'true', 'false'].includes(follow)) return badRequest('follow parameter must be "true" or "false"');
  const nText = query.get('n') ?? '';
  const n = nText === '' ? (follow === 'true' ? 0 : 30) : /^-?\d+$/.test(nText) ? Number(nText) : Number.NaN;
  if (!Number.isInteger(n) || n < -1) return badRequest('n must be -1, 0, or a positive integer');
  let wanted = commaList(request.url, 'services');
  if (wanted.length === 0) wanted = Object.keys(context.plan().services);
  const line = (entry: { time: Date; service: string; message: string }): string => `${JSON.stringify({ time: entry.time.toISOString(), service: entry.service, message: entry.message })}\n`;
  const past = context.logs.last(wanted, n).map(line).join('');
  if (follow !== 'true') return { kind: 'raw', status: 200, contentType: 'application/x-ndjson', body: Buffer.from(past) };
  return {
    kind: 'stream',
    status: 200,
    contentType: 'application/x-ndjson',
    write: (response) => {
      response.write(past);
      const stop = context.logs.follow((entry) => {
        if (wanted.includes(entry.service)) response.write(line(entry));
      });
      response.on('close', stop);
    },
  };
}
