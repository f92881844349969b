import { createHash } from 'node:crypto';

/**
 * A digest of JSON data that does not depend on key order, like the original's md5 of
 * `json.dumps(data, sort_keys=True)`. Used by `dataChanged`.
 */
export function dataHash(data: unknown): string {
  return createHash('sha256').update(stableJson(data)).digest('hex');
}

function stableJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${stableJson(record[key])}`).join(',')}}`;
}
