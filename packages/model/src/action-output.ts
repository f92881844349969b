/**
 * An action as `juju show-action-output` and `juju run-action --wait` print it in 2.9
 * (cmd/juju/action/common.go FormatActionResult with compat=true, ConvertActionOutput):
 * `UnitId`, `id`, `message` when not empty, `results` when the stored results are not
 * empty, `status`, `timing` with the times that are set, `log` when action-log was used.
 */
import type { ActionRecord } from './model-state.js';

/** The document Juju's CLI prints for one action; keys in Juju's (sorted) order. */
export interface ActionOutput {
  readonly UnitId: string;
  readonly id: string;
  readonly log?: readonly string[];
  readonly message?: string;
  readonly results?: Record<string, unknown>;
  readonly status: string;
  readonly timing?: { readonly completed?: string; readonly enqueued?: string; readonly started?: string };
}

/**
 * `action` as Juju's CLI shows it. The stored results become what the CLI shows: `Code`
 * is dropped and comes back as `ReturnCode` (a number) only when not 0; `Stdout` and
 * `Stderr` stay when not empty (CRLF as LF); action-set's keys stay as they are. Times
 * are Go's `time.Time.String()` in UTC, to the second.
 */
export function actionOutput(action: ActionRecord): ActionOutput {
  const stored = action.results;
  const results: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(stored)) {
    if (key === 'Code') continue;
    if (key === 'Stdout' || key === 'Stderr') {
      if (value !== '') results[key] = String(value).replace(/\r\n/g, '\n');
    } else results[key] = value;
  }
  const code = Number(stored.Code ?? 0);
  if (code !== 0) results.ReturnCode = code;
  const timing = {
    ...(action.completed ? { completed: goTime(action.completed) } : {}),
    enqueued: goTime(action.enqueued),
    ...(action.started ? { started: goTime(action.started) } : {}),
  };
  return {
    UnitId: action.unit,
    id: action.id,
    ...(action.log.length > 0 ? { log: action.log.map((entry) => `${goTime(entry.time)} ${entry.message}`) } : {}),
    ...(action.message !== '' ? { message: action.message } : {}),
    ...(Object.keys(stored).length > 0 ? { results } : {}),
    status: action.status,
    timing,
  };
}

/** An ISO time as Go's `time.Time.String()` prints a UTC time to the second: `2026-01-01 00:00:05 +0000 UTC`. */
export function goTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} +0000 UTC`;
}
