/**
 * Relation names by role, as in metadata.yaml: `{ requires: { db: { interface: 'mysql' } } }`.
 * Only `requires`, `provides` and `peers` are read.
 */
export type RelationMetadata = Readonly<
  Partial<Record<string, Readonly<Record<string, { readonly interface?: string } | null | undefined>>>>
>;

const ROLE_INTERFACE = /\{([^:}]+):([^}]+)\}/;
const ALTERNATIVES = /\{((?:[^:,}]+,?)+)\}/;

/**
 * Expands `@hook` patterns into the hook names they match, exactly as the original:
 * first every `{role:interface}` becomes each relation name in `metadata[role]` with
 * that interface (none: the pattern vanishes), then every `{a,b}` group becomes each
 * alternative, one group at a time so that all combinations appear.
 *
 * @example expandHookPatterns(['{db,cache}-relation-{joined,changed}'], {}) // 4 names
 */
export function expandHookPatterns(patterns: readonly string[], metadata: RelationMetadata = {}): string[] {
  const roleExpanded = expand(patterns, ROLE_INTERFACE, (role, iface) => relationsWith(metadata, role!, iface!));
  return expand(roleExpanded, ALTERNATIVES, (group) => group!.split(','));
}

function expand(
  values: readonly string[],
  pattern: RegExp,
  replacements: (...groups: (string | undefined)[]) => string[],
): string[] {
  let current = [...values];
  while (current.some((value) => pattern.test(value))) {
    const next: string[] = [];
    for (const value of current) {
      const match = pattern.exec(value);
      if (!match) {
        next.push(value);
        continue;
      }
      // Replace only this occurrence; later groups are expanded in the next pass.
      const before = value.slice(0, match.index);
      const after = value.slice(match.index + match[0].length);
      for (const replacement of replacements(...match.slice(1))) next.push(before + replacement + after);
    }
    current = next;
  }
  return current;
}

function relationsWith(metadata: RelationMetadata, role: string, iface: string): string[] {
  const relations = metadata[role];
  if (!relations || typeof relations !== 'object') return [];
  return Object.entries(relations)
    .filter(([, spec]) => spec?.interface === iface)
    .map(([name]) => name);
}
