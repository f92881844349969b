import { spawn } from 'node:child_process';
import { appendFileSync, chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { endpoints, loadConfigYaml, loadMetadata, type CharmConfigYaml, type CharmMetadata } from '@charms/manifest';
import lockfile from 'proper-lockfile';
import { unpackCharm } from './charm-source.js';
import { checkConfig } from './config-values.js';
import { runHookTool, type ToolContext } from './hook-tool-server.js';
import { renderManifests } from './manifests.js';
import { ModelError } from './model-errors.js';
import { emptyModel, noChanges, type AppRecord, type HookEvent, type ModelRecord, type RelationRecord, type UnitRecord } from './model-state.js';
import { ShimServer, writeShims } from './shim-server.js';
import { modelStatus, relationStatus, type RelationStatus, type StatusJson } from './status.js';

/** One line of `charms log`: what the charm logged (juju-log, stdout, stderr). */
export interface LogEntry {
  readonly time: string;
  readonly unit: string;
  readonly hook: string;
  readonly level: string;
  readonly message: string;
}

/** One entry of the timeline: hooks, tool calls, commits and discards. */
export interface TimelineEntry {
  readonly time: string;
  readonly unit: string;
  readonly hook: string;
  readonly kind: 'hook-start' | 'tool' | 'commit' | 'discard';
  /** On hook-start: the file of the hook's trace (for charms explain), relative to the model. */
  readonly trace?: string;
  readonly tool?: string;
  readonly argv?: readonly string[];
  readonly exitCode?: number;
  /** Real milliseconds (not the virtual clock). */
  readonly ms?: number;
}

/** The result of one hook, for progress output. */
export interface HookReport {
  readonly unit: string;
  readonly hook: string;
  readonly ok: boolean;
  readonly ms: number;
}

export interface ModelOptions {
  /** The model directory (created if missing). */
  readonly dir: string;
  /** Told after every hook. */
  readonly onHook?: (report: HookReport) => void;
  /** A seed to run units in a reproducible shuffled order; without it, round-robin. */
  readonly seed?: number;
  /** Extra environment for every hook process (NODE_OPTIONS for profiling, say); never secrets. */
  readonly hookEnv?: Readonly<Record<string, string>>;
}

export interface DeployOptions {
  readonly app?: string;
  /** Config values (strings are read as the option's type). */
  readonly config?: Readonly<Record<string, unknown>>;
  /** oci-image resources: name → image, or { image, username, password }. */
  readonly resources?: Readonly<Record<string, string | { image: string; username?: string; password?: string }>>;
  readonly units?: number;
}

const UPDATE_STATUS_INTERVAL = 5 * 60 * 1000;
const MAX_HOOKS_PER_SETTLE = 2000;
const MODEL_NAME = 'local';
const INSTALLING = 'installing agent';
// What the model sets for every hook, which ModelOptions.hookEnv may not replace or add to.
const MODEL_VARIABLES = /^(JUJU_.*|CHARM_DIR|CHARMS_TOOL_.*|CHARMS_TRACE_FILE|PATH|HOME|LANG)$/;

/**
 * A Juju model on this machine. It keeps its state in a directory, runs each hook of a
 * charm as a real child process through the charm's `dispatch`, with Juju's environment
 * and the hook-tool shims on PATH, applies transactional tool effects only when the hook
 * exits 0, and puts a unit whose hook failed into `error` until it is resolved.
 *
 * Every operation holds the model's lock, so two commands never interleave.
 */
export class LocalModel {
  readonly dir: string;
  readonly #options: ModelOptions;
  #state: ModelRecord = emptyModel();
  readonly #contexts = new Map<string, ToolContext>();
  #shims: ShimServer | undefined;
  #random: () => number;

  private constructor(options: ModelOptions) {
    this.dir = resolve(options.dir);
    this.#options = options;
    // A 32-bit linear congruential generator: exact integer steps, any number as the seed.
    let seed = (options.seed ?? 0) >>> 0;
    this.#random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  }

  /** Opens (or creates) the model in `options.dir`. */
  static async open(options: ModelOptions): Promise<LocalModel> {
    const owned = Object.keys(options.hookEnv ?? {}).filter((name) => MODEL_VARIABLES.test(name));
    if (owned.length > 0) {
      throw new ModelError('INVALID_OPTION', `hookEnv cannot set ${owned.join(', ')}: the model sets Juju's variables and its own for every hook`);
    }
    const model = new LocalModel(options);
    mkdirSync(model.dir, { recursive: true });
    // Tool calls pass their arguments and answers (secrets among them) through files here.
    mkdirSync(model.#file('run'), { recursive: true, mode: 0o700 });
    chmodSync(model.#file('run'), 0o700);
    writeShims(join(model.dir, 'run', 'bin'));
    if (!existsSync(model.#file('model.json'))) model.#save();
    model.#load();
    return model;
  }

  // ---- operations -----------------------------------------------------------------

  /**
   * Deploys a built charm (a directory written by `charms build`, or a `.charm`) and runs
   * each unit's setup hooks: install, leader-elected (leader) or leader-settings-changed,
   * config-changed, start.
   * @throws ModelError when the app exists, the charm is invalid, or config/resources are wrong.
   */
  async deploy(source: string, options: DeployOptions = {}): Promise<HookReport[]> {
    return this.#operation(async () => {
      const staging = mkdtempSync(join(this.dir, '.staging-'));
      try {
        const { charmDir, metadata } = await stageCharm(source, staging);
        const name = options.app ?? metadata.name;
        if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new ModelError('INVALID_CHARM', `invalid application name "${name}"`);
        if (this.#state.apps[name]) throw new ModelError('ALREADY_EXISTS', `application "${name}" already exists: use charms upgrade, or remove it first`);
        const config = checkConfig(loadConfigYaml(charmDir), options.config ?? {});
        const resources = checkResources(metadata, options.resources ?? {});

        const target = join('charms', name);
        rmSync(this.#file(target), { recursive: true, force: true });
        mkdirSync(dirname(this.#file(target)), { recursive: true });
        renameSync(charmDir, this.#file(target));
        const app: AppRecord = {
          name,
          charm: metadata.name,
          charmDir: target,
          revision: 1,
          config,
          resources,
          units: [],
          nextUnit: 0,
          leaderSettings: {},
        };
        this.#state.apps[name] = app;
        // Juju makes each peer relation with the application, before any unit exists.
        for (const peer of endpoints(metadata).filter((e) => e.role === 'peers')) this.#peerRelation(name, peer);
        for (let i = 0; i < (options.units ?? 1); i += 1) this.#addUnit(app);
        this.#save();
      } finally {
        rmSync(staging, { recursive: true, force: true });
      }
    });
  }

  /**
   * Changes config as `juju config` does: every value checked against config.yaml first
   * (nothing changes on error), then config-changed on every unit.
   */
  async setConfig(app: string, values: Readonly<Record<string, unknown>>, reset: readonly string[] = []): Promise<HookReport[]> {
    return this.#operation(async () => {
      const record = this.#app(app);
      const typed = checkConfig(this.#configYaml(record), values, reset);
      for (const name of reset) delete record.config[name];
      Object.assign(record.config, typed);
      for (const unit of record.units) unit.queue.push({ hook: 'config-changed' });
    });
  }

  /** The effective config of an application: set values over config.yaml defaults. */
  config(app: string): Record<string, unknown> {
    this.#load();
    const record = this.#app(app);
    const options = this.#configYaml(record)?.options ?? {};
    return Object.fromEntries(Object.keys(options).sort().map((name) => [name, Object.hasOwn(record.config, name) ? record.config[name] : (options[name]!.default ?? null)]));
  }

  /** A new revision of an oci-image resource; Juju then runs upgrade-charm and config-changed. */
  async attachResource(app: string, name: string, image: string | { image: string; username?: string; password?: string }): Promise<HookReport[]> {
    return this.#operation(async () => {
      const record = this.#app(app);
      const [resource] = Object.values(checkResources(this.#metadata(record), { [name]: image }));
      record.resources[name] = { ...resource!, revision: (record.resources[name]?.revision ?? 0) + 1 };
      for (const unit of record.units) unit.queue.push({ hook: 'upgrade-charm' }, { hook: 'config-changed' });
    });
  }

  /** Replaces the charm with a new build, keeping each unit's state; runs upgrade-charm and config-changed. */
  async upgrade(app: string, source: string): Promise<HookReport[]> {
    return this.#operation(async () => {
      const record = this.#app(app);
      const staging = mkdtempSync(join(this.dir, '.staging-'));
      let metadata: CharmMetadata;
      try {
        // Every check before the first change, as for deploy.
        const staged = await stageCharm(source, staging);
        const charmDir = staged.charmDir;
        metadata = staged.metadata;
        if (metadata.name !== record.charm) {
          throw new ModelError('INVALID_CHARM', `${source} is the charm "${metadata.name}", not "${record.charm}": an application upgrades to a new revision of its own charm`);
        }
        // Juju refuses a revision that drops an endpoint in use; a peer relation just goes.
        const kept = new Set(endpoints(metadata).map((e) => e.name));
        const broken = this.#state.relations.filter((r) => r.ends[0].role !== 'peers' && r.ends.some((e) => e.app === app && !kept.has(e.endpoint)));
        if (broken.length > 0) {
          const names = broken.map((r) => r.ends.map((e) => `${e.app}:${e.endpoint}`).join(' '));
          throw new ModelError('INVALID_CHARM', `${source} has no endpoint for relations in use (${names.join(', ')}): remove them first (charms unrelate)`);
        }
        this.#state.relations = this.#state.relations.filter((r) => !(r.ends[0].role === 'peers' && r.ends[0].app === app && !kept.has(r.ends[0].endpoint)));
        // Juju keeps the settings of options the new revision still has, and drops the others.
        const configYaml = loadConfigYaml(charmDir);
        const settings = Object.fromEntries(Object.entries(record.config).filter(([name]) => Object.hasOwn(configYaml?.options ?? {}, name)));
        record.config = checkConfig(configYaml, settings);
        rmSync(this.#file(record.charmDir), { recursive: true, force: true });
        renameSync(charmDir, this.#file(record.charmDir));
      } finally {
        rmSync(staging, { recursive: true, force: true });
      }
      record.revision += 1;
      for (const unit of record.units) {
        this.#copyCharm(record, unit);
        unit.queue.push({ hook: 'upgrade-charm' }, { hook: 'config-changed' });
      }
      // A peer endpoint new in this revision gets its relation, as at deploy.
      for (const peer of endpoints(metadata).filter((e) => e.role === 'peers')) {
        if (this.#state.relations.some((r) => r.ends.some((e) => e.app === app && e.endpoint === peer.name))) continue;
        const relation = this.#peerRelation(app, peer);
        for (const unit of record.units) {
          unit.queue.push({ hook: `${peer.name}-relation-created`, relationId: relation.id, remoteApp: app });
          this.#joinRemoteUnits(relation, app, unit);
        }
      }
    });
  }

  /** Relates two endpoints (`app:endpoint`, or `app` when only one endpoint fits), with both sides' hooks. */
  async relate(a: string, b: string): Promise<HookReport[]> {
    return this.#operation(async () => {
      const [left, right] = this.#matchEndpoints(a, b);
      if (this.#state.relations.some((r) => sameRelation(r, left, right))) {
        throw new ModelError('ALREADY_EXISTS', `relation ${left.app}:${left.endpoint} ${right.app}:${right.endpoint} already exists`);
      }
      const relation: RelationRecord = { id: this.#state.nextRelationId++, interface: left.interface, ends: [left.end, right.end], data: {}, joined: {} };
      this.#state.relations.push(relation);
      for (const end of relation.ends) {
        for (const unit of this.#state.apps[end.app]!.units) unit.queue.push({ hook: `${end.endpoint}-relation-created`, relationId: relation.id, remoteApp: otherEnd(relation, end.app).app });
      }
      for (const end of relation.ends) {
        for (const unit of this.#state.apps[end.app]!.units) this.#joinRemoteUnits(relation, end.app, unit);
      }
    });
  }

  /** Removes a relation: departed for every remote unit, then broken, on both sides. */
  async unrelate(a: string, b: string): Promise<HookReport[]> {
    return this.#operation(async () => {
      const [left, right] = this.#matchEndpoints(a, b);
      const relation = this.#state.relations.find((r) => sameRelation(r, left, right));
      if (!relation) throw new ModelError('NOT_FOUND', `no relation between ${a} and ${b}`);
      for (const end of relation.ends) {
        for (const unit of this.#state.apps[end.app]!.units) {
          for (const remote of relation.joined[unit.name] ?? []) {
            unit.queue.push({ hook: `${end.endpoint}-relation-departed`, relationId: relation.id, remoteUnit: remote, remoteApp: remote.split('/')[0], departingUnit: remote });
          }
          unit.queue.push({ hook: `${end.endpoint}-relation-broken`, relationId: relation.id, remoteApp: otherEnd(relation, end.app).app });
        }
      }
      // The relation goes once its last hook ran (see #afterHook).
      relation.dying = true;
    });
  }

  /** Runs one hook on a unit (`update-status`, say) and whatever follows from it. */
  async run(unit: string, hook: string): Promise<HookReport[]> {
    return this.#operation(async () => {
      this.#unit(unit).queue.push({ hook });
    });
  }

  /** Moves the virtual clock on; update-status runs on every unit for each 5 minutes passed. */
  async tick(ms: number): Promise<HookReport[]> {
    return this.#operation(async () => {
      const before = Math.floor(this.#state.clock / UPDATE_STATUS_INTERVAL);
      this.#state.clock += ms;
      const after = Math.floor(this.#state.clock / UPDATE_STATUS_INTERVAL);
      for (let i = before; i < after; i += 1) {
        for (const app of Object.values(this.#state.apps)) for (const unit of app.units) unit.queue.push({ hook: 'update-status' });
      }
    });
  }

  /** Retries a unit's failed hook (or, with `retry: false`, skips it), then carries on. */
  async resolve(unit: string, options: { retry?: boolean } = {}): Promise<HookReport[]> {
    return this.#operation(async () => {
      const record = this.#unit(unit);
      if (record.agent.status !== 'error') throw new ModelError('NOT_IN_ERROR', `unit ${unit} is not in error: there is nothing to resolve`);
      if (options.retry === false) {
        const skipped = record.queue.shift();
        // Juju removes the unit even when its remove hook is skipped.
        if (skipped) this.#afterHook(this.#app(unit.split('/')[0]!), record, skipped);
      }
      delete record.error;
      record.agent = { status: 'idle', message: '', since: this.#now() };
    });
  }

  async addUnit(app: string, count = 1): Promise<HookReport[]> {
    return this.#operation(async () => {
      const record = this.#app(app);
      for (let i = 0; i < count; i += 1) this.#addUnit(record);
    });
  }

  async removeUnit(unit: string): Promise<HookReport[]> {
    return this.#operation(async () => {
      const record = this.#unit(unit);
      this.#teardown(record);
    });
  }

  /** Removes an application: its relations go first (departed, broken), then stop and remove on each unit. */
  async remove(app: string): Promise<HookReport[]> {
    return this.#operation(async () => {
      const record = this.#app(app);
      for (const unit of record.units) this.#teardown(unit);
      // The other side of each relation sees the whole application go: broken, then the relation ends.
      for (const relation of this.#state.relations.filter((r) => r.ends.some((e) => e.app === app))) {
        relation.dying = true;
        const remote = otherEnd(relation, app);
        // A peer relation has only this application's units, torn down above.
        if (remote.app === app) continue;
        for (const other of this.#unitsOf(remote.app)) other.queue.push({ hook: `${remote.endpoint}-relation-broken`, relationId: relation.id, remoteApp: app });
      }
      record.dying = true;
    });
  }

  // ---- reading --------------------------------------------------------------------

  /** `juju status --format json`, in Juju's shape. */
  status(): StatusJson {
    this.#load();
    return modelStatus(this.#state, MODEL_NAME, (app) => this.#metadata(app));
  }

  /** The relations, each once, as the relation section of `juju status` lists them. */
  relations(): RelationStatus[] {
    this.#load();
    return relationStatus(this.#state);
  }

  /** The committed pod spec of an application, as YAML text (k8s resources appended). */
  podSpec(app: string): string | undefined {
    this.#load();
    const spec = this.#app(app).podSpec;
    return spec ? `${spec.spec.replace(/\n?$/, '\n')}${spec.k8sResources ?? ''}` : undefined;
  }

  /** The rendered manifests' path, or undefined before a pod spec was committed. */
  manifestsPath(app: string): string | undefined {
    const path = this.#file('manifests', `${app}.yaml`);
    return existsSync(path) ? path : undefined;
  }

  log(unit?: string): LogEntry[] {
    return readLines<LogEntry>(this.#file('log.jsonl')).filter((entry) => !unit || entry.unit === unit || entry.unit.split('/')[0] === unit);
  }

  /** A unit's hooks in order, each with its trace file (absent when the charm wrote none). */
  hooks(unit: string): { index: number; hook: string; trace?: string }[] {
    if (!unit.includes('/')) throw new ModelError('NOT_FOUND', `hooks are numbered per unit: name one, such as ${unit}/0`);
    return this.timeline(unit)
      .filter((entry) => entry.kind === 'hook-start' && entry.unit === unit)
      .map((entry, index) => ({ index, hook: entry.hook, ...(entry.trace && existsSync(this.#file(entry.trace)) ? { trace: this.#file(entry.trace) } : {}) }));
  }

  timeline(unit?: string): TimelineEntry[] {
    return readLines<TimelineEntry>(this.#file('timeline.jsonl')).filter((entry) => !unit || entry.unit === unit || entry.unit.split('/')[0] === unit);
  }

  /**
   * Deletes the model's folder: its charms, units, state, logs and manifests. For the
   * temporary models of tests; waits for an operation another process is running.
   */
  async destroy(): Promise<void> {
    if (!existsSync(this.dir)) return;
    const release = await this.#lock();
    // Emptied while locked, so no operation can start on a half-deleted model; the lock goes last.
    for (const name of readdirSync(this.dir)) if (name !== 'model.lock') rmSync(join(this.dir, name), { recursive: true, force: true });
    await release();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** The model's state record (a copy), for tools and tests. */
  snapshot(): ModelRecord {
    this.#load();
    return structuredClone(this.#state);
  }

  // ---- machinery ------------------------------------------------------------------

  /** One process at a time changes the model; others wait (up to about a minute). */
  #lock(): Promise<() => Promise<void>> {
    return lockfile.lock(this.dir, { lockfilePath: this.#file('model.lock'), retries: { retries: 100, minTimeout: 50, maxTimeout: 500 } });
  }

  async #operation(change: () => Promise<void>): Promise<HookReport[]> {
    const release = await this.#lock();
    try {
      this.#load();
      await change();
      this.#save();
      return await this.#settle();
    } finally {
      await release();
    }
  }

  /** Runs queued hooks until no unit has a runnable one. */
  async #settle(): Promise<HookReport[]> {
    const reports: HookReport[] = [];
    const fifo = join(this.dir, 'run', 'tools.fifo');
    // Files of tool calls whose shim was killed: no hook runs now, so none is in use.
    for (const name of readdirSync(this.#file('run'))) if (name.startsWith('tool.')) rmSync(this.#file('run', name), { force: true });
    this.#shims = new ShimServer(fifo, async (request) => {
      const ctx = this.#contexts.get(request.contextId);
      if (!ctx) return { stdout: '', stderr: `ERROR bad request: wrong context ID; got "${request.contextId}"\n`, exitCode: 1 };
      const started = performance.now();
      const result = runHookTool(request.tool, request.argv, request.stdin, { ...ctx, cwd: request.cwd });
      // Values given as key=value arguments may be secrets: the timeline keeps the keys only.
      const argv = ['leader-set', 'action-set', 'relation-set', 'state-set'].includes(request.tool)
        ? request.argv.map((arg) => (/^[^-][^=]*=/.test(arg) ? `${arg.slice(0, arg.indexOf('='))}=***` : arg))
        : request.argv;
      this.#timeline({ unit: ctx.unit.name, hook: ctx.event.hook, kind: 'tool', tool: request.tool, argv, exitCode: result.exitCode, ms: round(performance.now() - started) });
      return result;
    });
    try {
      let cursor = 0;
      for (let count = 0; ; count += 1) {
        const runnable = Object.values(this.#state.apps).flatMap((app) => app.units.filter((u) => u.queue.length > 0 && u.agent.status !== 'error').map((u) => ({ app, unit: u })));
        if (runnable.length === 0) break;
        if (count >= MAX_HOOKS_PER_SETTLE) throw new ModelError('HOOK_LOOP', `more than ${MAX_HOOKS_PER_SETTLE} hooks in a row: the charms keep triggering each other`);
        const pick = this.#options.seed === undefined ? runnable[cursor++ % runnable.length]! : runnable[Math.floor(this.#random() * runnable.length)]!;
        const report = await this.#runHook(pick.app, pick.unit);
        reports.push(report);
        this.#options.onHook?.(report);
        this.#save();
      }
      this.#cleanUp();
      this.#save();
    } finally {
      await this.#shims.close();
      this.#shims = undefined;
    }
    return reports;
  }

  async #runHook(app: AppRecord, unit: UnitRecord): Promise<HookReport> {
    const event = unit.queue[0]!;
    const contextId = `${unit.name}-${event.hook}-${++this.#state.hookCounter}`;
    const pending = noChanges();
    const unitDir = this.#unitDir(unit);
    const metadata = this.#metadata(app);
    const ctx: ToolContext = {
      model: this.#state,
      app,
      unit,
      event,
      pending,
      configYaml: this.#configYaml(app),
      metadata: { resources: metadata.resources, endpoints: endpoints(metadata).map((e) => e.name) },
      now: () => this.#now(),
      writeResource: (name, content) => {
        const path = join(unitDir, 'resources', name, 'content.yaml');
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, content, { mode: 0o600 });
        return path;
      },
      log: (level, message) => this.#log(unit.name, event.hook, level, message),
      leaderSettingsChanged: () => {
        for (const other of app.units) if (other.name !== unit.name) other.queue.push({ hook: 'leader-settings-changed' });
      },
      checkPodSpec: (spec, k8sResources) => {
        try {
          this.#render(app, spec, k8sResources);
          return undefined;
        } catch (error) {
          return (error as Error).message;
        }
      },
    };
    this.#contexts.set(contextId, ctx);
    this.#updateScope(unit, event);
    unit.agent = { status: 'executing', message: `running ${event.hook} hook`, since: this.#now() };
    const trace = join('traces', `${this.#state.hookCounter}.json`);
    this.#timeline({ unit: unit.name, hook: event.hook, kind: 'hook-start', trace });
    const started = performance.now();
    mkdirSync(this.#file('traces'), { recursive: true });
    const exitCode = await this.#spawnDispatch(app, unit, event, contextId, this.#file(trace));
    const ms = round(performance.now() - started);
    this.#contexts.delete(contextId);
    this.#state.clock += 1000;

    if (exitCode === 0) {
      unit.queue.shift();
      unit.agent = { status: 'idle', message: '', since: this.#now() };
      // Juju shows "unknown" once the agent runs if the charm never set a status.
      if (unit.workload.status === 'waiting' && unit.workload.message === INSTALLING) unit.workload = { status: 'unknown', message: '', since: this.#now() };
      this.#commit(app, unit, pending);
      this.#timeline({ unit: unit.name, hook: event.hook, kind: 'commit', exitCode, ms });
      this.#afterHook(app, unit, event);
    } else {
      unit.error = event;
      unit.agent = { status: 'error', message: `hook failed: "${event.hook}"`, since: this.#now() };
      this.#log(unit.name, event.hook, 'ERROR', `hook "${event.hook}" failed: exit status ${exitCode}`);
      this.#timeline({ unit: unit.name, hook: event.hook, kind: 'discard', exitCode, ms });
    }
    return { unit: unit.name, hook: event.hook, ok: exitCode === 0, ms };
  }

  #spawnDispatch(app: AppRecord, unit: UnitRecord, event: HookEvent, contextId: string, traceFile: string): Promise<number> {
    const charmDir = join(this.#unitDir(unit), 'charm');
    const relation = event.relationId === undefined ? undefined : this.#state.relations.find((r) => r.id === event.relationId);
    const end = relation?.ends.find((e) => e.app === app.name);
    const env: NodeJS.ProcessEnv = {
      // First, so that nothing given here can replace what the model sets below.
      ...this.#options.hookEnv,
      PATH: `${join(this.dir, 'run', 'bin')}:${dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`,
      HOME: process.env.HOME,
      LANG: 'C.UTF-8',
      CHARMS_TOOL_FIFO: join(this.dir, 'run', 'tools.fifo'),
      CHARMS_TOOL_TMP: this.#file('run'),
      JUJU_CONTEXT_ID: contextId,
      // The runtime writes what it did here, for charms explain (flag names, never values).
      CHARMS_TRACE_FILE: traceFile,
      JUJU_CHARM_DIR: charmDir,
      CHARM_DIR: charmDir,
      JUJU_UNIT_NAME: unit.name,
      JUJU_MODEL_NAME: MODEL_NAME,
      JUJU_MODEL_UUID: '00000000-0000-4000-8000-000000000000',
      JUJU_VERSION: '2.9.44',
      JUJU_DISPATCH_PATH: `hooks/${event.hook}`,
      JUJU_HOOK_NAME: event.hook,
      JUJU_AGENT_SOCKET_ADDRESS: `@${this.dir}/run/agent.socket`,
      JUJU_AGENT_SOCKET_NETWORK: 'unix',
      JUJU_API_ADDRESSES: '127.0.0.1:17070',
      JUJU_MACHINE_ID: '',
      JUJU_PRINCIPAL_UNIT: '',
      JUJU_AVAILABILITY_ZONE: '',
      ...(relation && end
        ? {
            JUJU_RELATION: end.endpoint,
            JUJU_RELATION_ID: `${end.endpoint}:${relation.id}`,
            JUJU_REMOTE_UNIT: event.remoteUnit ?? '',
            JUJU_REMOTE_APP: event.remoteApp ?? '',
            ...(event.departingUnit ? { JUJU_DEPARTING_UNIT: event.departingUnit } : {}),
          }
        : {}),
    };
    return new Promise((done) => {
      const child = spawn(join(charmDir, 'dispatch'), [], { cwd: charmDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
      // Juju logs a hook's stdout at DEBUG and its stderr at WARNING.
      const lines = (level: string) => (chunk: Buffer) => {
        for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) this.#log(unit.name, event.hook, level, line);
      };
      child.stdout.on('data', lines('DEBUG'));
      child.stderr.on('data', lines('WARNING'));
      child.on('error', (error) => {
        this.#log(unit.name, event.hook, 'ERROR', `cannot run dispatch: ${error.message}`);
        done(127);
      });
      child.on('close', (code, signal) => {
        // The hook's tool calls are over: their files can go.
        this.#shims?.sweep();
        done(code ?? (signal ? 128 : 1));
      });
    });
  }

  /** Who is in a relation's scope for this unit, as its relation hook starts (Juju's order). */
  #updateScope(unit: UnitRecord, event: HookEvent): void {
    const relation = event.relationId === undefined ? undefined : this.#state.relations.find((r) => r.id === event.relationId);
    if (!relation) return;
    const scope = ((relation.inScope ??= {})[unit.name] ??= []);
    if (event.hook.endsWith('-relation-joined') && event.remoteUnit && !scope.includes(event.remoteUnit)) scope.push(event.remoteUnit);
    if (event.hook.endsWith('-relation-departed')) relation.inScope[unit.name] = scope.filter((u) => u !== event.departingUnit);
    if (event.hook.endsWith('-relation-broken')) relation.inScope[unit.name] = [];
  }

  /** What Juju's HookContext.Flush writes when a hook succeeded. */
  #commit(app: AppRecord, unit: UnitRecord, pending: ReturnType<typeof noChanges>): void {
    for (const [key, value] of Object.entries(pending.state)) {
      if (value === null) delete unit.controllerState[key];
      else unit.controllerState[key] = value;
    }
    for (const change of pending.ports) {
      unit.openedPorts = change.action === 'open' ? [...new Set([...unit.openedPorts, change.port])] : unit.openedPorts.filter((p) => p !== change.port);
    }
    if (pending.k8sRaw !== undefined && pending.k8sRaw !== app.rawSpec?.spec) {
      app.rawSpec = { spec: pending.k8sRaw, revision: (app.rawSpec?.revision ?? 0) + 1 };
    }
    if (pending.podSpec) {
      const same = app.podSpec && app.podSpec.spec === pending.podSpec.spec && app.podSpec.k8sResources === pending.podSpec.k8sResources;
      if (!same) {
        app.podSpec = { ...pending.podSpec, revision: (app.podSpec?.revision ?? 0) + 1 };
        this.#renderManifests(app);
      }
    }
    for (const write of pending.relationSets) {
      const relation = this.#state.relations.find((r) => r.id === write.relationId);
      if (!relation) continue;
      const bag = (relation.data[write.bag] ??= {});
      let changed = false;
      for (const [key, value] of Object.entries(write.data)) {
        if ((bag[key] ?? '') === value) continue;
        changed = true;
        if (value === '') delete bag[key];
        else bag[key] = value;
      }
      if (!changed) continue;
      const remote = otherEnd(relation, app.name);
      for (const other of this.#unitsOf(remote.app)) {
        if (other.name === unit.name) continue;
        const seen = relation.joined[other.name] ?? [];
        const isAppBag = write.bag === app.name;
        if (isAppBag || seen.includes(unit.name)) {
          other.queue.push({ hook: `${remote.endpoint}-relation-changed`, relationId: relation.id, remoteUnit: isAppBag ? undefined : unit.name, remoteApp: app.name });
        }
      }
    }
  }

  #afterHook(app: AppRecord, unit: UnitRecord, event: HookEvent): void {
    if (event.hook !== 'remove') return;
    app.units = app.units.filter((u) => u.name !== unit.name);
    if (app.podSpec) this.#renderManifests(app);
    if (app.leader !== unit.name) return;
    // Juju elects another leader when the leader goes.
    app.leader = app.units[0]?.name;
    app.units[0]?.queue.push({ hook: 'leader-elected' });
  }

  /** Drops relations and applications whose last hooks have run. */
  #cleanUp(): void {
    for (const relation of [...this.#state.relations]) {
      const busy = relation.ends.some((end) => this.#unitsOf(end.app).some((u) => u.queue.some((e) => e.relationId === relation.id)));
      if (relation.dying && !busy) this.#state.relations = this.#state.relations.filter((r) => r !== relation);
    }
    for (const app of Object.values(this.#state.apps)) {
      if (app.dying && app.units.length === 0) {
        delete this.#state.apps[app.name];
        rmSync(this.#file(app.charmDir), { recursive: true, force: true });
        rmSync(this.#file('manifests', `${app.name}.yaml`), { force: true });
      }
    }
  }

  #render(app: AppRecord, spec: string, k8sResources: string | undefined) {
    const metadata = this.#metadata(app) as CharmMetadata & { storage?: Record<string, { type?: string; location?: string; 'minimum-size'?: string }> };
    return renderManifests({ app: app.name, scale: app.units.length, spec, k8sResources, storage: metadata.storage, deploymentType: metadata.deployment?.type });
  }

  /** Writes the committed spec's manifests; pod-spec-set checked that it renders. */
  #renderManifests(app: AppRecord): void {
    const rendered = this.#render(app, app.podSpec!.spec, app.podSpec!.k8sResources);
    mkdirSync(this.#file('manifests'), { recursive: true });
    writeFileSync(this.#file('manifests', `${app.name}.yaml`), rendered.yaml, { mode: 0o600 });
  }

  #addUnit(app: AppRecord): UnitRecord {
    const name = `${app.name}/${app.nextUnit++}`;
    const unit: UnitRecord = {
      name,
      workload: { status: 'waiting', message: INSTALLING, since: this.#now() },
      agent: { status: 'allocating', message: '', since: this.#now() },
      queue: [],
      controllerState: {},
      openedPorts: [],
    };
    app.units.push(unit);
    if (!app.leader) app.leader = name;
    this.#copyCharm(app, unit);
    // The manifests carry the scale (replicas).
    if (app.podSpec) this.#renderManifests(app);
    // Juju 2.9: relation-created for every relation the application is in comes right
    // after install; the units already there join after start.
    const relations = this.#state.relations.filter((r) => r.ends.some((e) => e.app === app.name));
    const created = relations.map((relation) => ({
      hook: `${relation.ends.find((e) => e.app === app.name)!.endpoint}-relation-created`,
      relationId: relation.id,
      remoteApp: otherEnd(relation, app.name).app,
    }));
    unit.queue.push({ hook: 'install' }, ...created, { hook: app.leader === name ? 'leader-elected' : 'leader-settings-changed' }, { hook: 'config-changed' }, { hook: 'start' });
    for (const relation of relations) {
      this.#joinRemoteUnits(relation, app.name, unit);
      for (const remote of this.#unitsOf(otherEnd(relation, app.name).app)) if (remote.name !== unit.name) this.#join(relation, remote, unit.name);
    }
    return unit;
  }

  /** Each unit runs its own copy of the charm (as Juju unpacks one per unit); its state file survives upgrades. */
  #copyCharm(app: AppRecord, unit: UnitRecord): void {
    const target = join(this.#unitDir(unit), 'charm');
    const stateFile = join(target, '.unit-state.json');
    const state = existsSync(stateFile) ? readFileSync(stateFile) : undefined;
    rmSync(target, { recursive: true, force: true });
    mkdirSync(dirname(target), { recursive: true });
    cpSync(this.#file(app.charmDir), target, { recursive: true });
    if (state) writeFileSync(stateFile, state, { mode: 0o600 });
  }

  /** A peer relation of `app` on `peer`: one endpoint, both ends of the record. */
  #peerRelation(app: string, peer: { name: string; interface: string }): RelationRecord {
    const end = { app, endpoint: peer.name, role: 'peers' as const };
    const relation: RelationRecord = { id: this.#state.nextRelationId++, interface: peer.interface, ends: [end, end], data: {}, joined: {} };
    this.#state.relations.push(relation);
    return relation;
  }

  #joinRemoteUnits(relation: RelationRecord, app: string, unit: UnitRecord): void {
    for (const remote of this.#unitsOf(otherEnd(relation, app).app)) if (remote.name !== unit.name) this.#join(relation, unit, remote.name);
  }

  /** `unit` sees `remote` join: relation-joined, then relation-changed. */
  #join(relation: RelationRecord, unit: UnitRecord, remote: string): void {
    const end = relation.ends.find((e) => e.app === unit.name.split('/')[0])!;
    const seen = (relation.joined[unit.name] ??= []);
    if (seen.includes(remote)) return;
    seen.push(remote);
    const base = { relationId: relation.id, remoteUnit: remote, remoteApp: remote.split('/')[0] };
    unit.queue.push({ hook: `${end.endpoint}-relation-joined`, ...base }, { hook: `${end.endpoint}-relation-changed`, ...base });
  }

  #teardown(unit: UnitRecord): void {
    const app = unit.name.split('/')[0]!;
    for (const relation of this.#state.relations.filter((r) => r.ends.some((e) => e.app === app))) {
      const end = relation.ends.find((e) => e.app === app)!;
      // The unit going away is the departing unit on both sides, in its own hooks too.
      for (const remote of relation.joined[unit.name] ?? []) {
        unit.queue.push({ hook: `${end.endpoint}-relation-departed`, relationId: relation.id, remoteUnit: remote, remoteApp: remote.split('/')[0], departingUnit: unit.name });
      }
      unit.queue.push({ hook: `${end.endpoint}-relation-broken`, relationId: relation.id, remoteApp: otherEnd(relation, app).app });
      // The other side sees this unit depart.
      const remoteEnd = otherEnd(relation, app);
      for (const other of this.#unitsOf(remoteEnd.app)) {
        // A unit being removed too (the same application going) has run its own departures.
        if (other.queue.some((e) => e.hook === 'remove')) continue;
        const seen = relation.joined[other.name] ?? [];
        if (!seen.includes(unit.name)) continue;
        relation.joined[other.name] = seen.filter((u) => u !== unit.name);
        other.queue.push({ hook: `${remoteEnd.endpoint}-relation-departed`, relationId: relation.id, remoteUnit: unit.name, remoteApp: app, departingUnit: unit.name });
      }
    }
    unit.queue.push({ hook: 'stop' }, { hook: 'remove' });
  }

  #matchEndpoints(a: string, b: string) {
    const resolveEnd = (spec: string, other: string) => {
      const [appName, endpoint] = spec.split(':');
      const otherApp = other.split(':')[0]!;
      const app = this.#app(appName!);
      const candidates = endpoints(this.#metadata(app)).filter((e) => !endpoint || e.name === endpoint);
      return { app, appName: appName!, candidates, otherApp };
    };
    const left = resolveEnd(a, b);
    const right = resolveEnd(b, a);
    const pairs = left.candidates.flatMap((l) =>
      right.candidates
        .filter((r) => r.interface === l.interface && ((l.role === 'provides' && r.role === 'requires') || (l.role === 'requires' && r.role === 'provides')))
        .map((r) => [l, r] as const),
    );
    const peer = left.appName === right.appName ? left.candidates.find((e) => e.role === 'peers') : undefined;
    if (pairs.length === 0 && peer) {
      throw new ModelError('INVALID_RELATION', `${left.appName}:${peer.name} is a peer relation: Juju makes it when the application is deployed, and it cannot be related by hand`);
    }
    if (pairs.length !== 1) {
      throw new ModelError(
        'INVALID_RELATION',
        pairs.length === 0
          ? `no endpoints of ${a} and ${b} fit together (one must provide and the other require the same interface)`
          : `${a} and ${b} fit on several endpoints: name them, e.g. ${left.appName}:${pairs[0]![0].name} ${right.appName}:${pairs[0]![1].name}`,
      );
    }
    const [l, r] = pairs[0]!;
    return [
      { app: left.appName, endpoint: l.name, interface: l.interface, end: { app: left.appName, endpoint: l.name, role: l.role } },
      { app: right.appName, endpoint: r.name, interface: r.interface, end: { app: right.appName, endpoint: r.name, role: r.role } },
    ] as const;
  }

  #app(name: string): AppRecord {
    const app = this.#state.apps[name];
    if (!app) throw new ModelError('NOT_FOUND', `application "${name}" not found (applications: ${Object.keys(this.#state.apps).join(', ') || 'none'})`);
    return app;
  }

  #unit(name: string): UnitRecord {
    const unit = this.#state.apps[name.split('/')[0]!]?.units.find((u) => u.name === name);
    if (!unit) throw new ModelError('NOT_FOUND', `unit "${name}" not found`);
    return unit;
  }

  #unitsOf(app: string): UnitRecord[] {
    return this.#state.apps[app]?.units ?? [];
  }

  #metadata(app: AppRecord): CharmMetadata {
    return loadMetadata(this.#file(app.charmDir));
  }

  #configYaml(app: AppRecord): CharmConfigYaml | undefined {
    return loadConfigYaml(this.#file(app.charmDir));
  }

  #unitDir(unit: UnitRecord): string {
    return this.#file('units', unit.name.replace('/', '-'));
  }

  #now(): string {
    return new Date(Date.UTC(2026, 0, 1) + this.#state.clock).toISOString();
  }

  #file(...parts: string[]): string {
    return join(this.dir, ...parts);
  }

  #log(unit: string, hook: string, level: string, message: string): void {
    appendFileSync(this.#file('log.jsonl'), `${JSON.stringify({ time: this.#now(), unit, hook, level, message } satisfies LogEntry)}\n`, { mode: 0o600 });
  }

  #timeline(entry: Omit<TimelineEntry, 'time'>): void {
    appendFileSync(this.#file('timeline.jsonl'), `${JSON.stringify({ time: this.#now(), ...entry })}\n`, { mode: 0o600 });
  }

  #load(): void {
    try {
      this.#state = JSON.parse(readFileSync(this.#file('model.json'), 'utf8')) as ModelRecord;
    } catch (error) {
      throw new ModelError('MODEL_CORRUPT', `cannot read ${this.#file('model.json')}: ${(error as Error).message}. It was left as it is.`);
    }
  }

  #save(): void {
    const temporary = this.#file(`model.json.${process.pid}.tmp`);
    writeFileSync(temporary, `${JSON.stringify(this.#state, null, 2)}\n`, { mode: 0o600 });
    renameSync(temporary, this.#file('model.json'));
  }
}

/**
 * Copies or unpacks a built charm into `<staging>/charm` and reads its metadata.
 * @throws ModelError `INVALID_CHARM` when it was not built (no dispatch); ManifestError for bad metadata.
 */
async function stageCharm(source: string, staging: string): Promise<{ charmDir: string; metadata: CharmMetadata }> {
  const charmDir = join(staging, 'charm');
  if (statSync(source).isDirectory()) cpSync(resolve(source), charmDir, { recursive: true });
  else await unpackCharm(resolve(source), charmDir);
  if (!existsSync(join(charmDir, 'dispatch'))) {
    throw new ModelError('INVALID_CHARM', `${source} is not a built charm (no dispatch): build it with charms build first`);
  }
  return { charmDir, metadata: loadMetadata(charmDir) };
}

/** Opens a model for tests: a fresh temporary directory unless one is given. */
export async function createModel(options: Partial<ModelOptions> = {}): Promise<LocalModel> {
  return LocalModel.open({ ...options, dir: options.dir ?? mkdtempSync(join(tmpdir(), 'charms-model-')) });
}

function checkResources(metadata: CharmMetadata, given: DeployOptions['resources'] & object): Record<string, { image: string; username: string; password: string; revision: number }> {
  const problems: string[] = [];
  const result: Record<string, { image: string; username: string; password: string; revision: number }> = {};
  for (const [name, value] of Object.entries(given)) {
    const declared = metadata.resources?.[name];
    if (!declared) problems.push(`unknown resource "${name}" (the charm declares: ${Object.keys(metadata.resources ?? {}).join(', ') || 'none'})`);
    else if (declared.type !== 'oci-image') problems.push(`resource "${name}" is a file resource; the local model takes oci-image resources only`);
    const image = typeof value === 'string' ? { image: value } : value;
    if (!image.image) problems.push(`resource "${name}" needs an image, e.g. ${name}=minio/minio:latest`);
    result[name] = { image: image.image, username: image.username ?? '', password: image.password ?? '', revision: 1 };
  }
  if (problems.length > 0) throw new ModelError('INVALID_RESOURCE', 'resources not accepted:', problems);
  return result;
}

function otherEnd(relation: RelationRecord, app: string) {
  return relation.ends[0].app === app ? relation.ends[1] : relation.ends[0];
}

function sameRelation(relation: RelationRecord, a: { app: string; endpoint: string }, b: { app: string; endpoint: string }): boolean {
  const key = (e: { app: string; endpoint: string }) => `${e.app}:${e.endpoint}`;
  const keys = relation.ends.map(key).sort().join(' ');
  return keys === [key(a), key(b)].sort().join(' ');
}

function readLines<T>(path: string): T[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as T);
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
