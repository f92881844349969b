import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isAlias, isMap, isScalar, parseAllDocuments, type Pair } from 'yaml';
import { failure, usage } from './result.js';

/**
 * The files a tool call reads (`--file`, `--k8s-resources`) and writes (`-o`), by the
 * path given on its command line; relative paths are the caller's, as jujud resolves
 * them against the request's working folder.
 */
export interface ToolFiles {
  /** The file's text. @throws an error with a `code` (ENOENT, …) when it cannot be read. */
  read(path: string): string;
  write(path: string, text: string): void;
}

/** {@link ToolFiles} on the disk, relative to `cwd`. */
export function diskFiles(cwd = '/'): ToolFiles {
  return {
    read: (path) => readFileSync(resolve(cwd, path), 'utf8'),
    write: (path, text) => writeFileSync(resolve(cwd, path), text),
  };
}

/**
 * {@link ToolFiles} held in a map, path → text, for worlds without a disk.
 * @example memoryFiles({ 'spec.yaml': 'version: 3\n' })
 */
export function memoryFiles(files: Record<string, string>): ToolFiles {
  return {
    read: (path) => {
      if (!Object.hasOwn(files, path)) throw Object.assign(new Error(`no file ${path}`), { code: 'ENOENT' });
      return files[path]!;
    },
    write: (path, text) => {
      files[path] = text;
    },
  };
}

/** The text of a file named on the command line, or stdin for `-` (cmd.FileVar). */
export function readArgumentFile(path: string, stdin: string, files: ToolFiles): string {
  if (path === '-') return stdin;
  try {
    return files.read(path);
  } catch (error) {
    return failure(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}

/**
 * A `--file` map of settings as Juju decodes it (`readSettings`: go-yaml v2 into
 * map[string]string): the first document only; each plain scalar keeps its text (`yes`
 * stays "yes", `010` stays "010"), quoted ones their value, an alias its target's; null
 * is empty (which deletes the key where an empty value does); a repeated key keeps its
 * last value; anything but a map of scalars is refused.
 */
export function settingsMap(text: string): Record<string, string> {
  const [document] = parseAllDocuments(text, { version: '1.1', uniqueKeys: false });
  if (!document) return {};
  if (document.errors[0]) usage(`cannot parse YAML: ${document.errors[0].message.split('\n')[0]}`);
  const map = document.contents;
  if (map === null) return {};
  if (!isMap(map)) return usage('expected YAML map of strings');
  const scalarText = (node: unknown): string => {
    const target = isAlias(node) ? node.resolve(document) : node;
    if (!isScalar(target)) return usage('expected YAML map of strings');
    if (target.value === null) return '';
    return target.type === 'PLAIN' && target.source !== undefined ? target.source : String(target.value);
  };
  return Object.fromEntries(map.items.map((pair: Pair) => [scalarText(pair.key), scalarText(pair.value)]));
}
