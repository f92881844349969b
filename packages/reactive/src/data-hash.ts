import type * as Crypto from 'node:crypto';
import { createRequire } from 'node:module';

// node:crypto is loaded on the first hash, not with the package: loading it costs a
// hook several milliseconds, and most hooks compare no data.
let crypto: typeof Crypto | undefined;

/**
 * A digest of JSON data that does not depend on key order, like the original's md5 of
 * `json.dumps(data, sort_keys=True)`. Used by `dataChanged`.
 */
export function dataHash(data: unknown): string {
  crypto ??= createRequire(import.meta.url)('node:crypto') as typeof Crypto;
  return crypto.createHash('sha256').update(stableJson(data)).digest('hex');
}

function stableJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${stableJson(record[key])}`).join(',')}}`;
}
