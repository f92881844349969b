import { nameProblem, type NameKind } from '@charms/manifest/queries';
import { InvalidArgumentError } from 'commander';

// Every name that enters from the command line is checked here, before the command opens
// the model or builds anything, with the rules metadata.yaml names follow (Juju's, see
// docs/reference/manifest.md, "Names"). The model then refuses names its charm does not
// declare (unknown option, unknown resource).

/**
 * What is wrong with `key` as a config option name on the command line; `undefined` when
 * it may be one. Juju puts no rule on option names (juju/charm config.go), so this only
 * refuses what no charm's option is called: empty, longer than 128, or a character other
 * than ASCII letters, digits, `_`, `.` and `-` (a space, `/`, `$`, a newline, NUL, …), or
 * starting with `.` or `-`.
 */
export function configKeyProblem(key: string): string | undefined {
  if (key.length > 128) return `config option name ${JSON.stringify(key.slice(0, 40))}… is ${key.length} characters long: no option is, see charms config APP for the options`;
  if (/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(key)) return undefined;
  return `config option name ${JSON.stringify(key)} is not valid: option names are ASCII letters, digits, "_", "." and "-"; see charms config APP for the options`;
}

/** A commander argument parser that refuses a `kind` name that Juju would refuse. */
export function nameArgument(kind: NameKind): (value: string) => string {
  return (value) => {
    const problem = nameProblem(kind, value);
    if (problem) throw new InvalidArgumentError(problem);
    return value;
  };
}

/**
 * `k=v` arguments as a map (`--config k=v` may repeat), each key checked as a `keys` name:
 * a config option or a resource.
 * @throws Error naming the argument, the key and what to do.
 */
export function namedPairs(values: readonly string[], what: string, keys: 'config' | 'resource'): Record<string, string> {
  const result: Record<string, string> = {};
  for (const value of values) {
    const at = value.indexOf('=');
    if (at <= 0) throw new Error(`${what} must look like key=value, got ${JSON.stringify(value)}`);
    const key = value.slice(0, at);
    const problem = keys === 'config' ? configKeyProblem(key) : nameProblem('resource', key);
    if (problem) throw new Error(`${what}: ${problem}`);
    result[key] = value.slice(at + 1);
  }
  return result;
}

/** A commander parser for a repeatable `--reset <key>`: each a config option name. */
export function collectConfigKey(value: string, previous: string[]): string[] {
  const problem = configKeyProblem(value);
  if (problem) throw new InvalidArgumentError(problem);
  return [...previous, value];
}

/**
 * A commander parser for a repeatable `--config k=v` / `--resource name=image`, or the
 * `key=value...` arguments of `charms config`: each checked as it is read.
 */
export function collectPair(what: string, keys: 'config' | 'resource'): (value: string, previous: string[] | undefined) => string[] {
  return (value, previous) => {
    try {
      namedPairs([value], what, keys);
    } catch (error) {
      throw new InvalidArgumentError((error as Error).message);
    }
    return [...(previous ?? []), value];
  };
}
