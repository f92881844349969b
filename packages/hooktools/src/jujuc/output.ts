import { stringify } from 'yaml';
import type { OptionSpec, ParsedArgs } from './args.js';
import { optionText } from './args.js';
import type { ToolFiles } from './files.js';
import { usage } from './result.js';

/** The output options of juju/cmd (`Output.AddFlags`): `--format` and `-o/--output`. */
export const OUTPUT_OPTIONS: OptionSpec = { format: 'value', o: 'value', output: 'value' };

/** The formats most tools offer; `smart` first, as the default. */
export const ALL_FORMATS = ['smart', 'yaml', 'json'] as const;

/**
 * The `--format` given, checked against `allowed` (the first is the default).
 * @throws ToolFailure exit 2, as gnuflag rejects an unknown format.
 */
export function outputFormat(options: ParsedArgs['options'], allowed: readonly string[] = ALL_FORMATS): string {
  const format = optionText(options, 'format') ?? allowed[0]!;
  if (!allowed.includes(format)) usage(`invalid value "${format}" for option --format: unknown format "${format}"`);
  return format;
}

/**
 * Juju's output formatters (juju/cmd `output.go`): `smart` prints nothing for null, a
 * string raw, a list of strings one per line, a bool as True/False, anything else as
 * YAML; `json` is JSON with `null` for null; `yaml` prints nothing for null. YAML is
 * written as go-yaml v2 does, 1.1: a string such as `on` or `010` is quoted.
 */
export function formatValue(value: unknown, format: string): string {
  if (format === 'json') return `${JSON.stringify(value ?? null)}\n`;
  if (value === null || value === undefined) return '';
  if (format === 'yaml') return yaml11(value);
  if (typeof value === 'string') return value === '' ? '' : `${value}\n`;
  if (typeof value === 'boolean') return value ? 'True\n' : 'False\n';
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value.length === 0 ? '' : `${value.join('\n')}\n`;
  return yaml11(value);
}

/** YAML as go-yaml v2 writes it: 1.1, never folded, trailing newlines collapsed to one. */
export function yaml11(value: unknown): string {
  return stringify(value, { version: '1.1', lineWidth: 0 }).replace(/\n+$/, '\n');
}

/**
 * Writes `value` in the format the options ask for: to stdout, or to the file of
 * `-o/--output` (juju/cmd `Output.Write`), in which case nothing is printed. Returns
 * what goes to stdout.
 */
export function writeOutput(value: unknown, options: ParsedArgs['options'], files: ToolFiles, allowed?: readonly string[]): string {
  const text = formatValue(value, outputFormat(options, allowed));
  const target = optionText(options, 'output', 'o');
  if (target === undefined || target === '') return text;
  files.write(target, text);
  return '';
}
