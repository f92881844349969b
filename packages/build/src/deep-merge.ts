/**
 * charm-tools' merge of a higher layer's YAML over a lower one's: maps merge key by key
 * (when the lower value is a non-empty map), lists are the union with the lower items
 * first, and anything else is the higher value. Nothing is removed by omission; layers
 * remove with `deletes`.
 */
export function deepMerge(lower: unknown, higher: unknown): unknown {
  if (isMap(lower) && isMap(higher)) {
    const merged: Record<string, unknown> = { ...lower };
    for (const [key, value] of Object.entries(higher)) {
      const below = merged[key];
      merged[key] = isMap(below) && Object.keys(below).length > 0 ? deepMerge(below, value) : Array.isArray(below) && Array.isArray(value) ? union(below, value) : structuredClone(value);
    }
    return merged;
  }
  if (Array.isArray(lower) && Array.isArray(higher)) return union(lower, higher);
  return structuredClone(higher);
}

function union(lower: readonly unknown[], higher: readonly unknown[]): unknown[] {
  const result = [...lower];
  for (const item of higher) if (!result.some((existing) => JSON.stringify(existing) === JSON.stringify(item))) result.push(item);
  return result;
}

/** Removes each dotted path (`requires.http`) from `target`; a missing path is ignored. */
export function applyDeletes(target: Record<string, unknown>, paths: readonly string[]): void {
  for (const path of paths) {
    const keys = path.split('.');
    let node: unknown = target;
    for (const key of keys.slice(0, -1)) node = isMap(node) ? node[key] : undefined;
    if (isMap(node)) delete node[keys.at(-1)!];
  }
}

export function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
