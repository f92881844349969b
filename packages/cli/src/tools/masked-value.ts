import { isSecretName, maskSecrets } from '@charms/model/internal';

/**
 * `value` as an inspection command may print it: under a key whose name says it holds a
 * secret (the model's rule, `isSecretName`), anything but an empty value or a container
 * becomes `***`; every string elsewhere has the known `secrets` (the model's
 * `inspectionSecrets`) replaced by `***`. Objects and arrays are masked leaf by leaf, a
 * leaf taking the name of its nearest key.
 */
export function maskedValue(value: unknown, key: string | undefined, secrets: readonly string[]): unknown {
  if (Array.isArray(value)) return value.map((item) => maskedValue(item, key, secrets));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, maskedValue(item, name, secrets)]));
  }
  if (key !== undefined && isSecretName(key) && value !== null && value !== undefined && value !== '') return '***';
  return typeof value === 'string' ? maskSecrets(value, secrets) : value;
}

/** Each value of `record` masked under its own key. */
export function maskedRecord<T>(record: Readonly<Record<string, T>>, secrets: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, maskedValue(value, key, secrets)]));
}
