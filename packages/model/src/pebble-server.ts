/**
 * The local model's Pebble: one HTTP server on a unix socket per container of a unit of a
 * sidecar charm, speaking Pebble's REST API (canonical/pebble internals/daemon/api*.go)
 * with its response envelope `{type, status-code, status, result, change?}`, so that the
 * charm's Pebble client works unchanged.
 *
 * For the model (issue 19, part C), from `@charms/model/internal`:
 *
 *   const dir = pebbleSocketDir(modelDir, 'app/0');          // <model>/run/pebble/app-0
 *   const pebble = await startPebble({
 *     socketPath: pebbleSocketPath(dir, 'workload'),          // <dir>/workload/pebble.socket
 *     container: 'workload',
 *     rootDir: join(modelDir, 'containers', 'app-0', 'workload'), // the container's files
 *     runWorkloads: false,                                     // model option runWorkloads
 *     log: (line) => …,                                        // the server's notices
 *     planFile: join(modelDir, 'containers', 'app-0', 'workload.plan.json'), // optional: keep the plan
 *   });
 *   // hooks get CHARMS_PEBBLE_SOCKETS=<dir>; the client finds <dir>/<container>/pebble.socket
 *   await pebble.close();                                      // stops services and execs, removes the socket
 *
 * Beside the socket, `processes.json` records the process groups the server runs; a
 * server started on a socket whose earlier server died ends the groups it left.
 *
 * `pebbleSocketPath` throws a ModelError (INVALID_OPTION) when the path would pass the
 * 107 bytes a unix socket path may hold. The server keeps its services and changes in
 * memory, and its plan too unless `planFile` names where to keep the layers: a new server
 * (a new model process) then starts with the plan the charm built, its services stopped.
 */
import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import type { Duplex } from 'node:stream';
import { ContainerFilesystem, systemFolders, type ContainerMount } from './container-filesystem.js';
import { ModelError } from './model-errors.js';
import { changeInfo, changeStatus, finishTask, type PebbleChange, PebbleChanges } from './pebble-changes.js';
import { ChecksNotFound, PebbleChecks } from './pebble-checks.js';
import { endLeftovers, PebbleProcessRecord, PROCESS_RECORD } from './pebble-leftovers.js';
import { loadPlanFile, savePlanFile } from './pebble-plan-file.js';
import { ExecRefused, PebbleExec, type ExecPayload } from './pebble-exec.js';
import { ContainerFiles, PebbleFileError, buildMultipart, parseMultipart } from './pebble-files.js';
import { EMPTY_PLAN, PebblePlanError, buildPlan, combineLayers, parseDuration, parseLayer, planYaml, serviceOrder, type PebbleLayer, type PebblePlan } from './pebble-plan.js';
import { PebbleServices } from './pebble-services.js';
import { sandboxProblem } from './workload-sandbox.js';

/** A unix socket path holds at most 108 bytes with its terminating NUL on Linux, 104 on macOS and the BSDs (sockaddr_un.sun_path). */
export const SOCKET_PATH_LIMIT = process.platform === 'linux' ? 107 : 103;

export interface PebbleServerOptions {
  /** Where to listen; its folder is created (mode 700). */
  readonly socketPath: string;
  /** The container's name, for notices. */
  readonly container: string;
  /** The container's own files: container path `/x` is `<rootDir>/x` unless a mount shows it. Created if missing. */
  readonly rootDir: string;
  /** The container's storage mounts; this machine's system folders are mounted read only besides (container-filesystem.ts). */
  readonly mounts?: readonly ContainerMount[];
  /**
   * Run service commands, exec commands and exec checks as processes inside the container's
   * files (`--run-workloads`, workload-sandbox.ts).
   */
  readonly runWorkloads: boolean;
  /** Receives the server's notices (service starts and exits); nothing secret goes there. */
  readonly log?: (line: string) => void;
  /**
   * Where to keep the layers (JSON, owner-only) so that a server started again with the
   * same file has the same plan. Services do not run after such a restart until started,
   * as after a container restart. Without it the plan lives in memory only, as Pebble's.
   */
  readonly planFile?: string;
}

