import { usage } from './result.js';

/** The options of a tool: a boolean switch or one that takes a value; aliases are listed as names of their own. */
export type OptionSpec = Readonly<Record<string, 'bool' | 'value'>>;

/** Parsed arguments: options by the name used, positional arguments in order. */
export interface ParsedArgs {
  readonly options: Record<string, string | boolean | undefined>;
  readonly positional: string[];
}

/**
 * Parses arguments as juju/gnuflag does for the hook tools: `--name=value`, `--name
 * value`, `-n value`, a one-letter option with its value attached (`-r7`, `-lDEBUG`),
 * booleans without a value, options anywhere among the positional arguments, and `--`
 * ending the options.
 * @throws ToolFailure exit 2 `option provided but not defined: -x` for an unknown option.
 */
export function parseArgs(argv: readonly string[], spec: OptionSpec): ParsedArgs {
  const options: Record<string, string | boolean | undefined> = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const equals = arg.indexOf('=');
    const written = arg.slice(0, equals === -1 ? undefined : equals);
    const flag = written.replace(/^--?/, '');
    const kind = spec[flag];
    if (!kind) {
      // -r7: a one-letter option that takes a value, the value attached.
      const letter = arg[1]!;
      if (!arg.startsWith('--') && spec[letter] === 'value') {
        options[letter] = arg.slice(2);
        continue;
      }
      usage(`option provided but not defined: ${written}`);
    }
    if (kind === 'bool') {
      const value = equals === -1 ? 'true' : arg.slice(equals + 1);
      options[flag] = !['false', 'False', 'FALSE', 'f', 'F', '0'].includes(value);
    } else if (equals !== -1) {
      options[flag] = arg.slice(equals + 1);
    } else {
      if (i + 1 >= argv.length) usage(`flag needs an argument: ${arg}`);
      options[flag] = argv[++i];
    }
  }
  return { options, positional };
}

/** The first of `names` that was given, as text. */
export function optionText(options: ParsedArgs['options'], ...names: string[]): string | undefined {
  for (const name of names) if (options[name] !== undefined) return String(options[name]);
  return undefined;
}

/** `cmd.CheckEmpty`: no positional arguments beyond the first `allowed`. */
export function checkEmpty(positional: readonly string[], allowed = 0): void {
  if (positional.length > allowed) usage(`unrecognized args: ${goList(positional.slice(allowed))}`);
}

/** Go's %q of a string slice: ["a" "b"]. */
export function goList(values: readonly string[]): string {
  return `[${values.map((v) => JSON.stringify(v)).join(' ')}]`;
}

/**
 * `key=value` pairs, as juju/utils `keyvalues.Parse(args, allowEmptyValues)` reads
 * them: keys and values trimmed, the same key twice an error, an empty value an error
 * unless `allowEmpty` (add-metric refuses them).
 */
export function keyValues(pairs: readonly string[], allowEmpty = true): Record<string, string> {
  const result: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) usage(`expected "key=value", got "${pair}"`);
    const key = pair.slice(0, at).trim();
    const value = pair.slice(at + 1).trim();
    if (!allowEmpty && value === '') usage(`expected "key=value", got "${key}="`);
    if (Object.hasOwn(result, key)) usage(`key "${key}" specified more than once`);
    result[key] = value;
  }
  return result;
}
