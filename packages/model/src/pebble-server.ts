/**
 * The local model's Pebble: one HTTP server on a unix socket per container of a unit of a
 * sidecar charm, speaking Pebble's REST API (canonical/pebble internals/daemon/api*.go)
 * with its response envelope `{type, status-code, status, result, change?}`, so that the
 * charm's Pebble client works unchanged. This file is the server itself: its parts wired
 * together, listening, closing. The answers of each API area are pebble-routes-*.ts's, the
 * envelope and routing pebble-http.ts's, the socket paths pebble-sockets.ts's.
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
import { chmodSync, existsSync, lstatSync, mkdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { dirname, join } from 'node:path';
import { ContainerFilesystem, systemFolders, type ContainerMount } from './container-filesystem.js';
import { ModelError } from './model-errors.js';
import { PebbleChanges } from './pebble-changes.js';
import { PebbleChecks } from './pebble-checks.js';
import { PebbleExec } from './pebble-exec.js';
import { ContainerFiles } from './pebble-files.js';
import { PebbleRouter, serveRequest } from './pebble-http.js';
import { endLeftovers, PebbleProcessRecord, PROCESS_RECORD } from './pebble-leftovers.js';
import { PebbleNotices, type NoticeInfo } from './pebble-notices.js';
import { EMPTY_PLAN, type PebblePlan } from './pebble-plan-merge.js';
import { loadPlanFile, savePlanFile } from './pebble-plan-file.js';
import { changeRoutes } from './pebble-routes-changes.js';
import { checkRoutes } from './pebble-routes-checks.js';
import { execRoutes, execUpgrade } from './pebble-routes-exec.js';
import { fileRoutes } from './pebble-routes-files.js';
import { logRoutes } from './pebble-routes-logs.js';
import { noticeRoutes } from './pebble-routes-notices.js';
import { planRoutes } from './pebble-routes-plan.js';
import { serviceRoutes } from './pebble-routes-services.js';
import { PebbleServices } from './pebble-services.js';
import { answers } from './pebble-sockets.js';
import { sandboxProblem } from './workload-sandbox.js';


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
  /**
   * The notices added or repeated since the server's repeat count was `seen` (0 at first),
   * oldest first, and the count to pass next time: custom notices, and the change-update
   * notices of checks' changes that ended — what the model turns into
   * `<container>-pebble-custom-notice` and `-pebble-check-failed`/`-recovered` hooks.
   */
  noticesSince(seen: number): { notices: NoticeInfo[]; seen: number };
  /** Stops services (SIGTERM, SIGKILL after their kill-delay), execs and checks, and removes the socket. */
  close(): Promise<void>;
}

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
  private readonly services: PebbleServices;
  private readonly checks: PebbleChecks;
  private readonly exec: PebbleExec;
  private readonly http: Server;
  private readonly pending = new Set<Promise<void>>();
  private readonly record: PebbleProcessRecord;
  private readonly notices = new PebbleNotices();
  private plan: PebblePlan = EMPTY_PLAN;
  private closed = false;

  constructor(
    options: PebbleServerOptions,
    private readonly log: (line: string) => void,
  ) {
    this.socketPath = options.socketPath;
    this.container = options.container;
    const system = systemFolders();
    const container = new ContainerFilesystem(options.rootDir, [...system.mounts, ...(options.mounts ?? [])], system.links);
    const changes = new PebbleChanges();
    this.record = new PebbleProcessRecord(join(dirname(options.socketPath), PROCESS_RECORD));
    const shared = { runWorkloads: options.runWorkloads, container, log, record: this.record };
    this.services = new PebbleServices(shared);
    this.checks = new PebbleChecks({
      ...shared,
      newChangeId: (name, kind, change) => changes.newChange(change, `${change === 'perform-check' ? 'Perform' : 'Recover'} ${kind} check ${JSON.stringify(name)}`, []).id,
      onDown: (name) => this.services.checkFailed(name),
      // Pebble records a change-update notice as a change's status changes (state/change.go); Juju 3.6 reads these.
      onChangeEnded: (name, change) => this.notices.add('change-update', change.id, { data: { kind: change.kind, 'check-name': name } }),
    });
    this.exec = new PebbleExec({ ...shared, changes });
    const kept = options.planFile === undefined ? undefined : loadPlanFile(options.planFile);
    if (kept !== undefined) {
      this.plan = kept;
      this.checks.planChanged(kept);
    }
    const plan = (): PebblePlan => this.plan;
    const router = new PebbleRouter([
      planRoutes({
        plan,
        setPlan: (next) => {
          this.plan = next;
          if (options.planFile !== undefined) savePlanFile(options.planFile, next);
        },
        checks: this.checks,
      }),
      changeRoutes(changes),
      serviceRoutes({
        plan,
        services: this.services,
        checks: this.checks,
        changes,
        closing: () => this.closed,
        track: (work) => {
          const run = work.finally(() => this.pending.delete(run));
          this.pending.add(run);
        },
      }),
      fileRoutes(new ContainerFiles(container)),
      execRoutes({ plan, exec: this.exec }),
      logRoutes({ plan, logs: this.services.output }),
      checkRoutes({ plan, checks: this.checks }),
      noticeRoutes(this.notices),
    ]);
    this.http = createServer((request, response) => void serveRequest(router, request, response));
    this.http.on('upgrade', execUpgrade(this.exec));
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

  noticesSince(seen: number): { notices: NoticeInfo[]; seen: number } {
    return this.notices.repeatedSince(seen);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.checks.close();
    this.notices.close();
    await Promise.all([this.services.stopAll(), this.exec.close()]);
    await Promise.allSettled([...this.pending]);
    await new Promise<void>((resolve) => {
      this.http.close(() => resolve());
      this.http.closeAllConnections();
    });
    rmSync(this.socketPath, { force: true });
    this.record.clear();
  }
}
