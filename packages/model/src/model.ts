import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { effectiveConfig, endpoints, isKubernetesCharm, isSidecarCharm, loadConfigYaml, storeDeclarations, type CharmMetadata } from '@charms/manifest';
import { nameProblem } from '@charms/manifest/queries';
import { actionQueued, actionSpecs, runAction, type ActionSpec } from './action-specs.js';
import { copyCharm, installCharm, withStagedCharm } from './charm-staging.js';
import { matchEndpoints } from './endpoint-match.js';
import { charmHookNames } from './hook-names.js';
import { readReplayRecord, replayRecordFile, type HookReplayRecord } from './hook-replay.js';
import { HookRunner, MODEL_VARIABLES } from './hook-runner.js';
import { maskSecrets, secretValues } from './log-masking.js';
import { ModelError } from './model-errors.js';
import { checkModelRecord } from './model-record-schema.js';
import { emptyModel, findApp, findUnit, modelTime, sameRelation, type ActionRecord, type AppRecord, type ContainerRecord, type ModelRecord } from './model-state.js';
import { ModelStore, type LogEntry, type TimelineEntry } from './model-store.js';
import type { ResourceValue } from './resource-values.js';
import { findAction, nextAction } from './scheduler-actions.js';
import { checkNewApp, checkUpgrade, runnableUnits, seededRandom, transition, unitPicker, type CharmEndpoint, type Effect, type Operation } from './scheduler.js';
import { commitProblem } from './scheduler-storage.js';
import { writeShims } from './shim-server.js';
import { renderSidecarManifests } from './sidecar-manifests.js';
import { checkSocketPaths } from './sidecar-sockets.js';
import { SidecarPebbles } from './sidecar-pebbles.js';
import { makeStorageFolder } from './storage-files.js';
import { storageListing, type StorageListing } from './storage-listing.js';
import { storageRequests, storeRecord } from './storage-requests.js';
import { modelStatus, relationStatus, type RelationStatus, type StatusJson } from './status.js';

export type { LogEntry, TimelineEntry } from './model-store.js';
export type { ActionSpec } from './action-specs.js';
export type { StorageListing, StorageInstanceListing, StorageBackingListing } from './storage-listing.js';

import type { DeployOptions, HookReport, ModelOptions } from './model-options.js';

export type { DeployOptions, HookReport, ModelOptions } from './model-options.js';

const MAX_HOOKS_PER_SETTLE = 2000;

/**
 * A Juju model on this machine. It keeps its state in a directory, runs each hook of a
 * charm as a real child process through the charm's `dispatch`, with Juju's environment
 * and the hook-tool shims on PATH, applies transactional tool effects only when the hook
 * exits 0, and puts a unit whose hook failed into `error` until it is resolved.
 *
 * Every operation holds the model's lock, so two commands never interleave. The
 * scheduler (scheduler.ts) decides what each operation queues; this class reads the
 * charms, carries out the scheduler's effects on the store and runs the queued hooks.
 */
export class LocalModel {
  readonly dir: string;
  readonly #options: ModelOptions;
  readonly #store: ModelStore;
  #state: ModelRecord = emptyModel();
  readonly #random: () => number;
  /** The record a `replay` queued, read by that unit's next hook in this operation. */
  #replay: { unit: string; record: HookReplayRecord } | undefined;

  private constructor(options: ModelOptions) {
    this.#store = new ModelStore(options.dir);
    this.dir = this.#store.dir;
    this.#options = options;
    this.#random = seededRandom(options.seed ?? 0);
  }

