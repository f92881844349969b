/**
 * Pebble's health checks (canonical/pebble internals/overlord/checkstate/manager.go and
 * checkers.go, shown by internals/daemon/api_checks.go): the plan's http, tcp and exec
 * checks; those with startup enabled or unset start as soon as a layer adds them (and on
 * a replan if stopped), the others with `POST /v1/checks`; `inactive` until started,
 * then `up` until `threshold` consecutive failures make them
 * `down`. They run every `period` while the server runs. http and tcp checks probe from
 * this machine whether or not the model runs workloads (with none, nothing of the
 * workload answers, and they fail as Pebble's would against a service that is not
 * running); an exec check runs inside the container only with workloads, and otherwise
 * each run fails saying it was not run. No check reports `up` for a probe it never made.
 */
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { posix } from 'node:path';
import type { ContainerFilesystem } from './container-filesystem.js';
import { shellSplit } from './pebble-command.js';
import { DEFAULT_CHECK_PERIOD_MS, DEFAULT_CHECK_THRESHOLD, DEFAULT_CHECK_TIMEOUT_MS, parseDuration } from './pebble-durations.js';
import { workloadBaseEnvironment } from './pebble-environment.js';
import type { PebbleCheck } from './pebble-layer-parse.js';
import type { PebbleProcessRecord } from './pebble-leftovers.js';
import type { PebblePlan } from './pebble-plan-merge.js';
import { signalGroup, spawnWorkload } from './workload-sandbox.js';

interface CheckState {
  started: boolean;
  successes: number;
  failures: number;
  lastError?: string;
  timer?: NodeJS.Timeout;
  /** A pseudo change id: Pebble's checks run inside a perform-check change. */
  changeId?: string;
}

export interface CheckInfo {
  readonly name: string;
  readonly level?: string;
  readonly startup: string;
  readonly status: 'up' | 'down' | 'inactive';
  readonly successes: number;
  readonly failures?: number;
  readonly threshold: number;
  readonly 'change-id'?: string;
}

export interface CheckOptions {
  readonly runWorkloads: boolean;
  /** The container's files: an exec check runs inside them (workload-sandbox.ts). */
  readonly container: ContainerFilesystem;
  /** Where an exec check's process group is recorded while it runs, for the next server to end after a crash. */
  readonly record?: PebbleProcessRecord;
  readonly log: (line: string) => void;
  /**
   * A change for a check: Pebble runs a check inside a `perform-check` change while it is
   * up, and inside a `recover-check` change while it is down (checkstate/handlers.go).
   * `kind` is HTTP, TCP or exec.
   */
  readonly newChangeId: (name: string, kind: string, change: 'perform-check' | 'recover-check') => string;
  /** Called once when a check goes down (for the services' `on-check-failure`). */
  readonly onDown?: (name: string) => void;
  /**
   * A check's change ended: its perform-check change in Error as it went down, or its
   * recover-check change Done as it came up (what Juju 3.6 turns into check hooks).
   */
  readonly onChangeEnded?: (name: string, change: { id: string; kind: 'perform-check' | 'recover-check' }) => void;
}

/** The checks of one Pebble server. */
export class PebbleChecks {
  private readonly states = new Map<string, CheckState>();
  private plan: PebblePlan = { layers: [], services: {}, checks: {}, 'log-targets': {} };

  constructor(private readonly options: CheckOptions) {}

  /**
   * A new plan (checkstate's PlanChanged): checks gone from it are stopped and forgotten;
   * new checks whose startup is enabled or unset start at once; a running check whose
   * config changed starts again from zero (unless only its startup became disabled).
   */
  planChanged(plan: PebblePlan): void {
    const previous = this.plan;
    this.plan = plan;
    const restart: string[] = [];
    for (const [name, state] of this.states) {
      const config = plan.checks[name];
      if (config === undefined) {
        clearTimeout(state.timer);
        this.states.delete(name);
        continue;
      }
      const old = previous.checks[name];
      if (!state.started || JSON.stringify(old) === JSON.stringify(config)) continue;
      if (config.startup === 'disabled' && old?.startup !== 'disabled') continue;
      clearTimeout(state.timer);
      state.started = false;
      restart.push(name);
    }
    // As PlanChanged counts only running checks as existing, a stopped one starts again too.
    const fresh = Object.keys(plan.checks).filter((name) => !restart.includes(name) && !this.states.get(name)?.started && plan.checks[name]!.startup !== 'disabled');
    this.start([...restart, ...fresh]);
  }

