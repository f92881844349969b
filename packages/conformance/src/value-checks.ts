// The small checks the quick fixture checks are made of (fixture-check.ts, result-check.ts).

export type Check = (value: unknown) => boolean;

export function isRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

export function isString(value: unknown): value is string {
  return typeof value === 'string';
}

export function isFlag(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

export function isBoolean(value: unknown): value is boolean {
  return typeof value === 'boolean';
}

export function isInteger(value: unknown): boolean {
  return Number.isSafeInteger(value);
}

export function listOf(value: unknown, check: Check): boolean {
  if (!Array.isArray(value)) return false;
  for (let i = 0; i < value.length; i += 1) if (!check(value[i])) return false;
  return true;
}

export function isStringList(value: unknown): boolean {
  return listOf(value, isString);
}

export function isFlagList(value: unknown): boolean {
  return listOf(value, isFlag);
}

export function isHookPatterns(value: unknown): boolean {
  return typeof value === 'string' || isStringList(value);
}

/** `undefined`, `null`, or what `check` accepts: zod's `.nullable().optional()`. */
export function absentOr(value: unknown, check: Check): boolean {
  return value === undefined || value === null || check(value);
}
