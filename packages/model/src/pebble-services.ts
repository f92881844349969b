/**
 * Pebble's services (canonical/pebble internals/overlord/servstate/handlers.go and
 * manager.go): each service the plan names moves through Pebble's states (starting,
 * running, terminating, killing, stopped, backoff, exited) and shows as active, inactive,
 * backoff or error. A start runs the command as a real process inside the container's
 * files (workload-sandbox.ts) only when the model runs workloads and the executable
 * exists in the container; otherwise the start task fails
 * with Pebble's text and the service stays inactive, so nothing pretends to run.
 */
import type { ChildProcess } from 'node:child_process';
import { constants as osConstants } from 'node:os';
import { finishTask, taskLog, type PebbleTask } from './pebble-changes.js';
import { formatDuration, serviceTimings } from './pebble-durations.js';
import type { PebbleService } from './pebble-layer-parse.js';
import type { PebbleProcessRecord } from './pebble-leftovers.js';
import { ServiceLogs } from './pebble-service-logs.js';
import { startServiceProcess, type ServiceProcessOptions } from './pebble-service-process.js';
import { signalExitCode, signalGroup } from './workload-sandbox.js';
import type { PebblePlan } from './pebble-plan-merge.js';

type ServiceState = 'initial' | 'starting' | 'running' | 'terminating' | 'killing' | 'stopped' | 'backoff' | 'exited';

/** servstate's okayDelay: a service still running this long after its start has started. */
export const OKAY_DELAY_MS = 1000;
/** servstate's failDelay: how long to wait after SIGKILL before giving up on a process. */
const FAIL_DELAY_MS = 5000;
const LAST_LOG_LINES = 20;

interface ServiceData {
  state: ServiceState;
  config: PebbleService;
  child?: ChildProcess;
  currentSince: Date;
  backoffNum: number;
  backoffMs: number;
  /** The last lines the process wrote (stdout and stderr), for the task log of a failed start. */
  readonly output: string[];
  timers: Set<NodeJS.Timeout>;
  /** Being stopped to be started again (a check failed): its exit leads to backoff, not stopped. */
  restarting?: boolean;
  /** Settled by the okay delay or an early exit while starting. */
  started?: (error?: string) => void;
  /** Settled when a stop ends. */
  stopped?: (error?: string) => void;
}

/** One service as `GET /v1/services` lists it (api_services.go's serviceInfo). */
export interface ServiceInfo {
  readonly name: string;
  readonly startup: 'enabled' | 'disabled';
  readonly current: 'active' | 'inactive' | 'backoff' | 'error';
  readonly 'current-since'?: string;
}

/** How services start (pebble-service-process.ts), and where their groups are recorded. */
export interface ServiceManagerOptions extends ServiceProcessOptions {
  /** Where the process groups it starts are recorded, for the next server to end after a crash. */
  readonly record?: PebbleProcessRecord;
}

/** The services of one Pebble server and their processes. */
export class PebbleServices {
  private readonly services = new Map<string, ServiceData>();
  /** What the services wrote, for `GET /v1/logs`. */
  readonly output = new ServiceLogs();

  constructor(private readonly options: ServiceManagerOptions) {}

  /** Services of `plan` (all, or those named), sorted by name, with their current status. */
  list(plan: PebblePlan, names: readonly string[]): ServiceInfo[] {
    return Object.keys(plan.services)
      .filter((name) => names.length === 0 || names.includes(name))
      .sort()
      .map((name) => {
        const data = this.services.get(name);
        return {
          name,
          startup: plan.services[name]!.startup === 'enabled' ? 'enabled' : 'disabled',
          current: data ? status(data.state) : 'inactive',
          ...(data ? { 'current-since': data.currentSince.toISOString() } : {}),
        };
      });
  }

  /** The pid of a service's running process (for tests and for the model's own stop), if any. */
  pid(name: string): number | undefined {
    return this.services.get(name)?.child?.pid;
  }