  /** Opens (or creates) the model in `options.dir`. */
  static async open(options: ModelOptions): Promise<LocalModel> {
    const owned = Object.keys(options.hookEnv ?? {}).filter((name) => MODEL_VARIABLES.test(name));
    if (owned.length > 0) {
      throw new ModelError('INVALID_OPTION', `hookEnv cannot set ${owned.join(', ')}: the model sets Juju's variables and its own for every hook`);
    }
    const model = new LocalModel(options);
    model.#store.prepare();
    writeShims(join(model.dir, 'run', 'bin'));
    model.#state = model.#load();
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
    return this.#operation(() =>
      withStagedCharm(this.dir, source, ({ charmDir, metadata }) => {
        const app = options.app ?? metadata.name;
        // Juju's rule for application names (juju/names application.go), from the
        // manifest package, which the pure scheduler may not import; its own looser check
        // stays as a guard.
        const problem = nameProblem('application', app);
        if (problem) throw new ModelError('INVALID_CHARM', problem);
        checkNewApp(this.#state, app);
        const sidecar = isSidecarCharm(metadata) ? sidecarContainers(metadata) : undefined;
        if (sidecar) {
          // Every unit this deploy makes gets its sockets under the model: refused now if they cannot.
          const first = this.#state.unitSequences?.[app] ?? 0;
          const units = Array.from({ length: options.units ?? 1 }, (_, i) => `${app}/${first + i}`);
          checkSocketPaths(this.dir, units, sidecar.map((c) => c.name));
        }
        const target = join('charms', app);
        const { record, effects } = transition(this.#state, {
          type: 'deploy',
          app,
          charm: metadata.name,
          charmDir: target,
          configYaml: loadConfigYaml(charmDir),
          config: options.config ?? {},
          declaredResources: metadata.resources,
          resources: options.resources ?? {},
          endpoints: endpoints(metadata),
          units: options.units ?? 1,
          stores: storeDeclarations(metadata.storage).map(storeRecord),
          container: isKubernetesCharm(metadata),
          ...(sidecar ? { sidecar, ...(options.runWorkloads ? { runWorkloads: true } : {}) } : {}),
        });
        installCharm(charmDir, this.#store.file(target));
        this.#carryOut(record, effects);
      }),
    );
  }

