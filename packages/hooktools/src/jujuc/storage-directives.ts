// Storage directives as juju/juju 2.9's storage package reads them (storage/constraints.go
// ParseConstraintsMap, ParseConstraints): `<name>`, which means `<name>=1`, or
// `<name>=<constraints>`, the constraints a comma list of a pool name, a count and a size
// in any order. Shared by `storage-add` and the local model's `charms add-storage`.

/** One directive: the store, how many instances, and the pool and size asked for, if any. */
export interface StorageDirective {
  readonly name: string;
  readonly count: number;
  readonly pool?: string;
  /** MiB. */
  readonly size?: number;
}

const POOL = /^[a-zA-Z]+[-?a-zA-Z0-9]*$/;
const COUNT = /^-?[0-9]+$/;
const SIZE = /^-?([0-9]+(?:\.[0-9]+)?)([MGTPEZY])(?:i?B)?$/;
const POWERS = 'MGTPEZY';

/**
 * Parses directives, the first problem thrown as Juju words it.
 * @throws Error `expected "name=constraints" or "name", got …`, `storage "x" specified more
 *   than once`, `cannot parse constraints for storage "x": …`.
 */
export function parseStorageDirectives(args: readonly string[]): StorageDirective[] {
  const seen = new Set<string>();
  return args.map((arg) => {
    const parts = arg.split('=');
    const name = parts[0]!;
    if (parts.length > 2 || name === '') throw new Error(`expected "name=constraints" or "name", got ${JSON.stringify(arg)}`);
    if (seen.has(name)) throw new Error(`storage ${JSON.stringify(name)} specified more than once`);
    seen.add(name);
    try {
      return { name, ...parseConstraints(parts[1] ?? '1') };
    } catch (error) {
      throw new Error(`cannot parse constraints for storage ${JSON.stringify(name)}: ${(error as Error).message}`);
    }
  });
}

function parseConstraints(text: string): Omit<StorageDirective, 'name'> {
  let pool: string | undefined;
  let count = 0;
  let size = 0;
  for (const field of text.split(',')) {
    if (field === '') continue;
    // A second pool name, or a field that is none of the three, Juju logs and ignores.
    if (POOL.test(field)) pool ??= field;
    else if (COUNT.test(field)) {
      if (field.startsWith('-') || Number(field) <= 0) throw new Error(`cannot parse count: count must be greater than zero, got ${JSON.stringify(field)}`);
      count = Number(field);
    } else {
      const match = SIZE.exec(field);
      // utils.ParseSize refuses a negative size.
      if (match && field.startsWith('-')) throw new Error(`cannot parse size: expected a non-negative number, got ${JSON.stringify(field)}`);
      if (match) size = Math.ceil(Number(match[1]) * 1024 ** POWERS.indexOf(match[2]!));
    }
  }
  if (count === 0 && size === 0 && pool === undefined) throw new Error('storage constraints require at least one field to be specified');
  return { count: count || 1, ...(pool !== undefined ? { pool } : {}), ...(size > 0 ? { size } : {}) };
}
