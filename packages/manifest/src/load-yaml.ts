import { readFileSync } from 'node:fs';
import { isMap, isNode, isScalar, LineCounter, parseDocument, Scalar, stringify, visit, type Document } from 'yaml';
import type { z } from 'zod';
import { ManifestError, type ManifestProblem } from './manifest-error.js';

/**
 * Reads a YAML file and checks it against `schema`. Every YAML syntax error and every
 * schema issue is reported at once, with the line and column of the offending node, in
 * the order of the file.
 *
 * @throws ManifestError (`MANIFEST_INVALID`), including when the file is missing
 * (`NOT_FOUND`) and `optional` is not set.
 */
export function loadYamlFile<S extends z.ZodType>(file: string, schema: S, options: { optional?: boolean } = {}): z.infer<S> | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && options.optional) return undefined;
    throw new ManifestError([
      { file, line: 1, col: 1, code: code === 'ENOENT' ? 'NOT_FOUND' : 'UNREADABLE', message: (error as Error).message },
    ]);
  }
  return parseYamlText(file, text, schema);
}

/**
 * Parses charm YAML as Juju does: YAML 1.1, so `yes`/`no`/`on`/`off` are booleans
 * (Juju reads charm files with go-yaml v2). A `%YAML 1.2` directive in the file wins.
 */
export function parseCharmYaml(text: string, lineCounter?: LineCounter): Document {
  return parseDocument(text, { lineCounter, prettyErrors: false, version: '1.1' });
}

/**
 * The value of a YAML text read as Juju reads it ({@link parseCharmYaml}).
 * @throws YAMLParseError the first syntax error.
 */
export function readCharmYaml(text: string): unknown {
  const document = parseCharmYaml(text);
  if (document.errors[0]) throw document.errors[0];
  return document.toJS();
}

/**
 * Writes YAML that Juju (go-yaml v2) and kubectl read back as the same values: YAML 1.1,
 * so a string such as `yes`, `on` or `010` is quoted instead of turning into a boolean
 * or a number on the other side. Long strings are never folded.
 */
export function stringifyCharmYaml(value: unknown): string {
  return stringify(value, { version: '1.1', lineWidth: 0 });
}

/**
 * Gives every plain map key that YAML 1.1 reads as a boolean or a number its text back:
 * Juju decodes charm files into maps with string keys (go-yaml v2 keeps a key's text when
 * its target is a string), so an option named `n`, `y`, `on`, `off`, `yes` or `no` keeps
 * its name where a JS conversion would make it `"false"` or `"true"`. Values keep their
 * YAML 1.1 types.
 */
function keysAsText(document: Document): void {
  visit(document, {
    Pair(_, pair) {
      const key = pair.key;
      if (!isScalar(key) || key.type !== 'PLAIN' || key.source === undefined) return;
      if (typeof key.value !== 'boolean' && typeof key.value !== 'number') return;
      const text = new Scalar(key.source);
      text.range = key.range;
      pair.key = text;
    },
  });
}

/** {@link loadYamlFile} for text already read; `file` names it in problems. */
export function parseYamlText<S extends z.ZodType>(file: string, text: string, schema: S): z.infer<S> {
  const lineCounter = new LineCounter();
  const document = parseCharmYaml(text, lineCounter);
  if (document.errors.length > 0) {
    throw new ManifestError(
      document.errors.map((error) => {
        const { line, col } = lineCounter.linePos(error.pos[0]);
        return { file, line, col, code: 'YAML_SYNTAX', message: error.message.split('\n')[0]! };
      }),
    );
  }
  keysAsText(document);
  const parsed = schema.safeParse(document.toJS() ?? {});
  if (parsed.success) return parsed.data;
  throw new ManifestError(
    parsed.error.issues.map((issue): ManifestProblem => {
      // A refinement may name its own code and place itself on a key (names.ts).
      const params = issue.code === 'custom' ? (issue.params as { code?: string; atKey?: boolean } | undefined) : undefined;
      const { line, col } = locate(document, lineCounter, issue.path, issue.code === 'invalid_key' || params?.atKey === true);
      const where = issue.path.length > 0 ? `${issuePath(issue.path)}: ` : '';
      return { file, line, col, code: params?.code ?? 'SCHEMA', message: `${where}${issue.message}` };
    }).sort((a, b) => a.line - b.line || a.col - b.col),
  );
}

/**
 * A schema issue's path as `requires.db.interface`; a key that is not a plain word is
 * quoted (JSON), so that a key holding a newline or a control character cannot forge a line.
 */
export function issuePath(path: readonly PropertyKey[]): string {
  return path.map((key) => (typeof key === 'string' && !/^[\w.@+-]+$/.test(key) ? JSON.stringify(key) : String(key))).join('.');
}

/**
 * The position of the deepest node on `path` that exists (the parent, for a missing
 * key); with `atKey`, of the last key itself rather than its value.
 */
export function locate(
  document: Document,
  lineCounter: LineCounter,
  path: readonly PropertyKey[],
  atKey = false,
): { line: number; col: number } {
  if (atKey && path.length > 0) {
    const parent = path.length === 1 ? document.contents : document.getIn(path.slice(0, -1) as unknown[], true);
    if (isMap(parent)) {
      const pair = parent.items.find((item) => isScalar(item.key) && String(item.key.value) === String(path.at(-1)));
      if (pair && isNode(pair.key) && pair.key.range) return lineCounter.linePos(pair.key.range[0]);
    }
  }
  for (let depth = path.length; depth >= 0; depth -= 1) {
    const node = depth === 0 ? document.contents : document.getIn(path.slice(0, depth) as unknown[], true);
    if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]);
  }
  return { line: 1, col: 1 };
}