  /** checkstate's Replan: starts the checks whose startup is enabled or unset and that are not running. */
  replan(): void {
    this.start(Object.keys(this.plan.checks).filter((name) => this.plan.checks[name]!.startup !== 'disabled'));
  }

  /**
   * Starts checks by name; returns the ones that were not running.
   * @throws Error with Pebble's ChecksNotFound text for unknown names.
   */
  start(names: readonly string[]): string[] {
    this.requireKnown(names);
    const changed: string[] = [];
    for (const name of names) {
      const state = this.state(name);
      if (state.started) continue;
      state.started = true;
      state.successes = 0;
      state.failures = 0;
      const config = this.plan.checks[name]!;
      state.changeId = this.options.newChangeId(name, checkKind(config), 'perform-check');
      changed.push(name);
      this.schedule(name, state);
    }
    return changed.sort();
  }

  /** Stops checks by name; returns the ones that were running. */
  stop(names: readonly string[]): string[] {
    this.requireKnown(names);
    const changed: string[] = [];
    for (const name of names) {
      const state = this.state(name);
      if (!state.started) continue;
      clearTimeout(state.timer);
      state.started = false;
      state.changeId = undefined;
      changed.push(name);
    }
    return changed.sort();
  }

  /** Every check of the plan as `GET /v1/checks` shows it, sorted by name. */
  list(): CheckInfo[] {
    return Object.keys(this.plan.checks)
      .sort()
      .map((name) => {
        const config = this.plan.checks[name]!;
        const state = this.states.get(name);
        const threshold = config.threshold ?? DEFAULT_CHECK_THRESHOLD;
        const status = !state?.started ? 'inactive' : state.failures >= threshold ? 'down' : 'up';
        return {
          name,
          ...(config.level ? { level: config.level } : {}),
          startup: config.startup ?? 'enabled',
          status,
          successes: state?.successes ?? 0,
          ...(state && state.failures > 0 ? { failures: state.failures } : {}),
          threshold,
          ...(state?.changeId ? { 'change-id': state.changeId } : {}),
        };
      });
  }

  close(): void {
    for (const state of this.states.values()) clearTimeout(state.timer);
  }

  private requireKnown(names: readonly string[]): void {
    const missing = names.filter((name) => this.plan.checks[name] === undefined);
    if (missing.length > 0) throw new ChecksNotFound(missing);
  }

  private state(name: string): CheckState {
    let state = this.states.get(name);
    if (state === undefined) {
      state = { started: false, successes: 0, failures: 0 };
      this.states.set(name, state);
    }
    return state;
  }

  private schedule(name: string, state: CheckState): void {
    const config = this.plan.checks[name];
    if (config === undefined || !state.started) return;
    const period = config.period ? parseDuration(config.period) ?? DEFAULT_CHECK_PERIOD_MS : DEFAULT_CHECK_PERIOD_MS;
    state.timer = setTimeout(() => {
      void this.runOnce(name, config).then((error) => {
        if (!state.started || this.states.get(name) !== state) return;
        this.count(name, state, config, error);
        this.schedule(name, state);
      });
    }, period);
    state.timer.unref();
  }

  private count(name: string, state: CheckState, config: PebbleCheck, error: string | undefined): void {
    const threshold = config.threshold ?? DEFAULT_CHECK_THRESHOLD;
    if (error === undefined) {
      const wasDown = state.failures >= threshold;
      state.successes++;
      state.failures = 0;
      // Up again: the recover-check change is done and a new perform-check change runs the check.
      if (wasDown) this.switchChange(name, state, config, 'recover-check', 'perform-check');
    } else {
      state.failures++;
      if (state.lastError !== error) this.options.log(`Check ${JSON.stringify(name)} failure ${state.failures}: ${error}`);
      // checkstate: the services are told once, when the check goes down; its perform-check change ends in Error.
      if (state.failures === threshold) {
        this.options.onDown?.(name);
        this.switchChange(name, state, config, 'perform-check', 'recover-check');
      }
    }
    state.lastError = error;
  }

  private switchChange(name: string, state: CheckState, config: PebbleCheck, ended: 'perform-check' | 'recover-check', next: 'perform-check' | 'recover-check'): void {
    if (state.changeId !== undefined) this.options.onChangeEnded?.(name, { id: state.changeId, kind: ended });
    state.changeId = this.options.newChangeId(name, checkKind(config), next);
  }

