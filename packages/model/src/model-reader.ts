/**
 * The readers of a model folder: what `LocalModel` answers without the model's lock, each
 * from the files as last committed (`model.json`, the log, the timeline, the charms).
 * `LocalModel` is a `ModelReader` with the operations added; a reader never touches the
 * record a running operation holds, so one called from `onHook` sees the last hook saved.
 */
import { existsSync } from 'node:fs';
import { effectiveConfig } from '@charms/manifest';
import { actionSpecs, type ActionSpec } from './action-specs.js';
import { ModelError } from './model-errors.js';
import { findApp, type ActionRecord, type ModelRecord } from './model-state.js';
import type { LogEntry, ModelStore, TimelineEntry } from './model-store.js';
import { findAction } from './scheduler-actions.js';
import { storageListing, type StorageListing } from './storage-listing.js';
import { modelStatus, relationStatus, type RelationStatus, type StatusJson } from './status.js';

/** The hook-start entries of `unit`'s hooks (not its actions'), in order: hook `n` of the unit is the `n`th. */
export function unitHookStarts(timeline: readonly TimelineEntry[], unit: string): TimelineEntry[] {
  return timeline.filter((entry) => entry.kind === 'hook-start' && entry.unit === unit && entry.action === undefined);
}

/** The readers of the model in a folder (see the module's comment). */
export class ModelReader {
  readonly dir: string;
  readonly #store: ModelStore;

  /** Reads the model folder of `store`. */
  constructor(store: ModelStore) {
    this.#store = store;
    this.dir = store.dir;
  }

  /** The effective config of an application: set values over config.yaml defaults. */
  config(app: string): Record<string, unknown> {
    const record = findApp(this.snapshot(), app);
    return effectiveConfig(this.#store.configYaml(record)?.options, record.config);
  }

  /** The actions of an application's charm, by name, as `juju actions` lists them. */
  actions(app: string): ActionSpec[] {
    return actionSpecs(this.#store.file(findApp(this.snapshot(), app).charmDir));
  }

  /** An action's record (a copy). @throws ModelError `NOT_FOUND` (Juju's texts for a bad or unknown id). */
  action(id: string): ActionRecord {
    return structuredClone(findAction(this.snapshot(), id));
  }

  /**
   * The model's storage as `juju storage --format yaml` shows it: instances, and their
   * filesystems and volumes; times in local time, or in UTC with `utc`.
   */
  storage(options: { utc?: boolean } = {}): StorageListing {
    return storageListing(this.snapshot(), this.dir, options);
  }

  /** `juju status --format json`, in Juju's shape. */
  status(): StatusJson {
    return modelStatus(this.snapshot(), (app) => this.#store.metadata(app));
  }

  /** The relations, each once, as the relation section of `juju status` lists them. */
  relations(): RelationStatus[] {
    return relationStatus(this.snapshot());
  }

  /** The committed pod spec of an application, as YAML text (k8s resources appended). */
  podSpec(app: string): string | undefined {
    const spec = findApp(this.snapshot(), app).podSpec;
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
    return unitHookStarts(this.timeline(unit), unit).map((entry, index) => ({
      index,
      hook: entry.hook,
      ...(entry.trace && existsSync(this.#store.file(entry.trace)) ? { trace: this.#store.file(entry.trace) } : {}),
    }));
  }

  timeline(unit?: string): TimelineEntry[] {
    return this.#store.readTimeline().filter((entry) => !unit || entry.unit === unit || entry.unit.split('/')[0] === unit);
  }

  /**
   * The model's state record as committed (read from disk, a copy of nothing in use), for
   * tools and tests; its shape checked (unless it is the text this model last wrote or checked).
   * @throws ModelError `MODEL_CORRUPT`
   */
  snapshot(): ModelRecord {
    return this.#store.load();
  }
}
