import { usage } from './tool-output.js';

/** An option of a tool: a boolean switch or one that takes a value; names include aliases. */
export type OptionSpec = Record<string, 'bool' | 'value'>;

/** Parsed arguments: options by their first name, positional arguments in order. */
export interface ParsedArgs {
  readonly options: Record<string, string | boolean | undefined>;
  readonly positional: string[];
}

/**
 * Parses arguments as Go's flag package does for Juju's tools: `--name=value`,
 * `--name value`, `-n value`, booleans without a value, options anywhere among the
 * positional arguments, and `--` ending the options.
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
    const flag = arg.slice(0, equals === -1 ? undefined : equals).replace(/^--?/, '');
    const kind = spec[flag];
    if (!kind) usage(`option provided but not defined: ${arg.slice(0, equals === -1 ? undefined : equals)}`);
    if (kind === 'bool') {
      const value = equals === -1 ? 'true' : arg.slice(equals + 1);
      options[flag] = !['false', 'False', '0'].includes(value);
    } else if (equals !== -1) {
      options[flag] = arg.slice(equals + 1);
    } else {
      if (i + 1 >= argv.length) usage(`flag needs an argument: ${arg}`);
      options[flag] = argv[++i];
    }
  }
  return { options, positional };
}

/** The `--format` of a tool, checked: smart (default), yaml or json. */
export function outputFormat(options: ParsedArgs['options'], allowed: readonly string[] = ['smart', 'yaml', 'json']): string {
  const format = String(options.format ?? allowed[0]);
  if (!allowed.includes(format)) usage(`invalid value "${format}" for option --format: unknown format "${format}"`);
  return format;
}

/** `key=value` pairs, as keyvalues.Parse reads them; the same key twice is an error. */
export function keyValues(pairs: readonly string[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) usage(`expected "key=value", got "${pair}"`);
    const key = pair.slice(0, at).trim();
    if (Object.hasOwn(result, key)) usage(`key "${key}" specified more than once`);
    result[key] = pair.slice(at + 1).trim();
  }
  return result;
}
