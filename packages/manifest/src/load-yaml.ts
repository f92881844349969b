import { readFileSync } from 'node:fs';
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { ManifestError, type ManifestProblem } from './manifest-error.js';

/**
 * Reads a YAML file and checks it against `schema`. Every YAML syntax error and every
 * schema issue is reported at once, with the line and column of the offending node.
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

/** {@link loadYamlFile} for text already read; `file` names it in problems. */
export function parseYamlText<S extends z.ZodType>(file: string, text: string, schema: S): z.infer<S> {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  if (document.errors.length > 0) {
    throw new ManifestError(
      document.errors.map((error) => {
        const { line, col } = lineCounter.linePos(error.pos[0]);
        return { file, line, col, code: 'YAML_SYNTAX', message: error.message.split('\n')[0]! };
      }),
    );
  }
  const parsed = schema.safeParse(document.toJS() ?? {});
  if (parsed.success) return parsed.data;
  throw new ManifestError(
    parsed.error.issues.map((issue): ManifestProblem => {
      const { line, col } = locate(document, lineCounter, issue.path);
      const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
      return { file, line, col, code: 'SCHEMA', message: `${where}${issue.message}` };
    }),
  );
}

/** The position of the deepest node on `path` that exists (the parent, for a missing key). */
function locate(document: Document, lineCounter: LineCounter, path: readonly PropertyKey[]): { line: number; col: number } {
  for (let depth = path.length; depth >= 0; depth -= 1) {
    const node = depth === 0 ? document.contents : document.getIn(path.slice(0, depth) as unknown[], true);
    if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]);
  }
  return { line: 1, col: 1 };
}
