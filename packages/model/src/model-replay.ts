/**
 * `LocalModel.replay`'s half outside the lock: which hook of a unit a `charms replay`
 * names, and the record of what it saw (hook-replay.ts keeps and reads those records).
 * The operation itself queues the recorded event and hands the record to the unit's next
 * hook of that operation alone (model.ts, `#settle`).
 */
import { readReplayRecord, replayRecordFile, type HookReplayRecord } from './hook-replay.js';
import { ModelError } from './model-errors.js';
import type { TimelineEntry } from './model-store.js';
import { unitHookStarts } from './model-reader.js';

/**
 * The record of hook `index` of `unit` (as `hooks(unit)` numbers them; negative counts
 * from the end), from the model's timeline; `file` resolves a path of the model folder.
 * @throws ModelError `NOT_FOUND`: no such hook, or it has no record (it ran before the
 *   model kept them, or its record is gone); `MODEL_CORRUPT` for a record of the wrong shape.
 */
export function recordedHook(timeline: readonly TimelineEntry[], unit: string, index: number, file: (path: string) => string): HookReplayRecord {
  const starts = unitHookStarts(timeline, unit);
  const at = index < 0 ? starts.length + index : index;
  const start = starts[at];
  if (!start) {
    const range = starts.length === 0 ? 'it has run none' : `it has 0 to ${starts.length - 1} (charms explain ${unit} N shows one)`;
    throw new ModelError('NOT_FOUND', `unit ${unit} has no hook ${index}: ${range}`);
  }
  const what = `hook ${at} of ${unit} (${start.hook})`;
  if (!start.trace) throw new ModelError('NOT_FOUND', `${what} has no recorded context: it ran before the model recorded hooks for replay`);
  return readReplayRecord(file(replayRecordFile(start.trace)), what);
}

/**
 * A replayed record on its way to the replayed unit's next hook, within the one
 * operation that queued it. The scheduler queued the replayed event on the unit's empty
 * queue, so that hook is the replay; the record is taken once.
 */
export class QueuedReplay {
  readonly #unit: string;
  #record: HookReplayRecord | undefined;

  constructor(unit: string, record: HookReplayRecord) {
    this.#unit = unit;
    this.#record = record;
  }

  /** The record, for the first hook of its unit; undefined for every other hook. */
  take(unit: string): HookReplayRecord | undefined {
    if (unit !== this.#unit) return undefined;
    const record = this.#record;
    this.#record = undefined;
    return record;
  }
}
