import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { installedPackage, WORKSPACE_ROOT } from './install-root.js';
import type { LayerIndex } from './resolve-layers.js';

/** True when a folder holds a workspace with its own layer index. */
function isIndexedWorkspace(dir: string): boolean {
  return existsSync(join(dir, 'pnpm-workspace.yaml')) && existsSync(join(dir, 'layer.yaml'));
}

/**
 * Where a charm's `layer:NAME` includes come from, first match wins:
 *
 * 1. a workspace at or above the charm with a layer index (`pnpm-workspace.yaml` beside
 *    `layer.yaml`), as in this repository;
 * 2. the packages the charm depends on (its nearest `package.json`, dependencies and
 *    devDependencies): a dependency named `layer-NAME` or `@scope/layer-NAME` whose folder
 *    holds a `layer.yaml` is `layer:NAME`, found in `node_modules` the way Node finds it
 *    (from the charm's folder upwards, then from where the build is installed);
 * 3. with no `package.json`, the layer index of the workspace the build runs from, when it runs
 *    from this repository (test fixtures copied to a temporary folder rely on it).
 */
export function layerIndexFor(charmDir: string): string | LayerIndex {
  const start = resolve(charmDir);
  for (let dir = start; ; dir = dirname(dir)) {
    if (isIndexedWorkspace(dir)) return dir;
    if (dirname(dir) === dir) break;
  }
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) return dependencyLayers(manifest);
    if (dirname(dir) === dir) break;
  }
  if (isIndexedWorkspace(WORKSPACE_ROOT)) return WORKSPACE_ROOT;
  return { layers: {}, source: `any layer index: ${start} has no package.json naming its layer packages (run charms init for a new charm)` };
}

/** The layer packages among the dependencies of a charm's package.json. */
function dependencyLayers(manifestFile: string): LayerIndex {
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
  const names = [...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.devDependencies ?? {})];
  const layers: Record<string, string> = {};
  for (const name of names) {
    const match = /^layer-([a-z0-9-]+)$/.exec(basename(name));
    if (!match) continue;
    // A charm folder without its own node_modules (a copy, a fresh checkout) still
    // builds with the layer packages the build was installed with.
    const dir = installedPackage(name, dirname(manifestFile)) ?? installedPackage(name, WORKSPACE_ROOT);
    if (dir && existsSync(join(dir, 'layer.yaml'))) layers[`layer:${match[1]}`] ??= realpathSync(dir);
  }
  return {
    layers,
    source: `the layer packages ${manifestFile} depends on (layer:NAME is a dependency named layer-NAME or @scope/layer-NAME, installed: run npm install, or add it, e.g. npm install @charms/layer-NAME)`,
  };
}

