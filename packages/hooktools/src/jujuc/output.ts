import { Document, isNode, Pair, stringify, YAMLMap, YAMLSeq, type ScalarTag } from 'yaml';
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

/** Objects written as Go structs: their fields keep their order, where a Go map's keys are sorted. */
const STRUCTS = new WeakSet<object>();

/**
 * Marks `value` as a Go struct for the formatters: its keys keep their order (a map's
 * are sorted). Returns `value`.
 */
export function goStruct<T extends object>(value: T): T {
  STRUCTS.add(value);
  return value;
}

/**
 * go-yaml v2's order of map keys (sorter.go, `keyList.Less`), for string keys: letters
 * before other characters at the first difference, runs of digits compared as numbers.
 */
export function goYamlKeyOrder(a: string, b: string): number {
  const ar = [...a];
  const br = [...b];
  const letter = (c: string) => /\p{L}/u.test(c);
  const digit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
  for (let i = 0; i < ar.length && i < br.length; i += 1) {
    if (ar[i] === br[i]) continue;
    const al = letter(ar[i]!);
    const bl = letter(br[i]!);
    if (al && bl) return ar[i]! < br[i]! ? -1 : 1;
    if (al || bl) return bl ? -1 : 1;
    // Digits: a run of zeros after a non-zero digit counts as a number already started.
    let an = 0;
    let bn = 0;
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && digit(ar[j]); j -= 1) {
        if (ar[j] !== '0') {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    let ai = i;
    let bi = i;
    for (; digit(ar[ai]); ai += 1) an = an * 10 + Number(ar[ai]);
    for (; digit(br[bi]); bi += 1) bn = bn * 10 + Number(br[bi]);
    if (an !== bn) return an < bn ? -1 : 1;
    if (ai !== bi) return ai < bi ? -1 : 1;
    return ar[i]! < br[i]! ? -1 : 1;
  }
  return ar.length - br.length;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** `value` with every map's keys in Go's order (`compare`), structs as they are; maps become `Map`s, which keep any key order. */
function goOrder(value: unknown, compare: (a: string, b: string) => number): unknown {
  if (Array.isArray(value)) return value.map((item) => goOrder(item, compare));
  if (!isPlainObject(value)) return value;
  const keys = STRUCTS.has(value) ? Object.keys(value) : Object.keys(value).sort(compare);
  return new Map(keys.filter((key) => value[key] !== undefined).map((key) => [key, goOrder(value[key], compare)]));
}

/**
 * JSON text as Go's json.Marshal leaves it: `<`, `>`, `&`, U+2028 and U+2029 escaped
 * (its HTML-safe default, which juju status and the hook tools' `--format json` keep).
 */
export function goJsonEscape(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** encoding/json: map keys sorted by their bytes, struct fields in order, escaped as json.Marshal does. */
function goJson(value: unknown): string {
  const byBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
  const write = (node: unknown): string => {
    if (node instanceof Map) return `{${[...node].map(([key, item]) => `${JSON.stringify(key)}:${write(item)}`).join(',')}}`;
    if (Array.isArray(node)) return `[${node.map(write).join(',')}]`;
    return JSON.stringify(node ?? null);
  };
  return goJsonEscape(write(goOrder(value, byBytes)));
}

/**
 * Juju's output formatters (juju/cmd `output.go`): `smart` prints nothing for null, a
 * string raw, a list of strings one per line, a bool as True/False, anything else as
 * YAML; `json` is JSON with `null` for null; `yaml` prints nothing for null. YAML is
 * written as go-yaml v2 does, 1.1: a string such as `on` or `010` is quoted. Map keys
 * are sorted as Go sorts them (encoding/json by bytes, go-yaml v2 by its own order);
 * objects marked with {@link goStruct} keep their field order.
 */
export function formatValue(value: unknown, format: string): string {
  if (format === 'json') return `${goJson(value)}\n`;
  if (value === null || value === undefined) return '';
  if (format === 'yaml') return orderedYaml(value);
  if (typeof value === 'string') return value === '' ? '' : `${value}\n`;
  if (typeof value === 'boolean') return value ? 'True\n' : 'False\n';
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value.length === 0 ? '' : `${value.join('\n')}\n`;
  return orderedYaml(value);
}

const TIMESTAMP = 'tag:yaml.org,2002:timestamp';
/**
 * The timestamps go-yaml v2 reads in a plain scalar (resolve.go `allowedTimestampFormats`),
 * and so quotes when it writes such a string: RFC 3339 with a T and a zone, a space and no
 * zone, or a date alone. `2026-01-01 00:00:05Z` is none of them and stays plain.
 */
const GO_TIMESTAMP: ScalarTag = {
  tag: TIMESTAMP,
  default: true,
  test: /^\d{4}-\d\d?-\d\d?(?:[Tt]\d\d?:\d\d?:\d\d?(?:\.\d+)?(?:Z|[-+]\d\d:\d\d)| \d\d?:\d\d?:\d\d?(?:\.\d+)?)?$/,
  resolve: (text: string) => text,
  identify: () => false,
};

/** {@link yaml11} with each map's keys in go-yaml v2's order (a plain YAML map, not an `!!omap`). */
function orderedYaml(value: unknown): string {
  const document = new Document(null, { version: '1.1', customTags: (tags) => [...tags.filter((tag) => (tag as ScalarTag).tag !== TIMESTAMP), GO_TIMESTAMP] });
  const node = (item: unknown): unknown => {
    if (item instanceof Map) {
      const map = new YAMLMap();
      for (const [key, child] of item) map.items.push(new Pair(document.createNode(key), node(child) as never));
      return map;
    }
    if (Array.isArray(item)) {
      const seq = new YAMLSeq();
      for (const child of item) seq.items.push(node(child));
      return seq;
    }
    return isNode(item) ? item : document.createNode(item);
  };
  document.contents = node(goOrder(value, goYamlKeyOrder)) as never;
  return document.toString({ lineWidth: 0 }).replace(/\n+$/, '\n');
}

/** YAML as go-yaml v2 writes it: 1.1, never folded, trailing newlines collapsed to one (keys in the order given). */
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
