/**
 * The model's folder: the lock, `model.json` (written atomically), the log and the
 * timeline, each application's charm and manifests, each unit's folder.
 */
import { appendFileSync, chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { CharmConfigYaml, CharmMetadata } from '@charms/manifest';
import { lockHolder, takeModelLock, type LockHolder, type LockOptions } from './model-lock.js';
import { CharmFileCache } from './charm-file-cache.js';
import type { RenderedManifests } from './manifests.js';
import { ModelError } from './model-errors.js';
import { checkModelRecord } from './model-record-schema.js';
import { emptyModel, type AppRecord, type ModelRecord } from './model-state.js';
import { replaceFile } from '@charms/hooktools/internal';
import { endsWithNewline } from './durable-files.js';
import { endGroup, isAlive, type ProcessIdentity } from './process-groups.js';
import { endLeftovers, PROCESS_RECORD } from './pebble-leftovers.js';

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
  /** On the hook-start of an action (hook `actions/<name>`): the action's id. */
  readonly action?: string;
  /**
   * On hook-start: the hook's process was started while the hook before it ran, and
   * waited at its gate until now (hook-prestart.ts); its `ms` count from now.
   */
  readonly prestarted?: boolean;
  readonly tool?: string;
  readonly argv?: readonly string[];
  readonly exitCode?: number;
  /**
   * On a discard of a hook or action that exited 0: why Juju would not commit its changes
   * (`cannot apply changes: …`, a storage-add over the charm's limits).
   */
  readonly commitError?: string;
  /** Real milliseconds (not the virtual clock). */
  readonly ms?: number;
}

export type { LockHolder } from './model-lock.js';

/**
 * A hook that is running, recorded before it may start (`run/hook.<pgid>.json`): the
 * command that runs it, and the hook's own process group, which the next command ends
 * if that command died.
 */
export interface HookRecord {
  readonly contextId: string;
  readonly unit: string;
  readonly hook: string;
  /** The hook's process group (its dispatch was started as the group's leader). */
  readonly pgid: number;
  /** The command that runs the hook. */
  readonly owner: ProcessIdentity;
}

export interface ModelStoreOptions extends LockOptions {
  /** Told of a damaged line skipped in log.jsonl or timeline.jsonl; by default a line on stderr. */
  readonly onWarning?: (message: string) => void;
}

/** The files of one model folder. Every write is the caller's to make under `lock()`. */
export class ModelStore {
  readonly dir: string;
  readonly #options: ModelStoreOptions;
  /** The append-only files checked to end with a whole line since the lock was taken. */
  readonly #whole = new Set<string>();
  /**
   * The text of `model.json` this store last wrote, or read and found of the right shape.
   * Read again unchanged it is not checked again: the same text has the same shape, and
   * the records the model writes are made from checked ones by its own code. A file
   * edited by hand or written by another command is another text, and is checked.
   */
  #knownText: string | undefined;
  /**
   * What this store last wrote to `model.json` since it took the lock, and whether it
   * was flushed to disk: the same text again needs no second write (an operation that
   * settles with nothing left to change saves the record it saved after its last hook).
   */
  #written: { readonly text: string; readonly durable: boolean } | undefined;
  /** The charm files as parsed and the last pod spec rendering, while the files stay the same. */
  readonly #charmFiles = new CharmFileCache();

  constructor(dir: string, options: ModelStoreOptions = {}) {
    this.dir = resolve(dir);
    this.#options = options;
  }

  /** Creates the folder and its `run/` (mode 700), and an empty `model.json` if there is none. */
  prepare(): void {
    mkdirSync(this.dir, { recursive: true });
    // Tool calls pass their arguments and answers (secrets among them) through files here.
    mkdirSync(this.file('run'), { recursive: true, mode: 0o700 });
    chmodSync(this.file('run'), 0o700);
    if (!existsSync(this.file('model.json'))) this.save(emptyModel());
    // Leftovers of a killed commit of model.json.
    for (const name of readdirSync(this.dir)) {
      const pid = /^model\.json\.(\d+)\.tmp$/.exec(name)?.[1];
      if (pid && !isAlive({ pid: Number(pid) })) rmSync(this.file(name), { force: true });
    }
  }

