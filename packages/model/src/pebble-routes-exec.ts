/**
 * The Pebble API's exec routes (canonical/pebble internals/daemon/api_exec.go and
 * api_tasks.go): `POST /v1/exec` answers the change whose task carries the command, and
 * the task's websockets are reached by an upgrade request on
 * `/v1/tasks/{task-id}/websocket/{websocket-id}`; a plain GET there gets the websocket
 * library's refusal. The command's run is pebble-exec.ts's.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { ExecRefused, type ExecPayload, type PebbleExec } from './pebble-exec.js';
import { accepted, badRequest, decodeJson, rawFailure, type RouteTable } from './pebble-http.js';
import type { PebblePlan } from './pebble-plan-merge.js';

/** What the exec routes read and act on. */
export interface ExecRoutesContext {
  plan(): PebblePlan;
  readonly exec: PebbleExec;
}

export function execRoutes(context: ExecRoutesContext): RouteTable {
  return {
    '/v1/exec': {
      POST: (request) => {
        const payload = decodeJson(request.body, 'cannot decode request body');
        if ('reply' in payload) return payload.reply;
        try {
          const { change, result } = context.exec.create(payload.value as ExecPayload, context.plan());
          return accepted(change.id, result);
        } catch (error) {
          if (error instanceof ExecRefused) return badRequest(error.message);
          throw error;
        }
      },
    },
    '/v1/tasks/{task-id}/websocket/{websocket-id}': {
      GET: () => badRequest('websocket: the client is not using the websocket protocol: \'upgrade\' token not found in \'Connection\' header'),
    },
  };
}

/** The server's `upgrade` listener: an exec task's websocket, or an error answer written on the socket. */
export function execUpgrade(exec: PebbleExec): (request: IncomingMessage, socket: Duplex, head: Buffer) => void {
  return (request, socket, head) => {
    const refuse = (status: number, message: string): void => {
      socket.end(rawFailure(status, message));
    };
    const url = new URL(request.url ?? '/', 'http://localhost');
    const found = /^\/v1\/tasks\/([^/]+)\/websocket\/([^/]+)$/.exec(url.pathname);
    if (!found) return refuse(404, 'invalid API endpoint requested');
    exec.upgrade(request, socket, head, decodeURIComponent(found[1]!), decodeURIComponent(found[2]!), refuse);
  };
}
