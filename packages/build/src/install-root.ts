import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder of the package a module belongs to: the nearest folder above `from` with a package.json. */
export function packageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return resolve(from, '..');
  }
}

/**
 * The folder whose `node_modules` holds the dependencies of the package in `packageDir`.
 * In this repository it is the workspace root (with `pnpm-workspace.yaml` and the layer
 * index `layer.yaml`); installed from a registry, it is the folder holding the
 * `node_modules` the package is in (the project, or pnpm's `.pnpm/<package>` folder).
 */
export function dependencyRoot(packageDir: string): string {
  const workspace = resolve(packageDir, '..', '..');
  if (existsSync(join(workspace, 'pnpm-workspace.yaml'))) return workspace;
  const parts = packageDir.split(sep);
  const at = parts.lastIndexOf('node_modules');
  return at > 0 ? parts.slice(0, at).join(sep) || sep : workspace;
}

/**
 * Where the build finds the packages a charm's files do not find from its own folder
 * (`@charms/runtime` and `@charms/reactive` for the generated entry, TypeScript, layer
 * packages): the dependency root of this package. src/ and dist/ both sit one below it.
 */
export const WORKSPACE_ROOT = dependencyRoot(packageRoot(dirname(fileURLToPath(import.meta.url))));

/** A package's folder as Node finds it from `from`: `node_modules/<name>` here or in a folder above. */
export function installedPackage(name: string, from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json')) && statSync(candidate).isDirectory()) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}
