import type { UnitStateSnapshot } from '@charms/reactive';
import { StateStoreError } from './state-errors.js';

/** The format marker of a committed state document; a newer format is refused, not guessed at. */
export const STATE_FORMAT = 'charms.unit-state/1';


/** The text committed for a snapshot. */
export function serializeState(snapshot: UnitStateSnapshot): string {
  return `${JSON.stringify({ format: STATE_FORMAT, flags: snapshot.flags, data: snapshot.data })}\n`;
}

/**
 * Reads committed state text.
 * @throws StateStoreError (`STATE_CORRUPT`) naming `location`, for anything but a whole document.
 */
export function parseState(text: string, location: string): UnitStateSnapshot {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw corrupt(location, `it is not valid JSON (${(error as Error).message}); it may have been truncated`);
  }
  const problem = documentProblem(json);
  if (problem) throw corrupt(location, `it is not a ${STATE_FORMAT} document (${problem})`);
  const document = json as { flags: Record<string, unknown>; data: Record<string, unknown> };
  return { flags: document.flags, data: document.data };
}

/**
 * What is wrong with a parsed document, if anything: exactly the keys format, flags and
 * data, the format marker, and two JSON objects. Checked by hand rather than with a
 * schema library, because every hook reads its state and loading one costs more.
 */
function documentProblem(json: unknown): string | undefined {
  const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
  if (!isObject(json)) return 'top level: not an object';
  const extra = Object.keys(json).filter((key) => !['format', 'flags', 'data'].includes(key));
  if (extra.length > 0) return `top level: unknown key ${extra.join(', ')}`;
  if (json.format !== STATE_FORMAT) return `format: ${JSON.stringify(json.format)} is not ${JSON.stringify(STATE_FORMAT)}`;
  for (const key of ['flags', 'data']) if (!isObject(json[key])) return `${key}: not an object`;
  return undefined;
}

function corrupt(location: string, why: string): StateStoreError {
  return new StateStoreError(
    'STATE_CORRUPT',
    location,
    `the unit state in ${location} cannot be used: ${why}. It was left untouched and the hook stopped, so that no flag is silently lost. ` +
      `Restore it from a backup, or remove it to start this unit again from empty state (every flag and once-mark is forgotten).`,
  );
}