/** A running Pebble server. */
export interface PebbleServer {
  readonly socketPath: string;
  readonly container: string;
  /** The pid of a service's process while it runs (for tests and crash checks). */
  servicePid(name: string): number | undefined;
  /** Stops services (SIGTERM, SIGKILL after their kill-delay), execs and checks, and removes the socket. */
  close(): Promise<void>;
}

/** The folder whose `<container>/pebble.socket` are a unit's sockets: `<model>/run/pebble/<unit with / as ->`. */
export function pebbleSocketDir(modelDir: string, unit: string): string {
  return join(modelDir, 'run', 'pebble', unit.replace('/', '-'));
}

/**
 * The socket of container `container` under `socketDir`.
 * @throws ModelError INVALID_OPTION when the path is longer than a unix socket path may be.
 */
export function pebbleSocketPath(socketDir: string, container: string): string {
  const path = join(socketDir, container, 'pebble.socket');
  const bytes = Buffer.byteLength(path);
  if (bytes > SOCKET_PATH_LIMIT) {
    throw new ModelError(
      'INVALID_OPTION',
      `the Pebble socket path ${path} is ${bytes} bytes, more than the ${SOCKET_PATH_LIMIT} a unix socket path may hold: use a model folder with a shorter path (--model or CHARMS_MODEL)`,
    );
  }
  return path;
}

type Reply =
  | { kind: 'json'; status: number; body: Record<string, unknown> }
  | { kind: 'raw'; status: number; contentType: string; body: Buffer }
  /** An answer written over time (`/v1/logs?follow=true`): `write` gets the open response. */
  | { kind: 'stream'; status: number; contentType: string; write: (response: ServerResponse) => void };

type JsonReply = Extract<Reply, { kind: 'json' }>;

const sync = (result: unknown, status = 200): JsonReply => ({ kind: 'json', status, body: { type: 'sync', 'status-code': status, status: STATUS_TEXT[status] ?? '', result } });
const async = (change: string, result?: unknown): Reply => ({
  kind: 'json',
  status: 202,
  body: { type: 'async', 'status-code': 202, status: 'Accepted', change, ...(result !== undefined ? { result } : {}) },
});
const failure = (status: number, message: string, kind?: string, value?: unknown): JsonReply => ({
  kind: 'json',
  status,
  body: { type: 'error', 'status-code': status, status: STATUS_TEXT[status] ?? '', result: { message, ...(kind ? { kind } : {}), ...(value !== undefined ? { value } : {}) } },
});
const badRequest = (message: string): Reply => failure(400, message);

const STATUS_TEXT: Record<number, string> = {
  200: 'OK', 202: 'Accepted', 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  500: 'Internal Server Error', 502: 'Bad Gateway', 504: 'Gateway Timeout',
};

interface Request {
  readonly method: string;
  readonly url: URL;
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
  readonly params: Record<string, string>;
  readonly signal: AbortSignal;
}

type Handler = (request: Request) => Reply | Promise<Reply>;

/**
 * Starts a Pebble server on `socketPath`.
 * @throws ModelError INVALID_OPTION when another process already answers on the socket.
 */
export async function startPebble(options: PebbleServerOptions): Promise<PebbleServer> {
  const problem = options.runWorkloads ? sandboxProblem() : undefined;
  if (problem !== undefined) throw new ModelError('INVALID_OPTION', `--run-workloads cannot run workloads inside their containers here: ${problem}; deploy without --run-workloads`);
  const log = options.log ?? (() => undefined);
  const pebble = new LocalPebble(options, log);
  await pebble.listen();
  return pebble;
}

