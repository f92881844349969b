import { join } from 'node:path';
import { parseChange, type Change } from './change.js';
import { ChangeError, PebbleError } from './errors.js';
import { runExec, type ExecOptions, type ExecResult } from './exec.js';
import {
  listFiles,
  makeDir,
  pullFile,
  pushFile,
  removePath,
  type FileInfo,
  type ListFilesOptions,
  type MakeDirOptions,
  type PushOptions,
  type Send,
} from './files.js';
import { layerYaml, parsePlan, type Layer, type Plan } from './layer.js';
import { getNotice, getNotices, notify, type Notice, type NoticesFilter, type NotifyOptions } from './notices.js';
import { asyncResult, goDuration, sendRequest, syncResult } from './transport.js';

/** `new Pebble(options)`. */
export interface PebbleOptions {
  /** The unix socket Pebble listens on. */
  readonly socketPath: string;
  /** How long one request may take before a `TimeoutError` (waits get their own deadline). Default 30 000 ms. */
  readonly requestTimeoutMs?: number;
}

/** `Pebble.forContainer(name, options)`. */
export interface ForContainerOptions {
  /** Where `CHARMS_PEBBLE_SOCKETS` is read; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly requestTimeoutMs?: number;
}

/** What `/v1/system-info` reports. */
export interface SystemInfo {
  readonly version: string;
  readonly bootId: string | undefined;
}

/** One service and its state (`GET /v1/services`; Pebble's `client/services.go`, `ServiceInfo`). */
export interface ServiceInfo {
  readonly name: string;
  readonly startup: 'enabled' | 'disabled';
  readonly current: 'active' | 'inactive' | 'backoff' | 'error';
  /** When it entered `current` (RFC 3339), when Pebble says. */
  readonly currentSince: string | undefined;
}

/** One health check and its state (`GET /v1/checks`; Pebble's `client/checks.go`, `CheckInfo`). */
export interface CheckInfo {
  readonly name: string;
  readonly level: 'alive' | 'ready' | undefined;
  readonly startup: 'enabled' | 'disabled';
  readonly status: 'up' | 'down' | 'inactive';
  readonly successes: number | undefined;
  readonly failures: number;
  readonly threshold: number;
  readonly changeId: string | undefined;
}

/** How long a services action waits for its change; 0 submits it and returns at once. Default 30 000 ms, as ops. */
export interface ServiceActionOptions {
  readonly timeoutMs?: number;
}

/** `waitChange` options. */
export interface WaitChangeOptions {
  /** Give up after this long with a `TimeoutError`; `Infinity` waits as long as the change takes. Default 30 000 ms. */
  readonly timeoutMs?: number;
}

/** Where Juju mounts a workload container's Pebble socket in the charm container. */
export const JUJU_CONTAINERS_DIR = '/charm/containers';
/** Set by the local model for every hook: the folder holding `<container>/pebble.socket`. */
export const PEBBLE_SOCKETS_VARIABLE = 'CHARMS_PEBBLE_SOCKETS';

const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
const DEFAULT_WAIT_MS = 30_000;
// A wait request lives as long as its server-side timeout; the socket gets this much more.
const WAIT_REQUEST_MARGIN_MS = 5_000;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function protocol(what: string, result: unknown, expected: string): PebbleError {
  return new PebbleError(`Pebble answered ${what} with ${JSON.stringify(result)} where its API sends ${expected}`, { code: 'PEBBLE_PROTOCOL' });
}

/**
 * A client of one Pebble: the service manager of one workload container, over its unix
 * socket, through Pebble's REST API (v1). Method names are ops' `pebble.Client` ones in
 * camelCase (`replan_services` → `replanServices`).
 *
 * @example
 * ```ts
 * const pebble = Pebble.forContainer('minio');
 * await pebble.addLayer('minio', { services: { minio: { override: 'replace', command: 'minio server /data', startup: 'enabled' } } }, { combine: true });
 * await pebble.replanServices();
 * const { stdout } = await pebble.exec(['minio', '--version']);
 * ```
 */
export class Pebble {
  readonly socketPath: string;
  readonly #requestTimeoutMs: number;
  readonly #send: Send;