  /**
   * Changes config as `juju config` does: every value checked against config.yaml first
   * (nothing changes on error), then config-changed on every unit.
   */
  async setConfig(app: string, values: Readonly<Record<string, unknown>>, reset: readonly string[] = []): Promise<HookReport[]> {
    return this.#operation(async () => {
      const configYaml = this.#store.configYaml(findApp(this.#state, app));
      this.#apply({ type: 'config', app, configYaml, values, reset, effectiveConfig: (set) => effectiveConfig(configYaml?.options, set) });
    });
  }

  /** The effective config of an application: set values over config.yaml defaults. */
  config(app: string): Record<string, unknown> {
    const state = this.#load();
    const record = findApp(state, app);
    return effectiveConfig(this.#store.configYaml(record)?.options, record.config);
  }

  /** A new revision of an oci-image resource; Juju then runs upgrade-charm and config-changed. */
  async attachResource(app: string, name: string, image: ResourceValue): Promise<HookReport[]> {
    return this.#operation(async () => {
      const declaredResources = this.#store.metadata(findApp(this.#state, app)).resources;
      this.#apply({ type: 'attach-resource', app, name, image, declaredResources });
    });
  }

  /** Replaces the charm with a new build, keeping each unit's state; runs upgrade-charm and config-changed. */
  async upgrade(app: string, source: string): Promise<HookReport[]> {
    return this.#operation(async () => {
      const record = findApp(this.#state, app);
      // Every check before the first change, as for deploy.
      await withStagedCharm(this.dir, source, ({ charmDir, metadata }) => {
        const op = { type: 'upgrade', app, source, charm: metadata.name, endpoints: endpoints(metadata), stores: storeDeclarations(metadata.storage).map(storeRecord) } as const;
        checkUpgrade(this.#state, op);
        const sidecar = isSidecarCharm(metadata) ? sidecarContainers(metadata) : undefined;
        const next = transition(this.#state, { ...op, configYaml: loadConfigYaml(charmDir), ...(sidecar ? { sidecar } : {}) });
        installCharm(charmDir, this.#store.file(record.charmDir));
        this.#carryOut(next.record, next.effects);
      });
    });
  }

  /** Relates two endpoints (`app:endpoint`, or `app` when only one endpoint fits), with both sides' hooks. */
  async relate(a: string, b: string): Promise<HookReport[]> {
    return this.#operation(async () => {
      this.#apply({ type: 'relate', ...matchEndpoints(a, b, this.#endpointsOf) });
    });
  }

  /** Removes a relation: departed for every remote unit, then broken, on both sides. */
  async unrelate(a: string, b: string): Promise<HookReport[]> {
    return this.#operation(async () => {
      const [left, right] = matchEndpoints(a, b, this.#endpointsOf).ends;
      const relation = this.#state.relations.find((r) => sameRelation(r, left, right));
      if (!relation) throw new ModelError('NOT_FOUND', `no relation between ${a} and ${b}`);
      this.#apply({ type: 'unrelate', relationId: relation.id });
    });
  }

  /**
   * Runs one hook on a unit (`update-status`, say) and whatever follows from it.
   * @throws ModelError `NOT_FOUND`; `INVALID_HOOK` for a name the unit's charm cannot have
   *   (as juju/charm `Meta.Hooks()` lists them); `UNIT_IN_ERROR` while the unit is in error.
   *   Nothing is queued then.
   */
  async run(unit: string, hook: string): Promise<HookReport[]> {
    return this.#operation(async () => {
      findUnit(this.#state, unit);
      const known = charmHookNames(this.#store.metadata(findApp(this.#state, unit.split('/')[0]!)));
      if (!known.includes(hook)) {
        const shown = JSON.stringify(hook.length > 80 ? `${hook.slice(0, 80)}…` : hook);
        throw new ModelError('INVALID_HOOK', `unit ${unit} has no hook ${shown}: its charm's hooks are ${known.join(', ')}`);
      }
      this.#apply({ type: 'run', unit, hook });
    });
  }

  /**
   * Queues an action as `juju run-action` does (params checked first, Juju's texts) and
   * runs it once the unit may (scheduler-actions.ts has the rule); its changes commit on exit 0.
   * @returns the record: `completed` or `failed`; `pending` when the unit cannot run it yet.
   * @throws ModelError `NOT_FOUND` (unit); `INVALID_ACTION` when the action is not the
   *   charm's or its params are refused (recorded with status `error`; it never runs).
   * @example (await model.runAction('kv/0', 'backup', { target: { path: '/srv' } })).status // 'completed'
   */
  async runAction(unit: string, name: string, params: Readonly<Record<string, unknown>> = {}): Promise<ActionRecord> {
    let queued = { id: '', error: undefined as string | undefined };
    await this.#operation(async () => {
      const op = actionQueued(this.#state, this.#store, unit, name, params);
      this.#apply(op);
      queued = { id: this.#state.actions!.at(-1)!.id, error: op.error };
    });
    if (queued.error !== undefined) throw new ModelError('INVALID_ACTION', queued.error);
    return this.action(queued.id);
  }

  /** The actions of an application's charm, by name, as `juju actions` lists them. */
  actions(app: string): ActionSpec[] {
    const state = this.#load();
    return actionSpecs(this.#store.file(findApp(state, app).charmDir));
  }

  /** An action's record (a copy). @throws ModelError `NOT_FOUND` (Juju's texts for a bad or unknown id). */
  action(id: string): ActionRecord {
    const state = this.#load();
    return structuredClone(findAction(state, id));
  }

  /**
   * Adds storage instances to a unit as `juju add-storage` does (`<store>[=<pool>,<count>,<size>]`
   * directives, read as Juju reads them), each followed by its storage-attached hook.
   * @returns the new instances' ids, in order, and the hooks that ran.
   * @throws ModelError `NOT_FOUND` (unit); `INVALID_STORAGE` for a directive Juju refuses
   *   (its texts); nothing is added then.
   * @example (await model.addStorage('kv/0', ['logs=2'])).added   // ['logs/3', 'logs/4']
   */
  async addStorage(unit: string, directives: readonly string[]): Promise<{ added: string[]; reports: HookReport[] }> {
    let added: string[] = [];
    const reports = await this.#operation(async () => {
      const before = new Set((this.#state.storage ?? []).map((s) => s.id));
      this.#apply({ type: 'add-storage', unit, requests: storageRequests(this.#state, unit, directives) });
      added = (this.#state.storage ?? []).filter((s) => !before.has(s.id)).map((s) => s.id);
    });
    return { added, reports };
  }

  /**
   * The model's storage as `juju storage --format yaml` shows it: instances, and their
   * filesystems and volumes; times in local time, or in UTC with `utc`.
   */
  storage(options: { utc?: boolean } = {}): StorageListing {
    const state = this.#load();
    return storageListing(state, this.dir, options);
  }

  /**
   * `charms replay`: runs hook `index` of `unit` (as `hooks(unit)` numbers them; negative
   * counts from the end) again, as jhack replay re-emits a recorded event: a new hook of
   * the unit with the recorded event (relation, remote unit), reading the config and
   * relation data recorded when it first ran, and committing like any hook (a failure
   * puts the unit in error). Flags and unit data are today's.
   * @throws ModelError `NOT_FOUND` (no such hook or record, its relation gone);
   *   `UNIT_IN_ERROR`; `UNIT_BUSY` when hooks are waiting. Nothing runs then.
   */
  async replay(unit: string, index: number): Promise<HookReport[]> {
    const starts = this.timeline(unit).filter((entry) => entry.kind === 'hook-start' && entry.unit === unit && entry.action === undefined);
    const at = index < 0 ? starts.length + index : index;
    const start = starts[at];
    if (!start) {
      const range = starts.length === 0 ? 'it has run none' : `it has 0 to ${starts.length - 1} (charms explain ${unit} N shows one)`;
      throw new ModelError('NOT_FOUND', `unit ${unit} has no hook ${index}: ${range}`);
    }
    const what = `hook ${at} of ${unit} (${start.hook})`;
    if (!start.trace) throw new ModelError('NOT_FOUND', `${what} has no recorded context: it ran before the model recorded hooks for replay`);
    const record = readReplayRecord(this.#store.file(replayRecordFile(start.trace)), what);
    try {
      return await this.#operation(async () => {
        this.#apply({ type: 'replay', unit, event: record.event });
        this.#replay = { unit, record };
      });
    } finally {
      this.#replay = undefined;
    }
  }

  /** Moves the virtual clock on; update-status runs on every unit for each 5 minutes passed. */
  async tick(ms: number): Promise<HookReport[]> {
    return this.#operation(async () => this.#apply({ type: 'tick', ms }));
  }

  /** Retries a unit's failed hook (or, with `retry: false`, skips it), then carries on. */
  async resolve(unit: string, options: { retry?: boolean } = {}): Promise<HookReport[]> {
    return this.#operation(async () => this.#apply({ type: 'resolve', unit, retry: options.retry !== false }));
  }

  async addUnit(app: string, count = 1): Promise<HookReport[]> {
    return this.#operation(async () => this.#apply({ type: 'add-unit', app, count }));
  }

  async removeUnit(unit: string): Promise<HookReport[]> {
    return this.#operation(async () => this.#apply({ type: 'remove-unit', unit }));
  }

  /** Removes an application: its relations go first (departed, broken), then stop and remove on each unit. */
  async remove(app: string): Promise<HookReport[]> {
    return this.#operation(async () => this.#apply({ type: 'remove', app }));
  }

  // ---- reading --------------------------------------------------------------------

  /** `juju status --format json`, in Juju's shape. */
  status(): StatusJson {
    const state = this.#load();
    return modelStatus(state, (app) => this.#store.metadata(app));
  }

  /** The relations, each once, as the relation section of `juju status` lists them. */
  relations(): RelationStatus[] {
    const state = this.#load();
    return relationStatus(state);
  }

  /** The committed pod spec of an application, as YAML text (k8s resources appended). */
  podSpec(app: string): string | undefined {
    const state = this.#load();
    const spec = findApp(state, app).podSpec;
    return spec ? `${spec.spec.replace(/\n?$/, '\n')}${spec.k8sResources ?? ''}` : undefined;
  }

  /** The rendered manifests' path, or undefined before a pod spec was committed. */
  manifestsPath(app: string): string | undefined {
    const path = this.#store.manifestsFile(app);
    return existsSync(path) ? path : undefined;
  }

  log(unit?: string): LogEntry[] {
    return this.#store.readLog().filter((entry) => !unit || entry.unit === unit || entry.unit.split('/')[0] === unit);
  }

  /** A unit's hooks in order, each with its trace file (absent when the charm wrote none). */
  hooks(unit: string): { index: number; hook: string; trace?: string }[] {
    if (!unit.includes('/')) throw new ModelError('NOT_FOUND', `hooks are numbered per unit: name one, such as ${unit}/0`);
    return this.timeline(unit)
      .filter((entry) => entry.kind === 'hook-start' && entry.unit === unit && entry.action === undefined)
      .map((entry, index) => ({ index, hook: entry.hook, ...(entry.trace && existsSync(this.#store.file(entry.trace)) ? { trace: this.#store.file(entry.trace) } : {}) }));
  }

  timeline(unit?: string): TimelineEntry[] {
    return this.#store.readTimeline().filter((entry) => !unit || entry.unit === unit || entry.unit.split('/')[0] === unit);
  }

  /**
   * Deletes the model's folder: its charms, units, state, logs and manifests. For the
   * temporary models of tests; waits for an operation another process is running.
   */
  async destroy(): Promise<void> {
    await this.#store.destroy();
  }

  /**
   * The model's state record as committed (read from disk, a copy of nothing in use), for
   * tools and tests. The readers never touch the record a running operation holds: called
   * from `onHook` during an operation, they see the last hook saved.
   */
  snapshot(): ModelRecord {
    return this.#load();
  }

  // ---- machinery ------------------------------------------------------------------

  /** `model.json`, its shape checked. @throws ModelError `MODEL_CORRUPT` */
  #load(): ModelRecord {
    return checkModelRecord(this.#store.load(), this.#store.file('model.json'));
  }

  /** The values the model knows to be secret (secret config options, registry passwords, secret relation and leader settings). */
  #secrets(): string[] {
    return secretValues(this.#state, Object.fromEntries(Object.values(this.#state.apps).map((app) => [app.name, this.#store.configYaml(app)])));
  }

  /** The endpoints of a deployed application's charm. */
  readonly #endpointsOf = (app: string): CharmEndpoint[] => endpoints(this.#store.metadata(findApp(this.#state, app)));

  async #operation(change: () => Promise<void>): Promise<HookReport[]> {
    const release = await this.#store.lock();
    // The sidecar units' Pebble servers live as long as the operation (sidecar-pebbles.ts).
    const pebbles = new SidecarPebbles({
      modelDir: this.dir,
      unitDir: (unit) => this.#store.unitDir(unit),
      runWorkloads: this.#options.runWorkloads === true,
      // A service's command line may carry a secret (a password option): masked as hook output is.
      log: (unit, line) => this.#store.log({ time: modelTime(this.#state), unit, hook: 'pebble', level: 'INFO', message: maskSecrets(line, this.#secrets()) }),
    });
    let failed = false;
    try {
      this.#state = this.#load();
      await change();
      this.#store.save(this.#state);
      return await this.#settle(pebbles);
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      try {
        await pebbles.stop(this.#state);
      } catch (error) {
        // The operation's own failure is the one to report; a Pebble that would not stop comes second.
        if (!failed) throw error;
      } finally {
        await release();
      }
    }
  }

  /** Applies an operation through the scheduler and carries out its effects. */
  #apply(operation: Operation): void {
    const { record, effects } = transition(this.#state, operation);
    this.#carryOut(record, effects);
  }

  /** Takes the scheduler's next record and carries out its effects on the model folder. */
  #carryOut(record: ModelRecord, effects: readonly Effect[]): void {
    this.#state = record;
    for (const effect of effects) {
      if (effect.type === 'make-storage') makeStorageFolder(this.#store.file(effect.dir), effect.kind, effect.size);
      else if (effect.type === 'remove-storage') rmSync(this.#store.file(effect.dir), { recursive: true, force: true });
      else if (effect.type === 'copy-charm') {
        if (effect.fresh) rmSync(this.#store.unitDir(effect.unit), { recursive: true, force: true });
        copyCharm(this.#store.file(record.apps[effect.app]!.charmDir), this.#store.unitDir(effect.unit));
      }
      else if (effect.type === 'render-manifests') this.#renderManifests(record.apps[effect.app]!);
      else if (effect.type === 'remove-unit-files') {
        rmSync(this.#store.unitDir(effect.unit), { recursive: true, force: true });
        // Its replay records hold config values and relation data: they go with the unit.
        for (const entry of this.#store.readTimeline()) {
          if (entry.kind === 'hook-start' && entry.unit === effect.unit && entry.trace) rmSync(this.#store.file(replayRecordFile(entry.trace)), { force: true });
        }
      }
      else if (effect.type === 'restart-containers') {
        // A new pod: its containers start from their images, Pebble with an empty plan.
        for (const part of ['pebble', 'containers']) rmSync(join(this.#store.unitDir(effect.unit), part), { recursive: true, force: true });
      }
      else this.#store.removeApp(effect.app, effect.charmDir);
    }
  }

  /** Writes an application's manifests: a sidecar application's StatefulSet, or a committed pod spec's objects. */
  #renderManifests(app: AppRecord): void {
    if (!app.sidecar) return this.#store.writeManifests(app);
    const images = Object.fromEntries(Object.entries(app.resources).map(([name, resource]) => [name, resource.image]));
    const rendered = renderSidecarManifests({ app: app.name, scale: app.units.length, containers: app.sidecar.containers, images, stores: app.stores ?? [] });
    mkdirSync(this.#store.file('manifests'), { recursive: true });
    writeFileSync(this.#store.manifestsFile(app.name), rendered.yaml, { mode: 0o600 });
  }

  /** Runs queued hooks, and actions units may run, until there is nothing left to run. */
  async #settle(pebbles: SidecarPebbles): Promise<HookReport[]> {
    const reports: HookReport[] = [];
    const runner = HookRunner.open(this.#store, this.#options.hookEnv);
    try {
      const pick = unitPicker(this.#options.seed === undefined ? undefined : this.#random);
      for (let count = 0; ; count += 1) {
        const runnable = runnableUnits(this.#state);
        // Queued hooks first; then the oldest action a unit may run (scheduler-actions.ts).
        const action = runnable.length === 0 ? nextAction(this.#state) : undefined;
        if (runnable.length === 0 && !action) break;
        if (count >= MAX_HOOKS_PER_SETTLE) throw new ModelError('HOOK_LOOP', `more than ${MAX_HOOKS_PER_SETTLE} hooks in a row: the charms keep triggering each other`);
        if (action) {
          await pebbles.ensure(this.#state, action.unit);
          reports.push(await runAction(runner, action.id, (op) => (this.#apply(op), this.#state), this.#options.onHook));
          this.#store.save(this.#state);
          continue;
        }
        const unit = pick(runnable);
        // A sidecar unit's hooks find their containers' Pebble answering.
        await pebbles.ensure(this.#state, unit);
        this.#apply({ type: 'hook-started', unit });
        // The replayed event is the unit's first hook here: the scheduler queued it on an empty queue.
        const replay = this.#replay?.unit === unit ? this.#replay.record : undefined;
        if (replay) this.#replay = undefined;
        const outcome = await runner.run(this.#state, unit, undefined, replay);
        const commitError = commitProblem(this.#state, unit, outcome.exitCode, outcome.pending.storage);
        this.#apply({
          type: 'hook-exited',
          unit,
          exitCode: outcome.exitCode,
          pending: outcome.pending,
          leaderSettingsChanged: outcome.leaderSettingsChanged,
          statusSet: outcome.statusSet,
          retryHooks: this.#options.automaticallyRetryHooks !== false,
          ...(commitError ? { commitError } : {}),
        });
        runner.finished(this.#state, unit, outcome, commitError);
        const report = { unit, hook: outcome.event.hook, ok: outcome.exitCode === 0 && !commitError, ms: outcome.ms };
        reports.push(report);
        this.#options.onHook?.(report);
        this.#store.save(this.#state);
      }
      this.#apply({ type: 'settled' });
      this.#store.save(this.#state);
    } finally {
      await runner.close();
    }
    return reports;
  }
}

/** A sidecar charm's containers as the model keeps them (metadata checked: resources and stores are declared). */
function sidecarContainers(metadata: CharmMetadata): ContainerRecord[] {
  return Object.entries(metadata.containers ?? {}).map(([name, spec]) => ({
    name,
    ...(spec.resource !== undefined ? { resource: spec.resource } : {}),
    mounts: (spec.mounts ?? []).map((mount) => ({ storage: mount.storage!, location: mount.location! })),
  }));
}

/** Opens a model for tests: a fresh temporary directory unless one is given. */
export async function createModel(options: Partial<ModelOptions> = {}): Promise<LocalModel> {
  return LocalModel.open({ ...options, dir: options.dir ?? mkdtempSync(join(tmpdir(), 'charms-model-')) });
}
