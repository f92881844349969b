import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { CliError } from '../cli-error.js';
import { namedPairs } from './name-arguments.js';

// The values the model commands read from their arguments and files, checked before a
// command builds or opens anything.

/**
 * `k=v` arguments as a map; `--config k=v` may repeat; keys checked as names (name-arguments.ts).
 * @throws CliError `INVALID_ARGUMENT` for a pair without `=` or a bad key.
 */
export function pairs(values: readonly string[], what: string): Record<string, string> {
  try {
    return namedPairs(values, what, what.includes('resource') ? 'resource' : 'config');
  } catch (error) {
    // namedPairs says what is wrong; the code says it is the user's value.
    throw new CliError('INVALID_ARGUMENT', (error as Error).message, { cause: error });
  }
}

/**
 * Config `k=v` arguments as a map, where `k=@path` takes the value from the file `path`,
 * exactly as it is (the `@` directive of `juju config`): a big value or a secret need not
 * be on the command line, where `ps` shows it.
 */
export function configPairs(values: readonly string[], what: string): Record<string, string> {
  const result = pairs(values, what);
  for (const [key, value] of Object.entries(result)) if (value.startsWith('@')) result[key] = readValueFile(value.slice(1), key);
  return result;
}

function readValueFile(path: string, key: string): string {
  try {
    return readFileSync(resolve(path), 'utf8');
  } catch (error) {
    throw new CliError('INVALID_ARGUMENT', `cannot read the value of ${key} from ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
  }
}

/**
 * `--file settings.yaml` as `juju config --file` (Juju 2.9) reads it: the options of
 * `app` under its name, `app: {key: value, …}`. Integers come as numbers when exact, else
 * as their digits, which the model refuses rather than rounds.
 * @throws CliError `INVALID_ARGUMENT` when the file cannot be read or parsed, or holds no settings for `app`.
 */
export async function configFile(path: string, app: string): Promise<Record<string, unknown>> {
  const { parse } = await import('yaml');
  let document: unknown;
  try {
    document = parse(readFileSync(resolve(path), 'utf8'), { intAsBigInt: true });
  } catch (error) {
    throw new CliError('INVALID_ARGUMENT', `cannot read config from ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
  }
  const section = document && typeof document === 'object' ? (document as Record<string, unknown>)[app] : undefined;
  if (!section || typeof section !== 'object' || Array.isArray(section)) {
    throw new CliError('INVALID_ARGUMENT', `${path} has no settings for ${app}: it must hold them under the application's name, as "${app}:" followed by indented "key: value" lines`);
  }
  const entries = Object.entries(section as Record<string, unknown>);
  // The keys are checked as the command line's are.
  pairs(entries.map(([key]) => `${key}=`), 'config');
  return Object.fromEntries(entries.map(([key, value]) => [key, typeof value === 'bigint' ? (Number.isSafeInteger(Number(value)) ? Number(value) : value.toString()) : value]));
}

// Option values are checked as commander reads them (InvalidArgumentError: exit status 1,
// "error: option … argument … is invalid."), before a command builds or opens anything.

/** A commander parser for a unit count: a whole number from 1. */
export function unitCount(text: string): number {
  const count = /^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(count) || count < 1) throw new InvalidArgumentError(`the number of units must be a whole number from 1, got ${JSON.stringify(text)}`);
  return count;
}

/** The levels of `charms log --level`, lowest first (Juju's loggo levels). */
export const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'] as const;

/** A commander parser for `--level`: one of LOG_LEVELS, in any case. */
export function logLevel(text: string): (typeof LOG_LEVELS)[number] {
  const level = LOG_LEVELS.find((l) => l === text.toUpperCase());
  if (!level) throw new InvalidArgumentError(`unknown level ${JSON.stringify(text)}: use ${LOG_LEVELS.join(', ')}`);
  return level;
}

/** A commander parser for the hook index of `charms explain`: a whole number, negative counting from the end. */
export function hookIndex(text: string): number {
  if (!/^\s*-?\d+\s*$/.test(text) || !Number.isSafeInteger(Number(text))) throw new InvalidArgumentError(`the hook index must be a whole number (negative counts from the end), got ${JSON.stringify(text)}`);
  return Number(text);
}
