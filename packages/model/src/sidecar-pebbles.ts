/**
 * The Pebble servers of the model's sidecar units while an operation runs.
 *
 * Juju's Pebble runs as long as its container; the local model runs only inside a
 * command (each CLI command opens the model, runs one operation and exits), and a server
 * that outlived the command would need a daemon. So each operation starts a unit's
 * servers before the unit's first hook or action in it (the hook finds its container's
 * Pebble answering, as a pebble-ready hook does under Juju) and stops them all when the
 * operation ends. What must survive between commands does:
 *   - the plan: saved at the end (`GET /v1/plan?format=yaml`) to
 *     `<unit folder>/pebble/<container>/plan.yaml`, and given back to the next server as
 *     one layer (`POST /v1/layers`, label `saved-plan`): the plan is the same, its
 *     layers are merged into one;
 *   - the container's files: `<unit folder>/containers/<container>/`, on disk already.
 * Services do not survive: those started with `--run-workloads` are stopped (SIGTERM, then
 * SIGKILL) when the command ends, and the next command's Pebble has them inactive until
 * the charm starts them again (a `replan` does). Changes, checks and notices are the
 * server's memory and start empty. The servers are @charms/model/internal's (pebble-server.ts).
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { dirname, join } from 'node:path';
import { endLeftovers, PROCESS_RECORD } from './pebble-leftovers.js';
import type { PebbleServer } from './pebble-server.js';
import { pebbleSocketDir, pebbleSocketPath } from './pebble-sockets.js';
import { containerStorageMounts } from './sidecar-mounts.js';
import type { AppRecord, ModelRecord, PebbleNoticeEvent } from './model-state.js';

/** The label of the one layer a plan saved by an earlier version of the model (`plan.yaml`, labels merged) comes back as. */
export const SAVED_PLAN_LABEL = 'saved-plan';

export interface SidecarPebblesOptions {
  readonly modelDir: string;
  /** A unit's folder (`ModelStore.unitDir`). */
  readonly unitDir: (unit: string) => string;
  /** Model option `runWorkloads`: every sidecar unit runs its services as local processes. */
  readonly runWorkloads: boolean;
  /** The servers' notices, for the unit's log. */
  readonly log: (unit: string, line: string) => void;
}

