/**
 * JSON as Python's `json` module writes and reads it, for relation data that Python
 * charms share: `json.dumps(value, sort_keys=True)` puts `", "` between items and
 * `": "` after keys, sorts object keys and escapes every character outside printable
 * ASCII as `\uXXXX`; `json.loads` also accepts `NaN`, `Infinity` and `-Infinity`.
 */
import { EndpointError } from './endpoint-error.js';

const ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

/**
 * The bytes of Python's `json.dumps(value, sort_keys=True)`. Integers and strings,
 * lists and objects come out identical; a float that happens to be whole (`1.0`) is
 * written `1`, since JavaScript cannot tell it from an integer.
 * @throws EndpointError `NOT_JSON_VALUE` for a value JSON cannot hold (a function, a
 * symbol, a bigint), where Python raises TypeError.
 */
export function pythonJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (Number.isNaN(value)) return 'NaN';
      if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
      return String(value);
    case 'string':
      return quote(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
      const record = value as Record<string, unknown>;
      if (typeof (record as { toJSON?: unknown }).toJSON === 'function') return pythonJsonDumps((record as { toJSON(): unknown }).toJSON());
      const keys = Object.keys(record).filter((key) => record[key] !== undefined).sort();
      return `{${keys.map((key) => `${quote(key)}: ${pythonJsonDumps(record[key])}`).join(', ')}}`;
    }
    default:
      throw new EndpointError(
        'NOT_JSON_VALUE',
        `a ${typeof value} cannot be written as JSON: give relation data strings, numbers, booleans, null, arrays or plain objects (convert a bigint with String(value))`,
      );
  }
}

function quote(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i]!;
    const code = text.charCodeAt(i);
    if (ESCAPES[char] !== undefined) out += ESCAPES[char];
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += char;
  }
  return `${out}"`;
}

/**
 * What Python's `json.loads(text)` gives, or `undefined` when it would raise.
 */
export function pythonJsonLoads(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const bare = text.trim();
    if (bare === 'NaN') return Number.NaN;
    if (bare === 'Infinity') return Number.POSITIVE_INFINITY;
    if (bare === '-Infinity') return Number.NEGATIVE_INFINITY;
    return undefined;
  }
}