  /** A path inside the model folder. */
  file(...parts: string[]): string {
    return join(this.dir, ...parts);
  }

  /** The folder of a unit (its charm copy, its resources). */
  unitDir(unit: string): string {
    return this.file('units', unit.replace('/', '-'));
  }

  /**
   * Takes the model's lock (model-lock.ts): one process at a time changes the model. Once
   * taken, hooks left running by a command that died are ended (`recoverHooks`).
   * @throws ModelError `MODEL_LOCKED` after `lockTimeout`, naming the holder (pid, command, age).
   */
  async lock(): Promise<() => Promise<void>> {
    const release = await takeModelLock(this.dir, this.#options);
    this.#whole.clear();
    // Another command may have written model.json since this store last did.
    this.#written = undefined;
    try {
      await this.recoverHooks();
    } catch (error) {
      await release();
      throw error;
    }
    return release;
  }

  /** Who holds the lock (as it wrote when it took it), or undefined. */
  lockHolder(): LockHolder | undefined {
    return lockHolder(this.dir);
  }

  /** Records a hook before it may start; see `HookRecord`. */
  recordHook(record: HookRecord): void {
    replaceFile(this.file('run', `hook.${record.pgid}.json`), JSON.stringify(record));
  }

  /** The hook has ended and its process group with it. */
  forgetHook(pgid: number): void {
    rmSync(this.file('run', `hook.${pgid}.json`), { force: true });
  }

  /** The hooks recorded as running. */
  hookRecords(): HookRecord[] {
    const records: HookRecord[] = [];
    for (const name of readdirSync(this.file('run'))) {
      if (!/^hook\.\d+\.json$/.test(name)) continue;
      try {
        records.push(JSON.parse(readFileSync(this.file('run', name), 'utf8')) as HookRecord);
      } catch {
        rmSync(this.file('run', name), { force: true });
      }
    }
    return records;
  }

  /**
   * Ends the hooks whose command died: kills each one's process group (its tool calls are
   * refused anyway: the context ids are not known to any live command), takes the unit's
   * agent out of `executing` (back to its error, or idle), and forgets the record. The
   * hook was not committed and stays queued: it runs again. Called with the lock held.
   * Returns the records it ended.
   */
  async recoverHooks(): Promise<HookRecord[]> {
    const abandoned = this.hookRecords().filter((record) => !isAlive(record.owner));
    if (abandoned.length === 0) return [];
    for (const record of abandoned) await endGroup(record.pgid, record.contextId, record.owner.boot);
    const model = this.load();
    for (const record of abandoned) {
      const unit = model.apps[record.unit.split('/')[0]!]?.units.find((u) => u.name === record.unit);
      if (!unit || unit.agent.status !== 'executing' || unit.agent.message !== `running ${record.hook} hook`) continue;
      const since = unit.agent.since;
      if (unit.error) unit.agent = { status: 'error', message: `hook failed: "${unit.error.hook}"`, since };
      else unit.agent = { status: unit.installed === false ? 'allocating' : 'idle', message: '', since };
    }
    this.save(model);
    for (const record of abandoned) this.forgetHook(record.pgid);
    return abandoned;
  }

  /**
   * The committed record in `model.json`, its shape checked (model-record-schema.ts)
   * unless it is the text this store last wrote or checked.
   * @throws ModelError `MODEL_CORRUPT` when `model.json` cannot be read or parsed, or is not
   *   a model record (naming the file and the bad keys); it is left as it is.
   */
  load(): ModelRecord {
    const file = this.file('model.json');
    let text: string;
    let value: unknown;
    try {
      text = readFileSync(file, 'utf8');
      value = JSON.parse(text);
    } catch (error) {
      throw new ModelError('MODEL_CORRUPT', `cannot read ${file}: ${(error as Error).message}. It was left as it is.`);
    }
    if (text !== this.#written?.text) this.#written = undefined;
    if (text === this.#knownText) return value as ModelRecord;
    const record = checkModelRecord(value, file);
    this.#knownText = text;
    return record;
  }

  /**
   * Writes `model.json` atomically: a temporary file, flushed to disk, renamed over the
   * old one, then the folder flushed, so that after a power loss the model is the old
   * record or the new one. `durable: false` skips the flushes (for a record a power loss
   * makes moot, such as the one saved as a hook starts). A record whose text this store
   * has just written (and flushed, when `durable`) is not written again.
   */
  save(model: ModelRecord, options: { durable?: boolean } = {}): void {
    const text = `${JSON.stringify(model, null, 2)}\n`;
    const durable = options.durable !== false;
    if (this.#written?.text === text && (this.#written.durable || !durable)) return;
    replaceFile(this.file('model.json'), text, { durable });
    this.#written = { text, durable };
    this.#knownText = text;
  }

  log(entry: LogEntry): void {
    this.#append(this.file('log.jsonl'), entry);
  }

  timeline(entry: TimelineEntry): void {
    this.#append(this.file('timeline.jsonl'), entry);
  }

  /** Reads log.jsonl; a damaged line (one torn by a killed command) is skipped with a warning. */
  readLog(): LogEntry[] {
    return this.#readLines<LogEntry>(this.file('log.jsonl'));
  }

  /** Reads timeline.jsonl; a damaged line is skipped with a warning. */
  readTimeline(): TimelineEntry[] {
    return this.#readLines<TimelineEntry>(this.file('timeline.jsonl'));
  }

  /** Appends one JSON line; after a command killed mid-line, the first append starts a new line. */
  #append(path: string, entry: LogEntry | TimelineEntry): void {
    const line = `${JSON.stringify(entry)}\n`;
    if (!this.#whole.has(path)) {
      this.#whole.add(path);
      if (!endsWithNewline(path)) {
        appendFileSync(path, `\n${line}`, { mode: 0o600 });
        return;
      }
    }
    appendFileSync(path, line, { mode: 0o600 });
  }

  #readLines<T>(path: string): T[] {
    if (!existsSync(path)) return [];
    const entries: T[] = [];
    readFileSync(path, 'utf8')
      .split('\n')
      .forEach((line, index) => {
        if (!line) return;
        try {
          entries.push(JSON.parse(line) as T);
        } catch {
          (this.#options.onWarning ?? ((message) => process.stderr.write(`warning: ${message}\n`)))(`${path}:${index + 1}: skipped a damaged line (a command was killed while writing it)`);
        }
      });
    return entries;
  }

  metadata(app: AppRecord): CharmMetadata {
    return this.#charmFiles.metadata(this.file(app.charmDir));
  }

  configYaml(app: AppRecord): CharmConfigYaml | undefined {
    return this.#charmFiles.configYaml(this.file(app.charmDir));
  }

  /** Renders a pod spec for `app` at its scale; the last rendering is kept for the commit (charm-file-cache.ts). */
  render(app: AppRecord, spec: string, k8sResources: string | undefined): RenderedManifests {
    return this.#charmFiles.render(app.name, app.units.length, this.file(app.charmDir), spec, k8sResources);
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
    // Workloads a killed command's Pebble servers left running (their groups outlive it) end with the model.
    for (const file of pebbleProcessRecords(this.file('run', 'pebble'))) endLeftovers(file);
    // Emptied while locked, so no operation can start on a half-deleted model; the lock goes last.
    for (const name of readdirSync(this.dir)) if (name !== 'model.lock' && name !== 'model.lock.holder') rmSync(join(this.dir, name), { recursive: true, force: true });
    await release();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The process records of the Pebble servers under `dir` (`<unit>/<container>/processes.json`). */
function pebbleProcessRecords(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((path) => basename(path) === PROCESS_RECORD).map((path) => join(dir, path));
}