  /** Whether a service is starting or running (exec checks and `service-context` do not care). */
  isActive(name: string): boolean {
    const data = this.services.get(name);
    return data !== undefined && status(data.state) === 'active';
  }

  /**
   * servstate's Replan: services whose config changed since they were started are stopped
   * and started again; services with `startup: enabled` are started.
   */
  replan(plan: PebblePlan): { stop: string[]; start: string[] } {
    const stop: string[] = [];
    const restart = new Set<string>();
    for (const [name, data] of this.services) {
      const config = plan.services[name];
      if (config !== undefined && JSON.stringify(config) === JSON.stringify(data.config)) continue;
      if (config !== undefined) data.config = structuredClone(config);
      restart.add(name);
      stop.push(name);
    }
    const start = Object.keys(plan.services).filter((name) => restart.has(name) || plan.services[name]!.startup === 'enabled');
    return { stop, start };
  }

  /** Runs a start task (servstate doStart); resolves when the task is Done or Error. */
  async start(task: PebbleTask, plan: PebblePlan, name: string): Promise<void> {
    task.status = 'Doing';
    const config = plan.services[name];
    if (config === undefined) return finishTask(task, `cannot find service ${JSON.stringify(name)} in plan`);
    let data = this.services.get(name);
    if (data !== undefined) {
      data.config = structuredClone(config);
      if (data.state === 'initial' || data.state === 'starting' || data.state === 'running') {
        taskLog(task, 'INFO', `Service ${JSON.stringify(name)} already started.`);
        return finishTask(task);
      }
      if (data.state === 'terminating' || data.state === 'killing') return finishTask(task, `cannot start service while ${data.state}`);
      this.clearTimers(data);
      data.backoffNum = 0;
      data.backoffMs = 0;
      this.transition(data, 'initial');
    } else {
      data = { state: 'initial', config: structuredClone(config), currentSince: new Date(), backoffNum: 0, backoffMs: 0, output: [], timers: new Set() };
      this.services.set(name, data);
    }
    const startError = this.startProcess(name, data);
    if (startError !== undefined) {
      this.transition(data, 'stopped');
      return finishTask(task, startError);
    }
    this.transition(data, 'starting');
    const outcome = await new Promise<string | undefined>((resolve) => {
      data.started = resolve;
      this.later(data, OKAY_DELAY_MS, () => {
        if (data.state !== 'starting') return;
        this.transition(data, 'running');
        data.started?.();
      });
    });
    data.started = undefined;
    if (outcome !== undefined) {
      if (data.output.length > 0) taskLog(task, 'INFO', `Most recent service output:\n${data.output.map((line) => `    ${line}`).join('\n')}`);
      return finishTask(task, `service start attempt: ${outcome}`);
    }
    finishTask(task);
  }

  /** Runs a stop task (servstate doStop): SIGTERM to the process group, SIGKILL after kill-delay. */
  async stop(task: PebbleTask, name: string): Promise<void> {
    task.status = 'Doing';
    const data = this.services.get(name);
    const quoted = JSON.stringify(name);
    if (data === undefined) {
      taskLog(task, 'INFO', `Service ${quoted} has never been started.`);
      return finishTask(task);
    }
    switch (data.state) {
      case 'terminating':
      case 'killing':
        taskLog(task, 'INFO', `Service ${quoted} already stopping.`);
        return finishTask(task);
      case 'stopped':
        taskLog(task, 'INFO', `Service ${quoted} already stopped.`);
        return finishTask(task);
      case 'exited':
        this.transition(data, 'stopped');
        taskLog(task, 'INFO', `Service ${quoted} had already exited.`);
        return finishTask(task);
      case 'backoff':
        this.clearTimers(data);
        this.transition(data, 'stopped');
        return finishTask(task);
      default:
    }
    const error = await this.terminate(data);
    finishTask(task, error === undefined ? undefined : `cannot stop service: ${error}`);
  }

