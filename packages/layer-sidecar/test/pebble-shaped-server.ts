import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { readCharmYaml } from '@charms/manifest';

/**
 * A small server shaped like Pebble's REST API (v1), for the tests of this layer: the
 * layer may not depend on the local model (architecture rank), so it talks to this over
 * a unix socket as it would to Pebble. It keeps the services of the added layers
 * (`override` honoured per service, as plan.go's combine), answers the plan as YAML text
 * (JSON, which YAML reads), and starts services by marking them active unless
 * `failStart` holds a reason, which ends the change in Error with Pebble's task log
 * form (`<time> ERROR <message>`, overlord/state/task.go).
 */
export class PebbleShapedServer {
  readonly socketPath: string;
  readonly requests: string[] = [];
  services: Record<string, Record<string, unknown>> = {};
  readonly running = new Set<string>();
  failStart: string | undefined;
  readonly #server: Server;
  readonly #changes = new Map<string, Record<string, unknown>>();

  private constructor(folder: string, container: string) {
    mkdirSync(join(folder, container), { recursive: true });
    this.socketPath = join(folder, container, 'pebble.socket');
    this.#server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        const url = new URL(request.url ?? '/', 'http://pebble');
        this.requests.push(`${request.method} ${url.pathname}`);
        const reply = this.#answer(request.method ?? 'GET', url.pathname, body ? (JSON.parse(body) as Record<string, unknown>) : {});
        response.writeHead(reply['status-code'] as number, { 'content-type': 'application/json' });
        response.end(JSON.stringify(reply));
      });
    });
  }

  static async start(folder: string, container: string): Promise<PebbleShapedServer> {
    const server = new PebbleShapedServer(folder, container);
    await new Promise<void>((resolve) => server.#server.listen(server.socketPath, resolve));
    return server;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  #answer(method: string, path: string, body: Record<string, unknown>): Record<string, unknown> {
    const sync = (result: unknown) => ({ type: 'sync', 'status-code': 200, status: 'OK', result });
    if (method === 'GET' && path === '/v1/system-info') return sync({ version: '1.10.0', 'boot-id': 'b' });
    if (method === 'GET' && path === '/v1/plan') return sync(`${JSON.stringify({ services: this.services })}\n`);
    if (method === 'POST' && path === '/v1/layers') {
      const layer = readCharmYaml(String(body.layer)) as { services?: Record<string, Record<string, unknown>> };
      for (const [name, service] of Object.entries(layer.services ?? {})) {
        this.services[name] = service.override === 'merge' ? { ...this.services[name], ...service } : { ...service };
      }
      return sync(true);
    }
    if (method === 'GET' && path === '/v1/services') {
      return sync(Object.entries(this.services).map(([name, s]) => ({ name, startup: s.startup ?? 'disabled', current: this.running.has(name) ? 'active' : 'inactive' })));
    }
    if (method === 'POST' && path === '/v1/services') {
      const id = String(this.#changes.size + 1);
      const failed = this.failStart;
      if (!failed) for (const [name, s] of Object.entries(this.services)) if (s.startup === 'enabled') this.running.add(name);
      const log = failed ? [`2026-12-05T08:00:00Z ERROR ${failed}`] : [];
      const task = { id: `t${id}`, kind: 'start', summary: 'Start services', status: failed ? 'Error' : 'Done', log };
      this.#changes.set(id, { id, kind: body.action, summary: `${String(body.action)} services`, status: failed ? 'Error' : 'Done', ready: true, tasks: [task], ...(failed ? { err: `cannot perform the following tasks:\n- Start services (${failed})` } : {}) });
      return { type: 'async', 'status-code': 202, status: 'Accepted', change: id, result: null };
    }
    const wait = /^\/v1\/changes\/(\w+)\/wait$/.exec(path);
    if (method === 'GET' && wait) return sync(this.#changes.get(wait[1]!));
    return { type: 'error', 'status-code': 404, status: 'Not Found', result: { message: `not found: ${method} ${path}` } };
  }
}
