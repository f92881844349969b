/**
 * The model's folder: the lock, `model.json` (written atomically), the log and the
 * timeline, each application's charm and manifests, each unit's folder.
 */
import { appendFileSync, chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { loadConfigYaml, loadMetadata, type CharmConfigYaml, type CharmMetadata } from '@charms/manifest';
import lockfile from 'proper-lockfile';
import { renderManifests, type RenderedManifests, type RenderInput } from './manifests.js';
import { ModelError } from './model-errors.js';
import { checkModelRecord } from './model-record-schema.js';
import { emptyModel, type AppRecord, type ModelRecord } from './model-state.js';
import { replaceFile } from '@charms/hooktools/internal';
import { endsWithNewline } from './durable-files.js';
import { endGroup, isAlive, thisProcess, type ProcessIdentity } from './process-groups.js';
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

/** Who holds the model's lock: written beside it (`model.lock.holder`) once it is taken. */
export interface LockHolder extends ProcessIdentity {
  /** The holder's command line (`charms config minio …`). */
  readonly command: string;
  /** When it took the lock (real time, ISO). */
  readonly since: string;
  /** The inode of the lock folder it made: a lock taken over from it is another folder. */
  readonly ino?: number;
}

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

export interface ModelStoreOptions {
  /** Told once when the lock is held by another process and this one waits; by default a line on stderr. */
  readonly onWait?: (holder: LockHolder | undefined) => void;
  /** How long to wait for the lock before giving up (ms; default 120000). */
  readonly lockTimeout?: number;
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
  /**
   * Charm files as parsed (metadata.yaml, config.yaml), by path, with the file's identity
   * when it was read: a deploy reads its charm's metadata for the pod-spec-set check, the
   * commit's manifests and the status; a file is parsed again only when it changed (an
   * upgrade replaces it). Callers only read what they are given.
   */
  readonly #parsed = new Map<string, { readonly identity: string; readonly value: unknown }>();
  /** The last successful `render`, with what it was made from. */
  #lastRender: { readonly metadata: CharmMetadata; readonly input: RenderInput; readonly rendered: RenderedManifests } | undefined;

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
   * Takes the model's lock: one process at a time changes the model. While another
   * process holds it, this one says so once (`onWait`) and waits; a lock whose holder has
   * died is taken over at once. Once taken, hooks left running by a command that died
   * are ended (`recoverHooks`).
   * @throws ModelError `MODEL_LOCKED` after `lockTimeout`, naming the holder (pid, command, age).
   */
  async lock(): Promise<() => Promise<void>> {
    const lockPath = this.file('model.lock');
    const timeout = this.#options.lockTimeout ?? 120_000;
    const started = Date.now();
    let told = false;
    let release: () => Promise<void>;
    for (let attempt = 0; ; attempt += 1) {
      try {
        release = await lockfile.lock(this.dir, { lockfilePath: lockPath, retries: 0 });
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
      }
      const holder = this.lockHolder();
      if (holder && !isAlive(holder) && this.#takeOver(holder)) continue;
      if (Date.now() - started >= timeout) {
        throw new ModelError('MODEL_LOCKED', `the model ${this.dir} is locked by ${describeHolder(holder)}; waited ${Math.round((Date.now() - started) / 1000)} s. Wait for that command to finish, or stop it.`);
      }
      if (!told) {
        told = true;
        (this.#options.onWait ?? ((h) => process.stderr.write(`waiting for the model lock, held by ${describeHolder(h)}\n`)))(holder);
      }
      await new Promise((done) => setTimeout(done, Math.min(50 * 2 ** Math.min(attempt, 4), 500)));
    }
    let ino: number | undefined;
    try {
      ino = statSync(lockPath).ino;
    } catch {
      ino = undefined;
    }
    this.#whole.clear();
    // Another command may have written model.json since this store last did.
    this.#written = undefined;
    replaceFile(this.file('model.lock.holder'), JSON.stringify({ ...thisProcess(), command: commandLine(), since: new Date().toISOString(), ...(ino ? { ino } : {}) } satisfies LockHolder));
    try {
      await this.recoverHooks();
    } catch (error) {
      await release();
      throw error;
    }
    return async () => {
      rmSync(this.file('model.lock.holder'), { force: true });
      await release();
    };
  }

  /** Who holds the lock (as it wrote when it took it), or undefined. */
  lockHolder(): LockHolder | undefined {
    try {
      return JSON.parse(readFileSync(this.file('model.lock.holder'), 'utf8')) as LockHolder;
    } catch {
      return undefined;
    }
  }

  /**
   * Removes the lock of a dead holder, unless another process took it meanwhile: the lock
   * folder is first renamed aside (atomic), then checked to be the dead holder's by its inode.
   */
  #takeOver(holder: LockHolder): boolean {
    const lockPath = this.file('model.lock');
    const aside = this.file(`model.lock.stale.${process.pid}`);
    try {
      if (holder.ino !== undefined && statSync(lockPath).ino !== holder.ino) return false;
      renameSync(lockPath, aside);
    } catch {
      return false;
    }
    if (holder.ino !== undefined && statSync(aside).ino !== holder.ino) {
      // Another process's lock, taken between the check and the rename: give it back.
      try {
        renameSync(aside, lockPath);
      } catch {
        rmdirSync(aside);
      }
      return false;
    }
    rmSync(aside, { recursive: true, force: true });
    if (JSON.stringify(this.lockHolder()) === JSON.stringify(holder)) rmSync(this.file('model.lock.holder'), { force: true });
    return true;
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
    return this.#parse(this.file(app.charmDir, 'metadata.yaml'), () => loadMetadata(this.file(app.charmDir)));
  }

  configYaml(app: AppRecord): CharmConfigYaml | undefined {
    return this.#parse(this.file(app.charmDir, 'config.yaml'), () => loadConfigYaml(this.file(app.charmDir)));
  }

  /** The file at `path` as `parse` reads it, parsed again only when the file changed (`#parsed`). */
  #parse<T>(path: string, parse: () => T): T {
    const found = statSync(path, { throwIfNoEntry: false });
    const identity = found ? `${found.dev}:${found.ino}:${found.size}:${found.mtimeMs}:${found.ctimeMs}` : 'missing';
    const known = this.#parsed.get(path);
    if (known?.identity === identity) return known.value as T;
    const value = parse();
    this.#parsed.set(path, { identity, value });
    return value;
  }

  /**
   * Renders a pod spec for `app` at its scale, with its charm's storage and deployment type.
   * The last rendering is kept: the commit writes the manifests of the spec pod-spec-set
   * has just checked, from the same inputs.
   */
  render(app: AppRecord, spec: string, k8sResources: string | undefined): RenderedManifests {
    const metadata = this.metadata(app) as CharmMetadata & { storage?: Record<string, { type?: string; location?: string; 'minimum-size'?: string }> };
    const input = { app: app.name, scale: app.units.length, spec, k8sResources, storage: metadata.storage, deploymentType: metadata.deployment?.type };
    const last = this.#lastRender;
    // The same metadata object is the same parse of an unchanged file (#parse).
    if (last && last.metadata === metadata && last.input.app === input.app && last.input.scale === input.scale && last.input.spec === spec && last.input.k8sResources === k8sResources) {
      return last.rendered;
    }
    const rendered = renderManifests(input);
    this.#lastRender = { metadata, input, rendered };
    return rendered;
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

function describeHolder(holder: LockHolder | undefined): string {
  if (!holder) return 'another process (it has not said which)';
  const age = Math.max(0, Math.round((Date.now() - Date.parse(holder.since)) / 1000));
  return `pid ${holder.pid} (${holder.command}) for ${age} s`;
}

/** The program and its first argument (`charms.mjs config`): later arguments may hold secrets. */
function commandLine(): string {
  const [, script, first] = process.argv;
  return [script ? basename(script) : basename(process.argv0), ...(first && !first.includes('=') ? [first.slice(0, 40)] : [])].join(' ');
}
