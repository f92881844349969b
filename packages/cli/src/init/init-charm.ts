import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { CLI_ROOT } from '../cli-root.js';
import { checkCharmName, className } from './charm-name.js';
import { InitError } from './init-error.js';

/** Options for {@link initCharm}. */
export interface InitOptions {
  /** The charm's name (Juju's rule: `^[a-z][a-z0-9]*(-[a-z0-9]+)*$`). */
  readonly name: string;
  /** Where to write it. Default: `./<name>`. */
  readonly dir?: string;
  /** The version of the `@charms/*` packages the project depends on. Default: this command's own. */
  readonly version?: string;
}

/** What {@link initCharm} wrote. */
export interface InitSummary {
  readonly dir: string;
  /** The files written, relative to `dir`, sorted. */
  readonly files: readonly string[];
}

/** The project template, shipped with this package. */
export const TEMPLATE_DIR = join(CLI_ROOT, 'templates', 'charm');

/**
 * Writes a new charm project from the template in `templates/charm`: package.json with
 * the `@charms/*` packages pinned to one version, a strict tsconfig, metadata.yaml,
 * config.yaml, layer.yaml (layer:status), a handler class in `reactive/<name>.ts`, a
 * vitest test that deploys it on the local model, and a README.
 *
 * In the template, `{{name}}`, `{{className}}` and `{{version}}` are replaced in every
 * file; in file names `__name__` becomes the name, a `.template` suffix goes (it keeps
 * tools from reading the files as code or as a package) and a leading `_` becomes `.`
 * (npm leaves `.gitignore` files out of packages).
 *
 * @throws InitError `INVALID_CHARM_NAME` for a name Juju refuses, `TARGET_NOT_EMPTY` when
 * the folder exists and is not empty (or is a file). Nothing is written then.
 * @example
 * initCharm({ name: 'hello' }); // ./hello/package.json, ./hello/reactive/hello.ts, …
 */
export function initCharm(options: InitOptions): InitSummary {
  const { name } = options;
  checkCharmName(name);
  const dir = resolve(options.dir ?? name);
  if (existsSync(dir) && (!statSync(dir).isDirectory() || readdirSync(dir).length > 0)) {
    throw new InitError('TARGET_NOT_EMPTY', `${dir} already exists and is not an empty folder: choose another name, or move it away first`, dir);
  }
  const values: Record<string, string> = { name, className: className(name), version: options.version ?? ownVersion() };
  const files: string[] = [];
  for (const source of templateFiles(TEMPLATE_DIR)) {
    const target = relative(TEMPLATE_DIR, source)
      .replace(/\.template$/, '')
      .replaceAll('__name__', name)
      .replace(/(^|\/)_/, '$1.');
    const text = readFileSync(source, 'utf8').replace(/\{\{(\w+)\}\}/g, (whole, key: string) => values[key] ?? whole);
    mkdirSync(dirname(join(dir, target)), { recursive: true });
    writeFileSync(join(dir, target), text);
    files.push(target);
  }
  return { dir, files: files.sort() };
}

function templateFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? templateFiles(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

function ownVersion(): string {
  return (JSON.parse(readFileSync(join(CLI_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}