  /**
   * Sends `signal` to the processes of running services (servstate's SendSignal: the
   * service's process, not its group); returns Pebble's error text, one per refused service.
   */
  sendSignal(names: readonly string[], signal: string): string | undefined {
    const errors: string[] = [];
    for (const name of names) {
      const data = this.services.get(name);
      const quoted = JSON.stringify(name);
      if (data === undefined) {
        errors.push(`cannot send signal to ${quoted}: service is not running`);
      } else if (data.state !== 'starting' && data.state !== 'running') {
        errors.push(`cannot send signal to ${quoted}: ${data.state === 'initial' ? `invalid in state "initial"` : 'service is not running'}`);
      } else if (osConstants.signals[signal as NodeJS.Signals] === undefined) {
        errors.push(`cannot send signal to ${quoted}: invalid signal name ${JSON.stringify(signal)}`);
      } else {
        try {
          process.kill(data.child!.pid!, signal as NodeJS.Signals);
        } catch (error) {
          errors.push(`cannot send signal to ${quoted}: ${(error as Error).message}`);
        }
      }
    }
    return errors.length > 0 ? errors.join('; ') : undefined;
  }

  /**
   * A check went down (servstate's CheckFailed): each running service whose
   * `on-check-failure` names it with `restart` is stopped and started again after its
   * backoff; `ignore` does nothing; `shutdown` and the others leave the service as it is,
   * as the local model shuts no container down.
   */
  checkFailed(check: string): void {
    for (const [name, data] of this.services) {
      const action = data.config['on-check-failure']?.[check];
      if (action !== 'restart' || (data.state !== 'running' && data.state !== 'starting')) continue;
      this.options.log(`Service ${JSON.stringify(name)} on-check-failure action is "restart", terminating process before restarting`);
      data.restarting = true;
      void this.terminate(data);
    }
  }

  /** Stops every process (the server is closing): SIGTERM, then SIGKILL after each kill-delay. */
  async stopAll(): Promise<void> {
    await Promise.all(
      [...this.services.values()].map(async (data) => {
        // Closing wins over a restart in progress: the exit must end in stopped.
        data.restarting = false;
        if (data.state === 'backoff') {
          this.clearTimers(data);
          this.transition(data, 'stopped');
        } else if (data.state === 'starting' || data.state === 'running') {
          this.clearTimers(data);
          await this.terminate(data);
        } else if (data.state === 'terminating' || data.state === 'killing') {
          // Its kill-delay timer is running: wait for the stop under way.
          await this.terminate(data);
        }
        this.clearTimers(data);
      }),
    );
  }

  private terminate(data: ServiceData): Promise<string | undefined> {
    return new Promise((resolve) => {
      const previous = data.stopped;
      data.stopped = (error) => {
        previous?.(error);
        resolve(error);
      };
      if (data.state === 'terminating' || data.state === 'killing') return;
      if (data.state === 'starting') data.started?.(`stopped before the ${OKAY_DELAY_MS / 1000}s okay delay`);
      signalGroup(data.child?.pid, 'SIGTERM');
      this.transition(data, 'terminating');
      this.later(data, serviceTimings(data.config).killDelayMs, () => {
        if (data.state !== 'terminating') return;
        signalGroup(data.child?.pid, 'SIGKILL');
        this.transition(data, 'killing');
        this.later(data, FAIL_DELAY_MS, () => {
          if (data.state !== 'killing') return;
          this.transition(data, 'stopped');
          const stopped = data.stopped;
          data.stopped = undefined;
          stopped?.('process still running after SIGTERM and SIGKILL');
        });
      });
    });
  }