  /**
   * `POST /v1/checks/refresh`: runs a check now and counts the result (api_checks.go,
   * checkstate's RefreshCheck). Without runWorkloads an exec check is not run and the error says so.
   * @throws ChecksNotFound for a name the plan lacks.
   */
  async refresh(name: string): Promise<{ info: CheckInfo; error?: string }> {
    this.requireKnown([name]);
    const config = this.plan.checks[name]!;
    const state = this.state(name);
    const error = await this.runOnce(name, config);
    if (this.states.get(name) === state) this.count(name, state, config, error);
    const info = this.list().find((check) => check.name === name)!;
    return { info, ...(error !== undefined ? { error } : {}) };
  }

  /** One run of a check (checkers.go); resolves to an error text, or undefined when it passed. */
  private runOnce(name: string, config: PebbleCheck): Promise<string | undefined> {
    const period = config.period ? parseDuration(config.period) ?? DEFAULT_CHECK_PERIOD_MS : DEFAULT_CHECK_PERIOD_MS;
    const timeoutMs = Math.min(config.timeout ? parseDuration(config.timeout) ?? DEFAULT_CHECK_TIMEOUT_MS : DEFAULT_CHECK_TIMEOUT_MS, period);
    if (config.http?.url) return httpCheck(config.http.url, config.http.headers ?? {}, timeoutMs);
    if (config.tcp?.port) return tcpCheck(config.tcp.host || 'localhost', config.tcp.port, timeoutMs);
    if (config.exec?.command && !this.options.runWorkloads) {
      return Promise.resolve(`the local model runs no workloads, so exec check ${JSON.stringify(name)} was not run (deploy with --run-workloads to run it in its container)`);
    }
    if (config.exec?.command) return this.execCheck(config.exec, timeoutMs);
    return Promise.resolve(`check ${JSON.stringify(name)} has nothing to run`);
  }

  private execCheck(exec: NonNullable<PebbleCheck['exec']>, timeoutMs: number): Promise<string | undefined> {
    let words: string[];
    try {
      words = shellSplit(exec.command ?? '');
    } catch (error) {
      return Promise.resolve(`cannot parse command: ${(error as Error).message}`);
    }
    const context = exec['service-context'] ? this.plan.services[exec['service-context']] : undefined;
    const environment = { ...workloadBaseEnvironment(), ...(context?.environment ?? {}), ...(exec.environment ?? {}) };
    const workingDir = posix.resolve('/', exec['working-dir'] || context?.['working-dir'] || '/');
    const executable = this.options.container.findExecutable(words[0]!, environment.PATH ?? '', workingDir);
    if (typeof executable !== 'string') return Promise.resolve(executable.error);
    if (!existsSync(this.options.container.resolve(workingDir).host)) return Promise.resolve(`chdir ${workingDir}: no such file or directory`);
    return new Promise((resolve) => {
      const child = spawnWorkload(this.options.container, { command: [executable, ...words.slice(1)], workingDir, environment, stdin: 'ignore' });
      if (child.pid !== undefined) this.options.record?.add(child.pid);
      let output = '';
      const keep = (chunk: Buffer): void => {
        output = (output + chunk.toString('utf8')).slice(-1024);
      };
      child.stdout.on('data', keep);
      child.stderr.on('data', keep);
      const timer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), timeoutMs);
      child.on('error', (error) => {
        clearTimeout(timer);
        resolve(error.message);
      });
      child.on('exit', () => {
        if (child.pid !== undefined) this.options.record?.remove(child.pid);
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve(code === 0 ? undefined : `exit status ${code ?? -1}${output.trim() ? `: ${output.trim().split('\n').at(-1)}` : ''}`);
      });
    });
  }
}

function checkKind(config: PebbleCheck): string {
  return config.http ? 'HTTP' : config.tcp ? 'TCP' : 'exec';
}

/** checkstate's ChecksNotFound. */
export class ChecksNotFound extends Error {
  constructor(readonly names: readonly string[]) {
    super(`cannot find checks in plan: ${[...names].sort().join(', ')}`);
    this.name = 'ChecksNotFound';
  }
}

async function httpCheck(url: string, headers: Record<string, string>, timeoutMs: number): Promise<string | undefined> {
  try {
    const response = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return response.status >= 200 && response.status <= 299 ? undefined : `non-2xx status code ${response.status}`;
  } catch (error) {
    return (error as Error).message;
  }
}

function tcpCheck(host: string, port: number, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    socket.once('connect', () => {
      socket.destroy();
      resolve(undefined);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(`dial tcp ${host}:${port}: i/o timeout`);
    });
    socket.once('error', (error) => resolve(`dial tcp ${host}:${port}: ${(error as NodeJS.ErrnoException).code === 'ECONNREFUSED' ? 'connect: connection refused' : error.message}`));
  });
}
