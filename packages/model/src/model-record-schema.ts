/**
 * The shape of `model.json`, checked when the model reads a text of it that it did not
 * write or check itself (model-store.ts), so that a file of the wrong shape (valid JSON,
 * edited by hand or written by something else) is refused with the file and the bad key
 * named, instead of failing later inside an operation. The objects are loose: keys the
 * model does not know are kept, as older and newer models add fields.
 *
 * The schema is built on the first check, not on import: a command on a model it made
 * itself (a deploy on a new folder) never needs it (issue 20).
 */
import { z } from 'zod';
import { ModelError } from './model-errors.js';
import type { ModelRecord } from './model-state.js';

/** The schema of a model record; see the module's comment. */
function buildModelRecordSchema() {
  const status = z.looseObject({ status: z.string(), message: z.string(), since: z.string() });
  const hookEvent = z.looseObject({
    hook: z.string(),
    relationId: z.number().optional(),
    remoteUnit: z.string().optional(),
    remoteApp: z.string().optional(),
    departingUnit: z.string().optional(),
    storageId: z.string().optional(),
    workload: z.string().optional(),
    notice: z.looseObject({ id: z.string(), type: z.string(), key: z.string() }).optional(),
    checkName: z.string().optional(),
  });
  const unit = z.looseObject({
    name: z.string(),
    workload: status,
    agent: status,
    error: hookEvent.optional(),
    retryAt: z.number().optional(),
    retryDelay: z.number().optional(),
    queue: z.array(hookEvent),
    controllerState: z.record(z.string(), z.string()),
    openedPorts: z.array(z.string()),
    installed: z.boolean().optional(),
    statusSet: z.boolean().optional(),
  });
  const app = z.looseObject({
    name: z.string(),
    charm: z.string(),
    charmDir: z.string(),
    revision: z.number(),
    config: z.record(z.string(), z.unknown()),
    resources: z.record(z.string(), z.looseObject({ image: z.string(), username: z.string(), password: z.string(), revision: z.number() })),
    units: z.array(unit),
    nextUnit: z.number().int().nonnegative(),
    leader: z.string().optional(),
    leaderSettings: z.record(z.string(), z.string()),
    dying: z.boolean().optional(),
    stores: z
      .array(z.looseObject({ name: z.string(), type: z.enum(['filesystem', 'block']), location: z.string().optional(), size: z.number(), count: z.looseObject({ min: z.number().int(), max: z.number().int() }) }))
      .optional(),
    container: z.boolean().optional(),
    sidecar: z
      .looseObject({
        containers: z.array(z.looseObject({ name: z.string(), resource: z.string().optional(), mounts: z.array(z.looseObject({ storage: z.string(), location: z.string() })) })),
        runWorkloads: z.boolean().optional(),
      })
      .optional(),
  });
  const end = z.looseObject({ app: z.string(), endpoint: z.string(), role: z.enum(['provides', 'requires', 'peers']) });
  const relation = z.looseObject({
    id: z.number(),
    interface: z.string(),
    ends: z.tuple([end, end]),
    data: z.record(z.string(), z.record(z.string(), z.string())),
    joined: z.record(z.string(), z.array(z.string())),
    members: z.array(z.string()).optional(),
    inScope: z.record(z.string(), z.array(z.string())).optional(),
    dying: z.boolean().optional(),
  });
  const action = z.looseObject({
    id: z.string(),
    operation: z.string(),
    unit: z.string(),
    name: z.string(),
    params: z.record(z.string(), z.unknown()),
    status: z.enum(['pending', 'running', 'completed', 'failed', 'error']),
    message: z.string(),
    results: z.record(z.string(), z.unknown()),
    log: z.array(z.looseObject({ time: z.string(), message: z.string() })),
    enqueued: z.string(),
    started: z.string().optional(),
    completed: z.string().optional(),
  });
  const storage = z.looseObject({
    id: z.string(),
    store: z.string(),
    kind: z.enum(['filesystem', 'block']),
    unit: z.string(),
    pool: z.string(),
    size: z.number(),
    dir: z.string(),
    mountPoint: z.string().optional(),
    hooked: z.boolean(),
    dying: z.boolean().optional(),
    since: z.string(),
  });
  return z.looseObject({
    version: z.literal(1),
    apps: z.record(z.string(), app),
    relations: z.array(relation),
    nextRelationId: z.number().int().nonnegative(),
    clock: z.number(),
    hookCounter: z.number().int().nonnegative(),
    unitSequences: z.record(z.string(), z.number().int().nonnegative()).optional(),
    nextTask: z.number().int().positive().optional(),
    actions: z.array(action).optional(),
    storage: z.array(storage).optional(),
    nextStorage: z.number().int().nonnegative().optional(),
  });
}

let modelRecordSchema: ReturnType<typeof buildModelRecordSchema> | undefined;

/** A key path as `apps.kv.units[0].queue`. */
function where(path: readonly PropertyKey[]): string {
  if (path.length === 0) return 'the model record';
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`)).join('');
}

/**
 * `value` (parsed from `file`) as a `ModelRecord`.
 * @throws ModelError `MODEL_CORRUPT` naming the file, with one problem per bad key.
 */
export function checkModelRecord(value: unknown, file: string): ModelRecord {
  modelRecordSchema ??= buildModelRecordSchema();
  const result = modelRecordSchema.safeParse(value);
  if (result.success) return value as ModelRecord;
  const problems = result.error.issues.slice(0, 10).map((issue) => `${where(issue.path)}: ${issue.message}`);
  throw new ModelError('MODEL_CORRUPT', `${file} is not a model record of this version: it was left as it is; move it away to start an empty model`, problems);
}
