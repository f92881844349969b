import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { effectiveConfig, endpoints } from '@charms/manifest';
import { actionQueued, runAction } from './action-specs.js';
import { deployOperation, upgradeOperation } from './charm-operations.js';
import { installCharm, withStagedCharm } from './charm-staging.js';
import { matchEndpoints } from './endpoint-match.js';
import { charmHookNames } from './hook-names.js';
import { HookRunner } from './hook-runner.js';
import { MODEL_VARIABLES } from './hook-environment.js';
import { maskSecrets, secretValues } from './log-masking.js';
import { ModelError } from './model-errors.js';
import { carryOutEffects } from './model-effects.js';
import type { DeployOptions, HookReport, ModelOptions } from './model-options.js';
import { ModelReader } from './model-reader.js';
import { QueuedReplay, recordedHook } from './model-replay.js';
import { emptyModel, findApp, findUnit, modelTime, sameRelation, type ActionRecord, type ModelRecord } from './model-state.js';
import { addStorageTo } from './model-storage.js';
import { ModelStore } from './model-store.js';
import type { ResourceValue } from './resource-values.js';
import { nextAction } from './scheduler-actions.js';
import { runnableUnits, seededRandom, transition, unitPicker } from './scheduler.js';
import type { CharmEndpoint, Effect, Operation } from './scheduler-operations.js';
import { commitProblem } from './scheduler-storage.js';
import { writeShims } from './shim-server.js';
import { SidecarPebbles } from './sidecar-pebbles.js';

export type { LogEntry, TimelineEntry } from './model-store.js';
export type { ActionSpec } from './action-specs.js';
export type { StorageListing, StorageInstanceListing, StorageBackingListing } from './storage-listing.js';
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
 * charms, carries out the scheduler's effects on the store (model-effects.ts) and runs
 * the queued hooks. The readers (status, log, timeline, …) are `ModelReader`'s
 * (model-reader.ts), which read the committed files and take no lock.
 */
export class LocalModel extends ModelReader {
  readonly #options: ModelOptions;
  readonly #store: ModelStore;
  /** The record of the running operation; between operations, the last one committed. */
  #state: ModelRecord = emptyModel();
  readonly #random: () => number;

  private constructor(options: ModelOptions, store = new ModelStore(options.dir)) {
    super(store);
    this.#store = store;
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
    model.#state = model.snapshot();
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
      withStagedCharm(this.dir, source, (staged) => {
        const operation = deployOperation(this.#state, this.dir, staged, options);
        const { record, effects } = transition(this.#state, operation);
        installCharm(staged.charmDir, this.#store.file(operation.charmDir));
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
      await withStagedCharm(this.dir, source, (staged) => {
        const next = transition(this.#state, upgradeOperation(this.#state, app, source, staged));
        installCharm(staged.charmDir, this.#store.file(record.charmDir));
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
      added = addStorageTo(this.#state, this.#applied, unit, directives);
    });
    return { added, reports };
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
    const record = recordedHook(this.timeline(unit), unit, index, (path) => this.#store.file(path));
    return this.#operation(async () => this.#apply({ type: 'replay', unit, event: record.event }), new QueuedReplay(unit, record));
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

  /**
   * Deletes the model's folder: its charms, units, state, logs and manifests. For the
   * temporary models of tests; waits for an operation another process is running.
   */
  async destroy(): Promise<void> {
    await this.#store.destroy();
  }

  // ---- machinery ------------------------------------------------------------------

  /** The values the model knows to be secret (secret config options, registry passwords, secret relation and leader settings). */
  #secrets(): string[] {
    return secretValues(this.#state, Object.fromEntries(Object.values(this.#state.apps).map((app) => [app.name, this.#store.configYaml(app)])));
  }

  /** The endpoints of a deployed application's charm. */
  readonly #endpointsOf = (app: string): CharmEndpoint[] => endpoints(this.#store.metadata(findApp(this.#state, app)));

  /** Applies `op` (a scheduler operation) inside the running operation and returns the next record. */
  readonly #applied = (op: Operation): ModelRecord => (this.#apply(op), this.#state);

  /**
   * Runs `change` on the committed record under the model's lock, commits it, then settles:
   * runs the hooks and actions it queued. `replay` is the record a `replay` queued, for its
   * unit's first hook of this operation.
   */
  async #operation(change: () => Promise<void>, replay?: QueuedReplay): Promise<HookReport[]> {
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
      this.#state = this.snapshot();
      await change();
      this.#store.save(this.#state);
      return await this.#settle(pebbles, replay);
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
    carryOutEffects(this.#store, record, effects);
  }

  /** Queues a hook for each custom notice `unit`'s containers added while its hook or action ran. */
  #queueNotices(pebbles: SidecarPebbles, unit: string): void {
    const notices = pebbles.newNotices(unit);
    if (notices.length > 0) this.#apply({ type: 'pebble-notices', unit, notices });
  }

  /** Runs queued hooks, and actions units may run, until there is nothing left to run. */
  async #settle(pebbles: SidecarPebbles, queuedReplay: QueuedReplay | undefined): Promise<HookReport[]> {
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
          reports.push(await runAction(runner, action.id, this.#applied, this.#options.onHook));
          this.#queueNotices(pebbles, action.unit);
          this.#store.save(this.#state);
          continue;
        }
        const unit = pick(runnable);
        // A sidecar unit's hooks find their containers' Pebble answering.
        await pebbles.ensure(this.#state, unit);
        this.#apply({ type: 'hook-started', unit });
        const replay = queuedReplay?.take(unit);
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
        this.#queueNotices(pebbles, unit);
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

/** Opens a model for tests: a fresh temporary directory unless one is given. */
export async function createModel(options: Partial<ModelOptions> = {}): Promise<LocalModel> {
  return LocalModel.open({ ...options, dir: options.dir ?? mkdtempSync(join(tmpdir(), 'charms-model-')) });
}