class LocalPebble implements PebbleServer {
  readonly socketPath: string;
  readonly container: string;
  // Pebble's boot-id is the kernel's (restart.BootID); a random one where there is none.
  private readonly bootId = kernelBootId() ?? randomUUID();
  private readonly changes = new PebbleChanges();
  private readonly services: PebbleServices;
  private readonly checks: PebbleChecks;
  private readonly exec: PebbleExec;
  private readonly files: ContainerFiles;
  private readonly http: Server;
  private readonly routes: { pattern: RegExp; names: string[]; methods: Record<string, Handler> }[] = [];
  private readonly pending = new Set<Promise<void>>();
  private readonly record: PebbleProcessRecord;
  private plan: PebblePlan = EMPTY_PLAN;
  private closed = false;

  constructor(
    private readonly options: PebbleServerOptions,
    private readonly log: (line: string) => void,
  ) {
    this.socketPath = options.socketPath;
    this.container = options.container;
    const system = systemFolders();
    const container = new ContainerFilesystem(options.rootDir, [...system.mounts, ...(options.mounts ?? [])], system.links);
    this.files = new ContainerFiles(container);
    this.record = new PebbleProcessRecord(join(dirname(options.socketPath), PROCESS_RECORD));
    const shared = { runWorkloads: options.runWorkloads, container, log, record: this.record };
    this.services = new PebbleServices(shared);
    this.checks = new PebbleChecks({ ...shared, newChangeId: (name, kind) => this.changes.newChange('perform-check', `Perform ${kind} check ${JSON.stringify(name)}`, []).id,
      onDown: (name) => this.services.checkFailed(name),
    });
    this.exec = new PebbleExec({ ...shared, changes: this.changes });
    const kept = options.planFile === undefined ? undefined : loadPlanFile(options.planFile);
    if (kept !== undefined) {
      this.plan = kept;
      this.checks.planChanged(kept);
    }
    this.http = createServer((request, response) => void this.serve(request, response));
    this.http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(request, socket, head));
    this.defineRoutes();
  }

  async listen(): Promise<void> {
    mkdirSync(dirname(this.socketPath), { recursive: true, mode: 0o700 });
    if (existsSync(this.socketPath)) {
      if (await answers(this.socketPath)) {
        throw new ModelError('INVALID_OPTION', `another Pebble server already listens on ${this.socketPath}: stop the model command that runs it first`);
      }
      // Left by a model process that died: nobody answers on it.
      if (lstatSync(this.socketPath).isSocket()) rmSync(this.socketPath, { force: true });
    }
    // A dead server's services and execs still running in their own groups: end them.
    const ended = endLeftovers(join(dirname(this.socketPath), PROCESS_RECORD));
    if (ended.length > 0) this.log(`Ended ${ended.length} process group(s) left by an earlier Pebble server of container ${JSON.stringify(this.container)}: ${ended.join(', ')}`);
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(this.socketPath, () => {
        this.http.off('error', reject);
        resolve();
      });
    });
    // The socket gives control of the container: the model's user only.
    chmodSync(this.socketPath, 0o600);
  }

  servicePid(name: string): number | undefined {
    return this.services.pid(name);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.checks.close();
    await Promise.all([this.services.stopAll(), this.exec.close()]);
    await Promise.allSettled([...this.pending]);
    await new Promise<void>((resolve) => {
      this.http.close(() => resolve());
      this.http.closeAllConnections();
    });
    rmSync(this.socketPath, { force: true });
    this.record.clear();
  }

  private route(path: string, methods: Record<string, Handler>): void {
    const names: string[] = [];
    const pattern = new RegExp(`^${path.replace(/\{([^}]+)\}/g, (_, name: string) => {
      names.push(name);
      return '([^/]+)';
    })}$`);
    this.routes.push({ pattern, names, methods });
  }

  private match(path: string): { methods: Record<string, Handler>; params: Record<string, string> } | undefined {
    for (const route of this.routes) {
      const found = route.pattern.exec(path);
      if (found) return { methods: route.methods, params: Object.fromEntries(route.names.map((name, i) => [name, decodeURIComponent(found[i + 1]!)])) };
    }
    return undefined;
  }

  private async serve(incoming: IncomingMessage, response: ServerResponse): Promise<void> {
    const abort = new AbortController();
    response.on('close', () => abort.abort());
    let reply: Reply;
    try {
      const url = new URL(incoming.url ?? '/', 'http://localhost');
      const found = this.match(url.pathname);
      const body = await readBody(incoming);
      if (found === undefined) {
        // daemon.go: the router's NotFoundHandler.
        reply = failure(404, 'invalid API endpoint requested');
      } else if (found.methods[incoming.method ?? ''] === undefined) {
        reply = failure(405, `method ${JSON.stringify(incoming.method)} not allowed`);
      } else {
        reply = await found.methods[incoming.method!]!({ method: incoming.method!, url, headers: incoming.headers, body, params: found.params, signal: abort.signal });
      }
    } catch (error) {
      reply = failure(500, `internal error: ${(error as Error).message}`);
    }
    if (response.destroyed) return;
    if (reply.kind === 'stream') {
      response.writeHead(reply.status, { 'Content-Type': reply.contentType });
      reply.write(response);
      return;
    }
    if (reply.kind === 'raw') {
      response.writeHead(reply.status, { 'Content-Type': reply.contentType, 'Content-Length': reply.body.length });
      response.end(reply.body);
      return;
    }
    const text = JSON.stringify(reply.body);
    response.writeHead(reply.status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    response.end(text);
  }

  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const refuse = (status: number, message: string): void => {
      const text = JSON.stringify(failure(status, message).body as object);
      socket.end(`HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? ''}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`);
    };
    const url = new URL(request.url ?? '/', 'http://localhost');
    const found = /^\/v1\/tasks\/([^/]+)\/websocket\/([^/]+)$/.exec(url.pathname);
    if (!found) return refuse(404, 'invalid API endpoint requested');
    this.exec.upgrade(request, socket, head, decodeURIComponent(found[1]!), decodeURIComponent(found[2]!), refuse);
  }

  private defineRoutes(): void {
    this.route('/v1/system-info', { GET: () => sync({ 'boot-id': this.bootId, version: 'local' }) });
    this.route('/v1/health', { GET: (request) => this.health(request) });
    this.route('/v1/changes', { GET: (request) => this.listChanges(request) });
    this.route('/v1/changes/{id}', {
      GET: (request) => {
        const change = this.changes.change(request.params.id!);
        return change ? sync(changeInfo(change)) : failure(404, `cannot find change with id ${JSON.stringify(request.params.id)}`);
      },
      POST: (request) => {
        const change = this.changes.change(request.params.id!);
        if (!change) return failure(404, `cannot find change with id ${JSON.stringify(request.params.id)}`);
        const payload = decodeJson(request.body, 'cannot decode data from request body');
        if ('reply' in payload) return payload.reply;
        if (payload.value.action !== 'abort') return badRequest(`invalid action ${JSON.stringify(payload.value.action ?? '')}`);
        if (isReady(change)) return badRequest(`cannot abort change ${change.id} with nothing pending`);
        return badRequest(`the local model cannot abort change ${change.id}: wait for it to end`);
      },
    });
    this.route('/v1/changes/{id}/wait', { GET: (request) => this.waitChange(request) });
    this.route('/v1/services', { GET: (request) => sync(this.services.list(this.plan, names(request.url))), POST: (request) => this.postServices(request) });
    this.route('/v1/services/{name}', { GET: () => badRequest('not implemented'), POST: () => badRequest('not implemented') });
    this.route('/v1/plan', {
      GET: (request) => {
        const format = request.url.searchParams.get('format') ?? '';
        return format === 'yaml' ? sync(planYaml(this.plan)) : badRequest(`invalid format ${JSON.stringify(format)}`);
      },
    });
    this.route('/v1/layers', { POST: (request) => this.postLayers(request) });
    this.route('/v1/files', { GET: (request) => this.getFiles(request), POST: (request) => this.postFiles(request) });
    this.route('/v1/exec', { POST: (request) => this.postExec(request) });
    this.route('/v1/tasks/{task-id}/websocket/{websocket-id}', {
      GET: () => badRequest('websocket: the client is not using the websocket protocol: \'upgrade\' token not found in \'Connection\' header'),
    });
    this.route('/v1/logs', { GET: (request) => this.getLogs(request) });
    this.route('/v1/signals', {
      POST: (request) => {
        const payload = decodeJson(request.body, 'cannot decode request body');
        if ('reply' in payload) return payload.reply;
        const targets = Array.isArray(payload.value.services) ? (payload.value.services as unknown[]).map(String) : [];
        if (targets.length === 0) return badRequest('must specify one or more services');
        const error = this.services.sendSignal(targets, String(payload.value.signal ?? ''));
        return error === undefined ? sync(true) : failure(500, error);
      },
    });
    this.route('/v1/checks', { GET: (request) => this.getChecks(request), POST: (request) => this.postChecks(request) });
    this.route('/v1/checks/refresh', {
      POST: async (request) => {
        const payload = decodeJson(request.body, 'cannot decode data from request body');
        if ('reply' in payload) return payload.reply;
        const name = typeof payload.value.name === 'string' ? payload.value.name : '';
        if (name === '') return badRequest('must specify check name');
        if (this.plan.checks[name] === undefined) return failure(404, `cannot find check with name ${JSON.stringify(name)}`);
        return sync(await this.checks.refresh(name));
      },
    });
  }

  // api_logs.go: newline-delimited JSON, the last n lines (30 by default, all with -1), then with follow=true every new line.
  private getLogs(request: Request): Reply {
    const query = request.url.searchParams;
    const follow = query.get('follow') ?? '';
    if (!['', 'true', 'false'].includes(follow)) return badRequest('follow parameter must be "true" or "false"');
    const nText = query.get('n') ?? '';
    const n = nText === '' ? (follow === 'true' ? 0 : 30) : /^-?\d+$/.test(nText) ? Number(nText) : Number.NaN;
    if (!Number.isInteger(n) || n < -1) return badRequest('n must be -1, 0, or a positive integer');
    let wanted = query.getAll('services').flatMap((value) => value.split(',')).map((name) => name.trim()).filter((name) => name !== '');
    if (wanted.length === 0) wanted = Object.keys(this.plan.services);
    const line = (entry: { time: Date; service: string; message: string }): string => `${JSON.stringify({ time: entry.time.toISOString(), service: entry.service, message: entry.message })}\n`;
    const past = this.services.logs(wanted, n).map(line).join('');
    if (follow !== 'true') return { kind: 'raw', status: 200, contentType: 'application/x-ndjson', body: Buffer.from(past) };
    return {
      kind: 'stream',
      status: 200,
      contentType: 'application/x-ndjson',
      write: (response) => {
        response.write(past);
        const stop = this.services.followLogs((entry) => {
          if (wanted.includes(entry.service)) response.write(line(entry));
        });
        response.on('close', stop);
      },
    };
  }

  private health(request: Request): Reply {
    const level = request.url.searchParams.get('level') ?? '';
    if (!['', 'alive', 'ready'].includes(level)) return badRequest('level must be "alive" or "ready"');
    const wanted = names(request.url);
    // api_health.go: ready implies alive.
    const down = this.checks.list().some((check) =>
      (level === '' || check.level === level || (level === 'ready' && check.level === 'alive')) && (wanted.length === 0 || wanted.includes(check.name)) && check.status === 'down');
    return sync({ healthy: !down }, down ? 502 : 200);
  }

  private listChanges(request: Request): Reply {
    const select = request.url.searchParams.get('select') || 'in-progress';
    if (!['all', 'in-progress', 'ready'].includes(select)) return badRequest('select should be one of: all,in-progress,ready');
    const service = request.url.searchParams.get('for');
    return sync(
      this.changes
        .all()
        .filter((change) => change.kind !== 'perform-check')
        .filter((change) => select === 'all' || (select === 'ready') === isReady(change))
        .filter((change) => !service || (change.serviceNames ?? []).includes(service))
        .map(changeInfo),
    );
  }

  private async waitChange(request: Request): Promise<Reply> {
    const change = this.changes.change(request.params.id!);
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

  private postLayers(request: Request): Reply {
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
    const layers = [...this.plan.layers];
    const index = layers.findIndex((existing) => existing.label === label);
    try {
      if (index >= 0 && !combine) return badRequest(`layer ${JSON.stringify(label)} already exists`);
      if (index >= 0) {
        // planstate's CombineLayer: the new layer merges into the one with its label, keeping its place.
        const found = layers[index]!;
        const combined = combineLayers([found, parsed]);
        layers[index] = { label: found.label, order: found.order, ...(combined.summary !== undefined ? { summary: combined.summary } : {}), ...(combined.description !== undefined ? { description: combined.description } : {}), services: combined.services, checks: combined.checks, 'log-targets': combined['log-targets'] };
      } else {
        // planstate's appendLayer: orders count up in steps of 1000.
        parsed.order = (layers.at(-1)?.order ?? 0) + 1000;
        layers.push(parsed);
      }
      this.plan = buildPlan(layers);
      if (this.options.planFile !== undefined) savePlanFile(this.options.planFile, this.plan);
    } catch (error) {
      if (error instanceof PebblePlanError) return badRequest(error.message);
      throw error;
    }
    this.checks.planChanged(this.plan);
    return sync(true);
  }

  private postServices(request: Request): Reply {
    const payload = decodeJson(request.body, 'cannot decode data from request body');
    if ('reply' in payload) return payload.reply;
    const action = String(payload.value.action ?? '');
    let requested = Array.isArray(payload.value.services) ? (payload.value.services as unknown[]).map(String) : [];
    if (action === 'replan' || action === 'autostart') {
      if (requested.length > 0) return badRequest(`${action} accepts no service names`);
      if (action === 'autostart') {
        requested = Object.keys(this.plan.services).filter((name) => this.plan.services[name]!.startup === 'enabled');
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
          start = serviceOrder(this.plan, requested, 'start');
          break;
        case 'stop':
          stop = serviceOrder(this.plan, requested, 'stop');
          break;
        case 'restart':
          stop = serviceOrder(this.plan, requested, 'stop').filter((name) => requested.includes(name));
          start = serviceOrder(this.plan, requested, 'start');
          break;
        case 'replan': {
          const planned = this.services.replan(this.plan);
          stop = planned.stop.length > 0 ? serviceOrder({ ...this.plan, services: { ...this.servicesKnown(planned.stop) } }, planned.stop, 'stop') : [];
          start = serviceOrder(this.plan, planned.start, 'start');
          requested = [...new Set([...stop, ...start])].sort();
          this.checks.replan();
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
    const change = this.changes.newChange(action, summary, [
      ...stop.map((name) => ({ kind: 'stop', summary: `Stop service ${JSON.stringify(name)}` })),
      ...start.map((name) => ({ kind: 'start', summary: `Start service ${JSON.stringify(name)}` })),
    ]);
    if (requested.length > 0) change.serviceNames = requested;
    const names = [...stop, ...start];
    const run = this.runServiceChange(change, names).finally(() => this.pending.delete(run));
    this.pending.add(run);
    return async(change.id);
  }

  // Services that replan stops may be gone from the plan (a layer replaced them): order what is known.
  private servicesKnown(names: readonly string[]): PebblePlan['services'] {
    return Object.fromEntries(names.map((name) => [name, this.plan.services[name] ?? { command: 'gone' }]));
  }

  /** Runs a change's tasks in order; once one fails, the rest are held, as Pebble holds tasks waiting on a failed one. */
  private async runServiceChange(change: PebbleChange, names: readonly string[]): Promise<void> {
    const plan = this.plan;
    let failed = false;
    for (const [i, task] of change.tasks.entries()) {
      if (failed || this.closed) {
        task.status = 'Hold';
        continue;
      }
      try {
        if (task.kind === 'stop') await this.services.stop(task, names[i]!);
        else await this.services.start(task, plan, names[i]!);
      } catch (error) {
        finishTask(task, (error as Error).message);
      }
      if (task.status === 'Error') failed = true;
    }
    change.markReady();
  }

  private getFiles(request: Request): Reply {
    const query = request.url.searchParams;
    const action = query.get('action') ?? '';
    if (action === 'read') {
      const paths = query.getAll('path');
      if (paths.length === 0) return badRequest('must specify one or more paths');
      if (request.headers.accept !== 'multipart/form-data') return badRequest('must accept multipart/form-data');
      const parts: { name: string; filename?: string; contentType?: string; data: Buffer }[] = [];
      const result = paths.map((path) => {
        try {
          parts.push({ name: 'files', filename: path, data: this.files.read(path) });
          return { path };
        } catch (error) {
          return { path, error: fileError(error) };
        }
      });
      parts.push({ name: 'response', contentType: 'application/json', data: Buffer.from(`${JSON.stringify(sync(result).body)}\n`) });
      const { contentType, body } = buildMultipart(parts);
      return { kind: 'raw', status: 200, contentType, body };
    }
    if (action === 'list') {
      const path = query.get('path') ?? '';
      if (path === '') return badRequest('must specify path');
      const itself = query.get('itself') ?? '';
      if (!['true', 'false', ''].includes(itself)) return badRequest('itself parameter must be "true" or "false"');
      try {
        return sync(this.files.list(path, query.get('pattern') ?? '', itself === 'true'));
      } catch (error) {
        if (error instanceof PebbleFileError) {
          if (error.message.startsWith('path must be absolute')) return badRequest(error.message);
          return failure(error.status, error.message, error.kind);
        }
        throw error;
      }
    }
    return badRequest(`invalid action ${JSON.stringify(action)}`);
  }

  private postFiles(request: Request): Reply {
    const contentType = request.headers['content-type'] ?? '';
    const media = contentType.split(';')[0]!.trim().toLowerCase();
    if (media === 'multipart/form-data') {
      const boundary = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
      const value = boundary?.[1] ?? boundary?.[2] ?? '';
      // api_files.go: minBoundaryLength.
      if (value.length < 32) return badRequest(`invalid boundary ${JSON.stringify(value)}`);
      return this.writeFiles(request.body, value);
    }
    if (media === 'application/json') {
      const payload = decodeJson(request.body, 'cannot decode request body');
      if ('reply' in payload) return payload.reply;
      const action = String(payload.value.action ?? '');
      if (action === 'make-dirs') {
        const dirs = (Array.isArray(payload.value.dirs) ? payload.value.dirs : []) as { path: string }[];
        return sync(dirs.map((dir) => this.eachFile(dir.path, () => this.files.makeDir(dir))));
      }
      if (action === 'remove') {
        const paths = (Array.isArray(payload.value.paths) ? payload.value.paths : []) as { path: string; recursive?: boolean }[];
        return sync(paths.map((item) => this.eachFile(item.path, () => this.files.remove(item))));
      }
      if (action === 'write') return badRequest('must use multipart with "write" action');
      return badRequest(`invalid action ${JSON.stringify(action)}`);
    }
    return badRequest(`invalid media type ${JSON.stringify(media)}`);
  }

  private writeFiles(body: Buffer, boundary: string): Reply {
    let parts;
    try {
      parts = parseMultipart(body, boundary);
    } catch (error) {
      return badRequest(`cannot read request metadata: ${(error as Error).message}`);
    }
    const [first, ...rest] = parts;
    if (first === undefined) return badRequest('cannot read request metadata: EOF');
    if (first.name !== 'request') return badRequest(`metadata field name must be "request", got ${JSON.stringify(first.name)}`);
    const metadata = decodeJson(first.data, 'cannot decode request metadata');
    if ('reply' in metadata) return metadata.reply;
    if (metadata.value.action !== 'write') return badRequest(`multipart action must be "write", got ${JSON.stringify(metadata.value.action ?? '')}`);
    const files = (Array.isArray(metadata.value.files) ? metadata.value.files : []) as { path: string }[];
    if (files.length === 0) return badRequest('must specify one or more files');
    const infos = new Map(files.map((file) => [file.path, file]));
    const errors = new Map<string, unknown>();
    for (const part of rest) {
      if (part.name !== 'files') return badRequest(`field name must be "files", got ${JSON.stringify(part.name)}`);
      const info = infos.get(part.filename ?? '');
      if (info === undefined) return badRequest(`no metadata for path ${JSON.stringify(part.filename ?? '')}`);
      try {
        this.files.write(info, part.data);
        errors.set(info.path, undefined);
      } catch (error) {
        errors.set(info.path, error);
      }
    }
    return sync(
      files.map((file) => {
        if (!errors.has(file.path)) return { path: file.path, error: { message: `no file content for path ${JSON.stringify(file.path)}`, kind: 'generic-file-error' } };
        const error = errors.get(file.path);
        return error === undefined ? { path: file.path } : { path: file.path, error: fileError(error) };
      }),
    );
  }

  private eachFile(path: string, act: () => void): Record<string, unknown> {
    try {
      act();
      return { path };
    } catch (error) {
      return { path, error: fileError(error) };
    }
  }

  private postExec(request: Request): Reply {
    const payload = decodeJson(request.body, 'cannot decode request body');
    if ('reply' in payload) return payload.reply;
    try {
      const { change, result } = this.exec.create(payload.value as ExecPayload, this.plan);
      return async(change.id, result);
    } catch (error) {
      if (error instanceof ExecRefused) return badRequest(error.message);
      throw error;
    }
  }

  private getChecks(request: Request): Reply {
    const level = request.url.searchParams.get('level') ?? '';
    if (!['', 'alive', 'ready'].includes(level)) return badRequest('level must be "alive" or "ready"');
    const wanted = names(request.url);
    return sync(this.checks.list().filter((check) => (level === '' || check.level === level) && (wanted.length === 0 || wanted.includes(check.name))));
  }

  private postChecks(request: Request): Reply {
    const payload = decodeJson(request.body, 'cannot decode data from request body');
    if ('reply' in payload) return payload.reply;
    const action = String(payload.value.action ?? '');
    const checks = Array.isArray(payload.value.checks) ? (payload.value.checks as unknown[]).map(String) : [];
    if (checks.length === 0) return badRequest(`must specify checks for ${action} action`);
    try {
      if (action === 'start') return sync({ changed: this.checks.start(checks) });
      if (action === 'stop') return sync({ changed: this.checks.stop(checks) });
    } catch (error) {
      if (error instanceof ChecksNotFound) return badRequest(`cannot ${action} checks: ${error.message}`);
      throw error;
    }
    return badRequest(`invalid action ${JSON.stringify(action)}`);
  }
}

function isReady(change: PebbleChange): boolean {
  const status = changeStatus(change);
  return status === 'Done' || status === 'Error' || status === 'Hold';
}

/** `?names=a,b&names=c` as strutil.MultiCommaSeparatedList reads it. */
function names(url: URL): string[] {
  return url.searchParams
    .getAll('names')
    .flatMap((value) => value.split(','))
    .map((name) => name.trim())
    .filter((name) => name !== '');
}

function decodeJson(body: Buffer, what: string): { value: Record<string, unknown> } | { reply: Reply } {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return { reply: badRequest(`${what}: the body is not a JSON object`) };
    return { value: value as Record<string, unknown> };
  } catch (error) {
    return { reply: badRequest(`${what}: ${(error as Error).message}`) };
  }
}

function fileError(error: unknown): { message: string; kind: string } {
  if (error instanceof PebbleFileError) return error.toResult();
  return { message: (error as Error).message, kind: 'generic-file-error' };
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function kernelBootId(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Whether a process answers on unix socket `path`. */
function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