  constructor(options: PebbleOptions) {
    if (typeof options.socketPath !== 'string' || options.socketPath === '') {
      throw new PebbleError('new Pebble needs a socketPath: the unix socket of the container\'s Pebble', { code: 'PEBBLE_USAGE' });
    }
    this.socketPath = options.socketPath;
    this.#requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.#send = (request) => sendRequest(this.socketPath, { ...request, timeoutMs: request.timeoutMs ?? this.#requestTimeoutMs });
  }

  /**
   * The client of container `name` (a key of metadata.yaml's `containers:`): its socket is
   * `$CHARMS_PEBBLE_SOCKETS/<name>/pebble.socket` when the local model set that variable,
   * else `/charm/containers/<name>/pebble.socket`, where Juju mounts it.
   *
   * @throws {PebbleError} `PEBBLE_USAGE` when `name` is empty or holds a `/`.
   */
  static forContainer(name: string, options: ForContainerOptions = {}): Pebble {
    if (name === '' || name.includes('/') || name === '.' || name === '..') {
      throw new PebbleError(`container name ${JSON.stringify(name)} is not a name of metadata.yaml's containers: (no slashes, not empty)`, { code: 'PEBBLE_USAGE' });
    }
    const env = options.env ?? process.env;
    const folder = env[PEBBLE_SOCKETS_VARIABLE];
    const socketPath = folder ? join(folder, name, 'pebble.socket') : join(JUJU_CONTAINERS_DIR, name, 'pebble.socket');
    return new Pebble({ socketPath, ...(options.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: options.requestTimeoutMs }) });
  }

