/**
 * The model's folder: the lock, `model.json` (written atomically), the log and the
 * timeline, each application's charm and manifests, each unit's folder.
 */
import { appendFileSync, chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfigYaml, loadMetadata, type CharmConfigYaml, type CharmMetadata } from '@charms/manifest';
import lockfile from 'proper-lockfile';
import { renderManifests, type RenderedManifests } from './manifests.js';
import { ModelError } from './model-errors.js';
import { emptyModel, type AppRecord, type ModelRecord } from './model-state.js';

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

/** The files of one model folder. Every write is the caller's to make under `lock()`. */
export class ModelStore {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  /** Creates the folder and its `run/` (mode 700), and an empty `model.json` if there is none. */
  prepare(): void {
    mkdirSync(this.dir, { recursive: true });
    // Tool calls pass their arguments and answers (secrets among them) through files here.
    mkdirSync(this.file('run'), { recursive: true, mode: 0o700 });
    chmodSync(this.file('run'), 0o700);
    if (!existsSync(this.file('model.json'))) this.save(emptyModel());
  }

  /** A path inside the model folder. */
  file(...parts: string[]): string {
    return join(this.dir, ...parts);
  }

  /** The folder of a unit (its charm copy, its resources). */
  unitDir(unit: string): string {
    return this.file('units', unit.replace('/', '-'));
  }

  /** One process at a time changes the model; others wait (up to about a minute). */
  lock(): Promise<() => Promise<void>> {
    return lockfile.lock(this.dir, { lockfilePath: this.file('model.lock'), retries: { retries: 100, minTimeout: 50, maxTimeout: 500 } });
  }

  /** @throws ModelError `MODEL_CORRUPT` when `model.json` cannot be read or parsed; it is left as it is. */
  load(): ModelRecord {
    try {
      return JSON.parse(readFileSync(this.file('model.json'), 'utf8')) as ModelRecord;
    } catch (error) {
      throw new ModelError('MODEL_CORRUPT', `cannot read ${this.file('model.json')}: ${(error as Error).message}. It was left as it is.`);
    }
  }

  /** Writes `model.json` atomically: a temporary file, then a rename. */
  save(model: ModelRecord): void {
    const temporary = this.file(`model.json.${process.pid}.tmp`);
    writeFileSync(temporary, `${JSON.stringify(model, null, 2)}\n`, { mode: 0o600 });
    renameSync(temporary, this.file('model.json'));
  }

  log(entry: LogEntry): void {
    appendFileSync(this.file('log.jsonl'), `${JSON.stringify(entry)}\n`, { mode: 0o600 });
  }

  timeline(entry: TimelineEntry): void {
    appendFileSync(this.file('timeline.jsonl'), `${JSON.stringify(entry)}\n`, { mode: 0o600 });
  }

  readLog(): LogEntry[] {
    return readLines<LogEntry>(this.file('log.jsonl'));
  }

  readTimeline(): TimelineEntry[] {
    return readLines<TimelineEntry>(this.file('timeline.jsonl'));
  }

  metadata(app: AppRecord): CharmMetadata {
    return loadMetadata(this.file(app.charmDir));
  }

  configYaml(app: AppRecord): CharmConfigYaml | undefined {
    return loadConfigYaml(this.file(app.charmDir));
  }

  /** Renders a pod spec for `app` at its scale, with its charm's storage and deployment type. */
  render(app: AppRecord, spec: string, k8sResources: string | undefined): RenderedManifests {
    const metadata = this.metadata(app) as CharmMetadata & { storage?: Record<string, { type?: string; location?: string; 'minimum-size'?: string }> };
    return renderManifests({ app: app.name, scale: app.units.length, spec, k8sResources, storage: metadata.storage, deploymentType: metadata.deployment?.type });
  }

  /** Writes the committed spec's manifests; pod-spec-set checked that it renders. */
  writeManifests(app: AppRecord): void {
    const rendered = this.render(app, app.podSpec!.spec, app.podSpec!.k8sResources);
    mkdirSync(this.file('manifests'), { recursive: true });
    writeFileSync(this.manifestsFile(app.name), rendered.yaml, { mode: 0o600 });
  }

  manifestsFile(app: string): string {
    return this.file('manifests', `${app}.yaml`);
  }

  /** Deletes a removed application's charm and manifests. */
  removeApp(app: string, charmDir: string): void {
    rmSync(this.file(charmDir), { recursive: true, force: true });
    rmSync(this.manifestsFile(app), { force: true });
  }

  /** Deletes the folder, waiting for an operation another process is running. */
  async destroy(): Promise<void> {
    if (!existsSync(this.dir)) return;
    const release = await this.lock();
    // Emptied while locked, so no operation can start on a half-deleted model; the lock goes last.
    for (const name of readdirSync(this.dir)) if (name !== 'model.lock') rmSync(join(this.dir, name), { recursive: true, force: true });
    await release();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function readLines<T>(path: string): T[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as T);
}
