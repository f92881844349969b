import type { UnitStateSnapshot } from '@charms/reactive';
import { z } from 'zod';
import { StateStoreError } from './state-errors.js';

/** The format marker of a committed state document; a newer format is refused, not guessed at. */
export const STATE_FORMAT = 'charms.unit-state/1';

const documentSchema = z.strictObject({
  format: z.literal(STATE_FORMAT),
  flags: z.record(z.string(), z.unknown()),
  data: z.record(z.string(), z.unknown()),
});

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
  const parsed = documentSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw corrupt(location, `it is not a ${STATE_FORMAT} document (${issue.path.join('.') || 'top level'}: ${issue.message})`);
  }
  return { flags: parsed.data.flags, data: parsed.data.data };
}

function corrupt(location: string, why: string): StateStoreError {
  return new StateStoreError(
    'STATE_CORRUPT',
    location,
    `the unit state in ${location} cannot be used: ${why}. It was left untouched and the hook stopped, so that no flag is silently lost. ` +
      `Restore it from a backup, or remove it to start this unit again from empty state (every flag and once-mark is forgotten).`,
  );
}