/** The servers started in one operation, by unit then container. */
export class SidecarPebbles {
  readonly #options: SidecarPebblesOptions;
  readonly #servers = new Map<string, PebbleServer[]>();
  /** Per server, the repeat count of its notices the model has turned into hooks. */
  readonly #noticesSeen = new Map<PebbleServer, number>();
  /**
   * While servers run, a signal or an exit of this process ends their workloads first:
   * services run in process groups of their own, which would outlive a Ctrl-C of the
   * command otherwise. The signal is then raised again, for its usual end.
   */
  readonly #onSignal = (signal: NodeJS.Signals): void => {
    this.#endWorkloads();
    this.#unwatch();
    process.kill(process.pid, signal);
  };
  readonly #onExit = (): void => this.#endWorkloads();

  constructor(options: SidecarPebblesOptions) {
    this.#options = options;
  }

  /**
   * Starts `unit`'s servers when its application is a sidecar one and they are not
   * running yet, each with the plan saved by the last operation.
   * @throws ModelError INVALID_OPTION when a socket path would be too long, or another process answers on it.
   */
  async ensure(model: Readonly<ModelRecord>, unit: string): Promise<void> {
    const app: AppRecord | undefined = model.apps[unit.split('/')[0]!];
    if (!app?.sidecar || this.#servers.has(unit)) return;
    const servers: PebbleServer[] = [];
    if (this.#servers.size === 0) this.#watch();
    this.#servers.set(unit, servers);
    // Loaded with the first sidecar unit: a model of podspec and machine charms never loads the server (nor ws).
    const { startPebble } = await import('./pebble-server.js');
    const socketDir = pebbleSocketDir(this.#options.modelDir, unit);
    for (const container of app.sidecar.containers) {
      const planFile = this.#planFile(unit, container.name);
      mkdirSync(dirname(planFile), { recursive: true });
      const server = await startPebble({
        socketPath: pebbleSocketPath(socketDir, container.name),
        container: container.name,
        rootDir: join(this.#options.unitDir(unit), 'containers', container.name),
        mounts: containerStorageMounts(model, app, unit, container, this.#options.modelDir),
        runWorkloads: this.#options.runWorkloads || app.sidecar.runWorkloads === true,
        log: (line) => this.#options.log(unit, line),
        planFile,
      });
      servers.push(server);
      // A plan kept by an earlier version of the model, as one YAML layer: added once, then kept as the server keeps plans.
      const legacy = join(dirname(planFile), 'plan.yaml');
      if (!existsSync(planFile) && existsSync(legacy)) {
        const layer = readFileSync(legacy, 'utf8');
        if (layer.trim() !== '' && layer.trim() !== '{}') {
          await pebbleCall(server.socketPath, 'POST', '/v1/layers', { action: 'add', combine: false, label: SAVED_PLAN_LABEL, format: 'yaml', layer });
        }
        rmSync(legacy, { force: true });
      }
    }
  }

  /**
   * The notices `unit`'s containers added or repeated since the last call, each once,
   * oldest first per container, as Juju's workload event watcher reads them (3.4: custom
   * notices; 3.6: change-update notices of a check's perform-check change ending in Error
   * and its recover-check change ending Done). Other notices are no event.
   */
  newNotices(unit: string): PebbleNoticeEvent[] {
    const events: PebbleNoticeEvent[] = [];
    for (const server of this.#servers.get(unit) ?? []) {
      const { notices, seen } = server.noticesSince(this.#noticesSeen.get(server) ?? 0);
      this.#noticesSeen.set(server, seen);
      for (const notice of notices) {
        const base = { container: server.container, id: notice.id, type: notice.type, key: notice.key };
        const data = notice['last-data'] ?? {};
        if (notice.type === 'custom') events.push(base);
        else if (notice.type === 'change-update' && data['check-name'] !== undefined && (data.kind === 'perform-check' || data.kind === 'recover-check')) {
          events.push({ ...base, check: { name: data['check-name'], outcome: data.kind === 'perform-check' ? 'failed' : 'recovered' } });
        }
      }
    }
    return events;
  }

  /**
   * Stops every server (services, execs, checks; each has kept its plan as it changed)
   * and removes the socket folders of units that are gone.
   */
  async stop(model: Readonly<ModelRecord>): Promise<void> {
    const failures: unknown[] = [];
    for (const [unit, servers] of this.#servers) {
      const app = model.apps[unit.split('/')[0]!];
      const kept = app?.units.some((u) => u.name === unit) ?? false;
      for (const server of servers) {
        try {
          await server.close();
        } catch (error) {
          failures.push(error);
        }
      }
      if (!kept) rmSync(pebbleSocketDir(this.#options.modelDir, unit), { recursive: true, force: true });
    }
    this.#servers.clear();
    this.#noticesSeen.clear();
    this.#unwatch();
    if (failures.length > 0) throw failures[0];
  }

  #watch(): void {
    process.once('SIGINT', this.#onSignal);
    process.once('SIGTERM', this.#onSignal);
    process.once('exit', this.#onExit);
  }

  #unwatch(): void {
    process.off('SIGINT', this.#onSignal);
    process.off('SIGTERM', this.#onSignal);
    process.off('exit', this.#onExit);
  }

  /** Kills (at once, synchronously) the process groups every running server has recorded. */
  #endWorkloads(): void {
    for (const servers of this.#servers.values()) for (const server of servers) endLeftovers(join(dirname(server.socketPath), PROCESS_RECORD));
  }

  #planFile(unit: string, container: string): string {
    return join(this.#options.unitDir(unit), 'pebble', container, 'plan.json');
  }
}

/** One request to a Pebble socket; the `result` of its sync answer. @throws Error with Pebble's message. */
function pebbleCall(socketPath: string, method: string, path: string, body?: unknown): Promise<unknown> {
  return new Promise((done, fail) => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = request({ socketPath, method, path, headers: payload ? { 'Content-Type': 'application/json', 'Content-Length': payload.length } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        try {
          const answer = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { type?: string; result?: { message?: string } | unknown };
          if (answer.type === 'error') fail(new Error(`Pebble at ${socketPath} refused ${method} ${path}: ${String((answer.result as { message?: string })?.message)}`));
          else done(answer.result);
        } catch (error) {
          fail(error);
        }
      });
    });
    req.on('error', fail);
    req.end(payload);
  });
}
