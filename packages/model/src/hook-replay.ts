/**
 * `charms replay`: what a hook saw when it started, kept beside its trace
 * (`traces/<n>.context.json`), and the view of the model that gives a replayed hook that
 * context again. As `jhack replay` re-emits a recorded event on the live unit with its
 * recorded environment, a replay runs as a new hook of the unit and commits like any
 * hook; what it reads of config and relation data is what the original read.
 *
 * Recorded: the event (hook name, relation id, remote unit and app, departing unit: the
 * environment Juju sets from them), the application's config as the user had set it, and
 * the data bags of every relation of the application. Not recorded: the unit's flags and
 * key-value data (a replay reacts to today's), leader settings, resources.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { ModelError } from './model-errors.js';
import type { AppRecord, HookEvent, ModelRecord, RelationRecord } from './model-state.js';

/** What a hook saw when it started. */
export interface HookReplayRecord {
  readonly version: 1;
  readonly unit: string;
  readonly event: HookEvent;
  /** The config values the user had set (config.yaml's defaults come from the charm a replay runs). */
  readonly config: Readonly<Record<string, unknown>>;
  /** Each relation of the application: its id and every data bag, by unit or application name. */
  readonly relations: readonly { readonly id: number; readonly data: Readonly<Record<string, Readonly<Record<string, string>>>> }[];
}

const recordSchema = z.object({
  version: z.literal(1),
  unit: z.string(),
  event: z.looseObject({ hook: z.string(), relationId: z.number().optional(), remoteUnit: z.string().optional(), remoteApp: z.string().optional(), departingUnit: z.string().optional() }),
  config: z.record(z.string(), z.unknown()),
  relations: z.array(z.object({ id: z.number(), data: z.record(z.string(), z.record(z.string(), z.string())) })),
});

/** The record's file for a hook's trace file (`traces/7.json` → `traces/7.context.json`). */
export function replayRecordFile(traceFile: string): string {
  return traceFile.replace(/\.json$/, '.context.json');
}

/**
 * Keeps what `unit`'s hook sees as it starts. Config values and relation data may be
 * secrets: the file is the owner's alone, as `model.json`, which holds the same values.
 */
export function recordHookContext(file: string, model: ModelRecord, app: AppRecord, unit: string, event: HookEvent): void {
  const record: HookReplayRecord = {
    version: 1,
    unit,
    event: { ...event },
    config: structuredClone(app.config),
    relations: model.relations.filter((r) => r.ends.some((end) => end.app === app.name)).map((r) => ({ id: r.id, data: structuredClone(r.data) })),
  };
  writeFileSync(file, `${JSON.stringify(record)}\n`, { mode: 0o600 });
}

/**
 * Reads a hook's record.
 * @throws ModelError `NOT_FOUND` when the hook has none (it ran before the model kept
 *   them, or its files were removed); `MODEL_CORRUPT` for a file of the wrong shape.
 */
export function readReplayRecord(file: string, what: string): HookReplayRecord {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new ModelError('NOT_FOUND', `${what} has no recorded context (${file}): it ran before the model recorded hooks for replay; only hooks run since can be replayed`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ModelError('MODEL_CORRUPT', `${file}: not JSON (${(error as Error).message}); remove the file, the hook can then not be replayed`);
  }
  const checked = recordSchema.safeParse(parsed);
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    throw new ModelError('MODEL_CORRUPT', `${file}: ${issue.path.join('.') || '(top)'}: ${issue.message}; remove the file, the hook can then not be replayed`);
  }
  return checked.data as HookReplayRecord;
}

/**
 * The model as a replayed hook sees it: reads of the application's config and of the
 * recorded relations' data give the recorded values; everything else, and every write
 * (status, leader settings, version), goes to the live records, so the hook's effects
 * land where any hook's do. A relation removed since reads as it is now (gone).
 */
export function replayView(model: ModelRecord, app: AppRecord, record: HookReplayRecord): { model: ModelRecord; app: AppRecord } {
  const config = structuredClone(record.config) as Record<string, unknown>;
  const appView = new Proxy(app, { get: (target, key, receiver) => (key === 'config' ? config : Reflect.get(target, key, receiver)) });
  const recorded = new Map(record.relations.map((r) => [r.id, structuredClone(r.data) as RelationRecord['data']]));
  const relationView = (relation: RelationRecord): RelationRecord => {
    const data = recorded.get(relation.id);
    return data ? new Proxy(relation, { get: (target, key, receiver) => (key === 'data' ? data : Reflect.get(target, key, receiver)) }) : relation;
  };
  const apps = new Proxy(model.apps, { get: (target, key, receiver) => (key === app.name ? appView : Reflect.get(target, key, receiver)) });
  const modelView = new Proxy(model, {
    get: (target, key, receiver) => {
      if (key === 'apps') return apps;
      if (key === 'relations') return target.relations.map(relationView);
      return Reflect.get(target, key, receiver);
    },
  });
  return { model: modelView, app: appView };
}
