/**
 * Python's `==` and truthiness over JSON values, which layer-basic uses to decide the
 * `config.*` flags: `1 == 1.0`, `True == 1`, `False == 0`, `[] == []`; and `None`,
 * `False`, `0`, `""`, `[]`, `{}` are falsy.
 */

/** Python equality of two JSON values (`undefined` counts as `None`). */
export function pythonEquals(a: unknown, b: unknown): boolean {
  const x = a === undefined ? null : a;
  const y = b === undefined ? null : b;
  if (isNumeric(x) && isNumeric(y)) return Number(x) === Number(y);
  if (x === null || y === null) return x === y;
  if (typeof x !== 'object' || typeof y !== 'object') return x === y;
  if (Array.isArray(x) || Array.isArray(y)) {
    return Array.isArray(x) && Array.isArray(y) && x.length === y.length && x.every((v, i) => pythonEquals(v, y[i]));
  }
  const xk = Object.keys(x as object);
  const yr = y as Record<string, unknown>;
  return (
    xk.length === Object.keys(yr).length &&
    xk.every((key) => Object.hasOwn(yr, key) && pythonEquals((x as Record<string, unknown>)[key], yr[key]))
  );
}

/** Python truthiness of a JSON value. */
export function pythonTruthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

// bool is a subclass of int in Python, so booleans compare as 0 and 1.
function isNumeric(value: unknown): value is number | boolean {
  return typeof value === 'number' || typeof value === 'boolean';
}