  /** Pebble's version (`GET /v1/system-info`). */
  async getSystemInfo(): Promise<SystemInfo> {
    const what = 'GET /v1/system-info';
    const result = syncResult(await this.#send({ method: 'GET', path: '/v1/system-info' }), what);
    if (!isRecord(result) || typeof result['version'] !== 'string') throw protocol(what, result, 'an object with a version');
    return { version: result['version'], bootId: typeof result['boot-id'] === 'string' ? result['boot-id'] : undefined };
  }

  /** The combined plan as the YAML text Pebble sends (`GET /v1/plan?format=yaml`). */
  async getPlanYaml(): Promise<string> {
    const what = 'GET /v1/plan';
    const result = syncResult(await this.#send({ method: 'GET', path: '/v1/plan', query: { format: 'yaml' } }), what);
    if (typeof result !== 'string') throw protocol(what, result, 'the plan as YAML text');
    return result;
  }

  /** The combined plan, parsed. */
  async getPlan(): Promise<Plan> {
    return parsePlan(await this.getPlanYaml());
  }

  /**
   * Adds a layer (`POST /v1/layers`, action `add`). With `combine`, a layer of the same
   * label is merged into instead of refused. Nothing starts until `replanServices` or a start.
   *
   * @throws {PebbleError} `PEBBLE_API_ERROR` (400) for YAML Pebble refuses or a label that exists without `combine`.
   */
  async addLayer(label: string, layer: string | Layer, options: { readonly combine?: boolean } = {}): Promise<void> {
    const json = { action: 'add', combine: options.combine ?? false, label, format: 'yaml', layer: layerYaml(layer) };
    syncResult(await this.#send({ method: 'POST', path: '/v1/layers', json }), `POST /v1/layers (layer ${label})`);
  }

  /** The services of the plan and their state (`GET /v1/services`), all of them when `names` is empty. */
  async getServices(names: readonly string[] = []): Promise<ServiceInfo[]> {
    const what = 'GET /v1/services';
    const result = syncResult(await this.#send({ method: 'GET', path: '/v1/services', query: { names: names.join(',') } }), what);
    if (!Array.isArray(result)) throw protocol(what, result, 'a list of services');
    return result.map((raw): ServiceInfo => {
      if (!isRecord(raw) || typeof raw['name'] !== 'string') throw protocol(what, raw, 'a service with a name');
      return {
        name: raw['name'],
        startup: raw['startup'] === 'enabled' ? 'enabled' : 'disabled',
        current: (['active', 'inactive', 'backoff', 'error'] as const).find((state) => state === raw['current']) ?? 'inactive',
        currentSince: typeof raw['current-since'] === 'string' ? raw['current-since'] : undefined,
      };
    });
  }

  /** Starts services; waits for the change unless `timeoutMs` is 0. @throws {ChangeError} when one would not start. */
  startServices(names: readonly string[], options?: ServiceActionOptions): Promise<string> {
    return this.#servicesAction('start', names, options);
  }

  /** Stops services; waits for the change unless `timeoutMs` is 0. */
  stopServices(names: readonly string[], options?: ServiceActionOptions): Promise<string> {
    return this.#servicesAction('stop', names, options);
  }

  /** Stops then starts services; waits for the change unless `timeoutMs` is 0. */
  restartServices(names: readonly string[], options?: ServiceActionOptions): Promise<string> {
    return this.#servicesAction('restart', names, options);
  }

  /** Brings the running services in line with the plan: restarts changed ones, starts `startup: enabled` ones. */
  replanServices(options?: ServiceActionOptions): Promise<string> {
    return this.#servicesAction('replan', [], options);
  }

  /** Starts the `startup: enabled` services. @throws {PebbleError} kind `no-default-services` when there are none. */
  autostartServices(options?: ServiceActionOptions): Promise<string> {
    return this.#servicesAction('autostart', [], options);
  }

  /**
   * `POST /v1/services` {action, services}, then (as ops' `_services_action`) a wait for
   * the change, which throws when the change ended in Error.
   */
  async #servicesAction(action: string, names: readonly string[], options: ServiceActionOptions = {}): Promise<string> {
    const what = `POST /v1/services (${action}${names.length > 0 ? ` ${names.join(', ')}` : ''})`;
    const { change: changeId } = asyncResult(await this.#send({ method: 'POST', path: '/v1/services', json: { action, services: names } }), what);
    const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_MS;
    if (timeoutMs === 0) return changeId;
    const change = await this.waitChange(changeId, { timeoutMs });
    if (change.err !== undefined || change.status === 'Error') throw new ChangeError(change);
    return changeId;
  }

  /** A change as it is now (`GET /v1/changes/{id}`). */
  async getChange(id: string): Promise<Change> {
    const path = `/v1/changes/${checkChangeId(id)}`;
    return parseChange(syncResult(await this.#send({ method: 'GET', path }), `GET ${path}`));
  }

  /**
   * Waits until a change is ready (`GET /v1/changes/{id}/wait?timeout=…`) and returns it,
   * whether it ended in `Done` or `Error` (check `status` and `err`).
   *
   * @throws {TimeoutError} `PEBBLE_TIMEOUT` when it is not ready in time (Pebble's 504).
   */
  async waitChange(id: string, options: WaitChangeOptions = {}): Promise<Change> {
    const path = `/v1/changes/${checkChangeId(id)}/wait`;
    const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_MS;
    const bounded = Number.isFinite(timeoutMs);
    const response = await this.#send({
      method: 'GET',
      path,
      query: { timeout: bounded ? goDuration(timeoutMs) : undefined },
      // 0 turns the socket timeout off: an unbounded wait lasts as long as the change.
      timeoutMs: bounded ? timeoutMs + WAIT_REQUEST_MARGIN_MS : 0,
    });
    return parseChange(syncResult(response, `GET ${path}`));
  }

  /** The health checks and their state (`GET /v1/checks`), filtered by level and names. */
  async getChecks(options: { readonly level?: 'alive' | 'ready'; readonly names?: readonly string[] } = {}): Promise<CheckInfo[]> {
    const what = 'GET /v1/checks';
    const query = { level: options.level, names: options.names && options.names.length > 0 ? options.names : undefined };
    const result = syncResult(await this.#send({ method: 'GET', path: '/v1/checks', query }), what);
    if (!Array.isArray(result)) throw protocol(what, result, 'a list of checks');
    return result.map((raw): CheckInfo => {
      if (!isRecord(raw) || typeof raw['name'] !== 'string') throw protocol(what, raw, 'a check with a name');
      return {
        name: raw['name'],
        level: raw['level'] === 'alive' || raw['level'] === 'ready' ? raw['level'] : undefined,
        startup: raw['startup'] === 'disabled' ? 'disabled' : 'enabled',
        status: raw['status'] === 'up' || raw['status'] === 'down' ? raw['status'] : 'inactive',
        successes: typeof raw['successes'] === 'number' ? raw['successes'] : undefined,
        failures: typeof raw['failures'] === 'number' ? raw['failures'] : 0,
        threshold: typeof raw['threshold'] === 'number' ? raw['threshold'] : 0,
        changeId: typeof raw['change-id'] === 'string' && raw['change-id'] !== '' ? raw['change-id'] : undefined,
      };
    });
  }

  /**
   * Adds custom notice `key` (`example.com/path` form), or repeats it: under Juju 3.4 and
   * later the charm then gets `<container>-pebble-custom-notice` with JUJU_NOTICE_KEY.
   * Returns the notice's id.
   * @throws {PebbleError} `PEBBLE_USAGE` for a key not in that form.
   */
  notify(key: string, options?: NotifyOptions): Promise<string> {
    return notify(this.#send, key, options);
  }

  /** The notices that match `filter` (`GET /v1/notices`), oldest repeat first. */
  getNotices(filter?: NoticesFilter): Promise<Notice[]> {
    return getNotices(this.#send, filter);
  }

  /** One notice by id. @throws {PebbleError} `PEBBLE_API_ERROR` (404) when there is none. */
  getNotice(id: string): Promise<Notice> {
    return getNotice(this.#send, id);
  }

  /** Writes a file in the container. @throws {PebbleError} with the file's `kind` (`permission-denied`, …) when it failed. */
  push(path: string, content: string | Uint8Array, options?: PushOptions): Promise<void> {
    return pushFile(this.#send, path, content, options);
  }

  /** Reads a file of the container. @throws {PebbleError} kind `not-found` when it does not exist. */
  pull(path: string): Promise<Buffer> {
    return pullFile(this.#send, path);
  }

  /** Lists a folder of the container, or describes one file. */
  listFiles(path: string, options?: ListFilesOptions): Promise<FileInfo[]> {
    return listFiles(this.#send, path, options);
  }

  /** Creates a folder in the container. */
  makeDir(path: string, options?: MakeDirOptions): Promise<void> {
    return makeDir(this.#send, path, options);
  }

  /** Removes a file or folder of the container; a folder with entries needs `recursive`. */
  removePath(path: string, options?: { readonly recursive?: boolean }): Promise<void> {
    return removePath(this.#send, path, options);
  }

  /**
   * Runs a command in the container and waits for it: `exec(['echo', 'hi'])` gives
   * `{ stdout: 'hi\n', stderr: '', exitCode: 0 }`. A non-zero exit is returned, not thrown.
   *
   * @throws {ChangeError} when the exec change ends in Error (its timeout passed).
   */
  exec(command: readonly string[], options?: ExecOptions): Promise<ExecResult> {
    return runExec({ socketPath: this.socketPath, send: this.#send, waitChange: (id, wait) => this.waitChange(id, wait) }, command, options);
  }
}

/** Change ids are what Pebble's client accepts (`^[a-z0-9]+$`, client/changes.go): nothing else reaches the path. */
function checkChangeId(id: string): string {
  if (!/^[a-z0-9]+$/.test(id)) throw new PebbleError(`invalid change id ${JSON.stringify(id)}: Pebble's change ids are lowercase letters and digits`, { code: 'PEBBLE_USAGE' });
  return id;
}
