import { ActionError } from './action-error.js';

// Juju 2.9's action-set rules (docs/explanation/juju-actions-and-storage.md §3.2): each
// dot-separated segment of a key is lowercase alphanumeric with inner hyphens, and the
// segments Juju keeps for the process output are reserved.
const SEGMENT = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
const RESERVED = new Set(['stdout', 'stdout-encoding', 'stderr', 'stderr-encoding']);

/**
 * The results of one action as Juju holds them: nested maps of strings. `set` checks a
 * key as `action-set` does before anything is sent, so a bad key fails where it is set
 * (with the key in the message) rather than later in the tool.
 */
export class ActionResults {
  /** Live: the action context hands out this very object. */
  readonly values: Record<string, unknown> = {};

  /**
   * Sets `key` (dotted keys nest: `a.b` → `{a: {b: …}}`) to `value`, as `action-set` would:
   * strings stay, other scalars are written as JSON text, an object sets one key per leaf.
   * Returns the flat `key → text` pairs to send.
   * @throws ActionError `INVALID_RESULT_KEY` naming the bad segment.
   */
  set(action: string, key: string, value: unknown): Record<string, string> {
    const pairs = flatten(key, value);
    for (const path of Object.keys(pairs)) checkKey(action, path);
    for (const [path, text] of Object.entries(pairs)) {
      const parts = path.split('.');
      let node = this.values;
      for (const part of parts.slice(0, -1)) {
        const next = node[part];
        // A later `a.b` after `a=1` replaces the string with a map, as Juju's addValueToMap does.
        node = (next !== null && typeof next === 'object' ? next : (node[part] = {})) as Record<string, unknown>;
      }
      node[parts.at(-1)!] = text;
    }
    return pairs;
  }
}

function checkKey(action: string, key: string): void {
  for (const segment of key.split('.')) {
    if (!SEGMENT.test(segment)) {
      throw new ActionError(
        'INVALID_RESULT_KEY',
        action,
        `result key "${key}": "${segment}" must start and end with lowercase alphanumeric, and contain only lowercase alphanumeric and hyphens (Juju's action-set rule)`,
      );
    }
    if (RESERVED.has(segment)) {
      throw new ActionError('INVALID_RESULT_KEY', action, `result key "${key}": "${segment}" is reserved by Juju for the action's output`);
    }
  }
}

function flatten(key: string, value: unknown): Record<string, string> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    return Object.assign({}, ...entries.map(([inner, innerValue]) => flatten(`${key}.${inner}`, innerValue)));
  }
  return { [key]: typeof value === 'string' ? value : JSON.stringify(value) ?? String(value) };
}
