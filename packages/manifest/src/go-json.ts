/**
 * Values printed as Juju's Go code prints them inside its error texts, so that an
 * action's validation error reads byte for byte as `juju run-action` shows it.
 */

/**
 * Go's `json.Marshal`: object keys sorted (Go marshals maps in key order), `<`, `>`, `&`,
 * U+2028 and U+2029 escaped as `\u003c`…, numbers as JavaScript prints them (Go's
 * shortest float form is the same for the values JSON can carry).
 */
export function goJson(value: unknown): string {
  return JSON.stringify(sortKeys(value))
    .replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort(compareUtf8)) sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
  return sorted;
}

/** Go sorts map keys by their bytes (UTF-8), not by UTF-16 code units. */
function compareUtf8(a: string, b: string): number {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return Buffer.compare(x, y);
}

/**
 * gojsonschema's `resultErrorFormatNumber`: an integer as `%d`, anything else as Go's
 * `%g` (shortest digits; exponent form, at least two exponent digits, when the decimal
 * exponent is below -4 or at least 6).
 */
export function goNumber(n: number): string {
  if (Number.isSafeInteger(n)) return String(n);
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : n < 0 ? '-Inf' : 'NaN';
  const [mantissa, exponentText] = n.toExponential().split('e') as [string, string];
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 6) {
    const digits = String(Math.abs(exponent)).padStart(2, '0');
    return `${mantissa}e${exponent < 0 ? '-' : '+'}${digits}`;
  }
  return String(n);
}
