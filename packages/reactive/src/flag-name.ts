import { InvalidFlagError } from './errors.js';

/**
 * Checks that `flag` can be used as a flag name and returns it.
 * @throws InvalidFlagError (`INVALID_FLAG`) for anything but a non-empty string.
 */
export function assertFlag(flag: unknown, where: string): string {
  if (typeof flag !== 'string' || flag.length === 0) throw new InvalidFlagError(flag, where);
  return flag;
}

/** {@link assertFlag} over a list, keeping order. */
export function assertFlags(flags: readonly unknown[], where: string): string[] {
  if (!Array.isArray(flags)) throw new InvalidFlagError(flags, where);
  return flags.map((flag) => assertFlag(flag, where));
}