  /** Spawns the service's command; returns Pebble's error text when it cannot. */
  private startProcess(name: string, data: ServiceData): string | undefined {
    const child = startServiceProcess(name, data.config, this.options);
    if (typeof child === 'string') return child;
    data.child = child;
    if (child.pid !== undefined) this.options.record?.add(child.pid);
    data.output.length = 0;
    const keep = (chunk: Buffer): void => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line === '') continue;
        data.output.push(line);
        if (data.output.length > LAST_LOG_LINES) data.output.shift();
        this.output.add({ time: new Date(), service: name, message: line });
      }
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    child.on('error', (error) => this.options.log(`Service ${JSON.stringify(name)}: ${error.message}`));
    child.on('exit', (code, signal) => {
      if (child.pid !== undefined) this.options.record?.remove(child.pid);
      if (data.child !== child) return;
      this.exited(name, data, code ?? (signal ? signalExitCode(signal) : 128));
    });
    return undefined;
  }

  // servstate's exited(): what an exit means depends on the state the service was in.
  private exited(name: string, data: ServiceData, exitCode: number): void {
    const quoted = JSON.stringify(name);
    switch (data.state) {
      case 'starting':
      case 'running': {
        const { action, onType } = exitAction(data.config, exitCode === 0);
        if (data.state === 'starting') data.started?.(`exited quickly with code ${exitCode}, will ${action}`);
        this.options.log(`Service ${quoted} stopped unexpectedly with code ${exitCode}`);
        if (action === 'restart') {
          this.backoff(name, data, `${onType} action is "restart"`);
        } else if (action === 'ignore' && exitCode === 0) {
          this.transition(data, 'stopped');
        } else {
          // ignore on failure, and the shutdown actions: the local model shuts no container down.
          this.transition(data, 'exited');
        }
        break;
      }
      case 'terminating':
      case 'killing': {
        this.clearTimers(data);
        if (data.restarting) {
          // A restart after a check failure: the service backs off and starts again.
          data.restarting = false;
          const restarted = data.stopped;
          data.stopped = undefined;
          this.backoff(name, data, 'exited after check failure, restarting;');
          restarted?.();
          break;
        }
        this.transition(data, 'stopped');
        const stopped = data.stopped;
        data.stopped = undefined;
        stopped?.();
        break;
      }
      default:
    }
  }

  // servstate's doBackoff: wait backoff-delay (times backoff-factor each time, up to backoff-limit), then start again.
  private backoff(name: string, data: ServiceData, why: string): void {
    const quoted = JSON.stringify(name);
    const timings = serviceTimings(data.config);
    data.backoffNum++;
    data.backoffMs = data.backoffMs === 0 ? timings.backoffDelayMs : Math.min(data.backoffMs * timings.backoffFactor, timings.backoffLimitMs);
    this.options.log(`Service ${quoted} ${why} waiting ~${formatDuration(data.backoffMs)} before restart (backoff ${data.backoffNum})`);
    this.transition(data, 'backoff');
    this.later(data, data.backoffMs, () => {
      if (data.state !== 'backoff') return;
      const error = this.startProcess(name, data);
      if (error !== undefined) {
        this.options.log(`Service ${quoted}: ${error}`);
        this.transition(data, 'exited');
      } else {
        this.transition(data, 'running');
      }
    });
  }

  private transition(data: ServiceData, state: ServiceState): void {
    if (status(data.state) !== status(state)) data.currentSince = new Date();
    data.state = state;
  }

  private later(data: ServiceData, ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      data.timers.delete(timer);
      run();
    }, ms);
    data.timers.add(timer);
  }

  private clearTimers(data: ServiceData): void {
    for (const timer of data.timers) clearTimeout(timer);
    data.timers.clear();
  }
}

function status(state: ServiceState): ServiceInfo['current'] {
  if (state === 'starting' || state === 'running') return 'active';
  if (state === 'terminating' || state === 'killing' || state === 'stopped') return 'inactive';
  if (state === 'backoff') return 'backoff';
  return 'error';
}

function exitAction(config: PebbleService, success: boolean): { action: string; onType: string } {
  const action = (success ? config['on-success'] : config['on-failure']) || 'restart';
  return { action, onType: success ? 'on-success' : 'on-failure' };
}
