import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { loadLayerYaml, loadYamlFile, type LayerYaml, type ManifestProblem } from '@charms/manifest';
import { parseCharmYaml } from '@charms/manifest/internal';
import { LineCounter, isSeq } from 'yaml';
import { z } from 'zod';
import { BuildError } from './build-error.js';
import { installedPackage, WORKSPACE_ROOT } from './install-root.js';

/** One layer of a charm, in build order. */
export interface ResolvedLayer {
  /** The layer's name: its options section and its handler-id prefix. */
  readonly name: string;
  /** How it was named: `layer:status`, `./layers/base`, or the charm itself. */
  readonly ref: string;
  readonly dir: string;
  readonly layerYaml: LayerYaml;
  /**
   * `workspace` layers are packages whose default export is the layer; `local` layers
   * and the charm have `reactive/` modules; an `interface` (from `interface:NAME`) is a
   * package whose module exports the interface's Endpoint classes.
   */
  readonly kind: 'workspace' | 'local' | 'charm' | 'interface';
  /** For a workspace layer or an interface: the module to import (its package's source entry). */
  readonly entry?: string;
}

/** What {@link resolveLayers} may tell besides the layers. */
export interface ResolveOptions {
  /** An include accepted and skipped (`layer:basic`), at its place in its layer.yaml. */
  readonly onNote?: (note: ManifestProblem) => void;
}

/**
 * Includes the build accepts and skips, because what the Python layer did is built into
 * the runtime and the build here.
 */
export const BUILT_IN_LAYERS: Readonly<Record<string, string>> = {
  'layer:basic': "layer:basic is built in: @charms/runtime does its work (the hook entry, config.* flags, unit state, layer options), so the include is skipped and can be removed",
  'layer:options': 'layer:options is built in: charms build checks `defines`/`options` and bakes the defaults into the charm, so the include is skipped and can be removed',
};

/**
 * Where `layer:NAME` includes are found, when not in a workspace's index file: each
 * name's folder (absolute), and where the map came from, for messages.
 */
export interface LayerIndex {
  readonly layers: Readonly<Record<string, string>>;
  /** `interface:NAME` → folder, from a workspace index's `interfaces:` map. */
  readonly interfaces?: Readonly<Record<string, string>>;
  readonly source: string;
}

const indexSchema = z.strictObject({
  layers: z.record(z.string(), z.string()).default({}),
  interfaces: z.record(z.string(), z.string()).default({}),
});

/**
 * The charm's layers in build order, as charm-tools orders them: depth first, each
 * layer after everything it includes, a layer met twice kept at its first place, the
 * charm last. `layer:NAME` is looked up in the index (`<indexRoot>/layer.yaml`, or
 * a {@link LayerIndex}); a path is relative to the layer.yaml that names it.
 * `interface:NAME` is looked up in the index's `interfaces:` map, then as an installed
 * package `@charms/interface-NAME` (or a dependency of the charm named `interface-NAME`
 * or `@scope/interface-NAME`), found from the charm's folder as Node finds packages; it
 * comes back as an `interface` layer, in include order. `layer:basic` and
 * `layer:options` are built in: skipped, with a note.
 *
 * @throws BuildError `LAYER_NOT_FOUND` (every include not found, each at the file:line:col
 * of the include) or `INCLUDE_CYCLE` (naming the chain).
 */
export function resolveLayers(charmDir: string, indexRoot: string | LayerIndex, options: ResolveOptions = {}): ResolvedLayer[] {
  const index = typeof indexRoot === 'string' ? readIndex(indexRoot) : indexRoot;
  const ordered: ResolvedLayer[] = [];
  const done = new Set<string>();
  const charmRoot = resolve(charmDir);
  const problems: ManifestProblem[] = [];
  const missing: string[] = [];

  const visit = (dir: string, ref: string, kind: ResolvedLayer['kind'], chain: string[], entry?: string): void => {
    if (done.has(dir)) return;
    if (chain.includes(dir)) {
      const names = [...chain.slice(chain.indexOf(dir)), dir].map((d) => relative(charmRoot, d) || '.');
      throw new BuildError('INCLUDE_CYCLE', `layers include each other in a cycle: ${names.join(' → ')}. Remove one of these includes.`);
    }
    const layerYaml = loadLayerYaml(dir) ?? {};
    for (const [position, include] of (layerYaml.includes ?? []).entries()) {
      const builtIn = index.layers[include] === undefined ? BUILT_IN_LAYERS[include] : undefined;
      if (builtIn !== undefined) {
        options.onNote?.(includeProblem(dir, position, 'BUILT_IN_LAYER', builtIn));
        continue;
      }
      const target = include.startsWith('interface:') ? locateInterface(include, charmRoot, index) : locateInclude(include, dir, index);
      if ('problem' in target) {
        problems.push(includeProblem(dir, position, target.code, target.problem));
        missing.push(include);
        continue;
      }
      visit(target.dir, include, target.kind, [...chain, dir], target.entry);
    }
    done.add(dir);
    const name =
      layerYaml.name ??
      (kind === 'charm' ? charmName(dir) : /^(layer|interface):/.test(ref) ? ref.slice(ref.indexOf(':') + 1) : basename(dir));
    ordered.push({ name, ref, dir, layerYaml, kind, entry: kind === 'workspace' ? packageEntry(dir) : entry });
  };

  visit(resolve(charmDir), '.', 'charm', []);
  if (problems.length > 0) {
    const [first] = missing as [string];
    const what = missing.length > 1 ? `includes not found: ${missing.join(', ')}` : `unknown ${first.startsWith('interface:') ? 'interface' : 'layer'} ${first}`;
    throw new BuildError('LAYER_NOT_FOUND', what, problems);
  }
  return ordered;
}

/** A workspace's index file, its folders made absolute. */
function readIndex(indexRoot: string): LayerIndex {
  const file = join(indexRoot, 'layer.yaml');
  const index = loadYamlFile(file, indexSchema, { optional: true }) ?? { layers: {}, interfaces: {} };
  const absolute = (map: Record<string, string>) => Object.fromEntries(Object.entries(map).map(([name, folder]) => [name, resolve(indexRoot, folder)]));
  return { layers: absolute(index.layers), interfaces: absolute(index.interfaces), source: `the layer index ${file}` };
}

type Located = { dir: string; kind: ResolvedLayer['kind']; entry?: string } | { problem: string; code: string };

function locateInclude(include: string, fromDir: string, index: LayerIndex): Located {
  if (!include.startsWith('layer:')) return { dir: isAbsolute(include) ? include : resolve(fromDir, include), kind: 'local' };
  const folder = index.layers[include];
  if (folder === undefined) {
    const known = Object.keys(index.layers).join(', ') || 'none';
    return { code: 'UNKNOWN_LAYER', problem: `${include} is not in ${index.source} (it has: ${known})` };
  }
  return { dir: folder, kind: 'workspace' };
}

/**
 * `interface:NAME`: the index's `interfaces:` map first, then an installed package: a
 * dependency of the charm's package.json named `interface-NAME` or `@scope/interface-NAME`,
 * else `@charms/interface-NAME`, found in node_modules from the charm's folder upwards,
 * then from where the build is installed (as layer packages are).
 * Its module is the package's `exports["."].source`, as for layer packages.
 */
function locateInterface(include: string, charmRoot: string, index: LayerIndex): Located {
  const name = include.slice('interface:'.length);
  const indexed = index.interfaces?.[include];
  // From the charm's folder, then from where the build is installed (as layer packages).
  const installed = (candidate: string) => installedPackage(candidate, charmRoot) ?? installedPackage(candidate, WORKSPACE_ROOT);
  const packageDir = indexed === undefined ? interfacePackages(charmRoot, name).map(installed).find((dir) => dir !== undefined) : undefined;
  const dir = indexed ?? (packageDir === undefined ? undefined : realpathSync(packageDir));
  if (dir === undefined) {
    const where = index.interfaces === undefined ? '' : ` not in the interfaces: of ${index.source}, and`;
    return {
      code: 'UNKNOWN_INTERFACE',
      problem:
        `${include} is${where} not an installed package @charms/interface-${name} (looked in node_modules from ${charmRoot} upwards, and where charms is installed). ` +
        `Install the interface package (npm install @charms/interface-${name}), add it to the interfaces: of the layer index, or remove the include`,
    };
  }
  const entry = sourceEntry(dir);
  if (entry === undefined) {
    return {
      code: 'UNKNOWN_INTERFACE',
      problem: `${include} is ${dir}, which is not an interface package: its package.json needs exports["."].source, the TypeScript module that exports the interface's Endpoint classes`,
    };
  }
  return { dir, kind: 'interface', entry };
}

/** Package names that may hold `interface:NAME`: the charm's dependencies named after it, then `@charms/interface-NAME`. */
function interfacePackages(charmRoot: string, name: string): string[] {
  const names: string[] = [];
  for (let dir = charmRoot; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
      const dependencies = [...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.devDependencies ?? {})];
      names.push(...dependencies.filter((dependency) => basename(dependency) === `interface-${name}`));
      break;
    }
    if (dirname(dir) === dir) break;
  }
  return [...new Set([...names, `@charms/interface-${name}`])];
}

/** The problem, placed at the include entry in the layer.yaml that has it. */
function includeProblem(layerDir: string, position: number, code: string, message: string): ManifestProblem {
  const file = join(layerDir, 'layer.yaml');
  const lineCounter = new LineCounter();
  const document = parseCharmYaml(readFileSync(file, 'utf8'), lineCounter);
  const includes = document.get('includes', true);
  const node = isSeq(includes) ? (includes.items[position] as { range?: [number, number, number] } | undefined) : undefined;
  const { line, col } = node?.range ? lineCounter.linePos(node.range[0]) : { line: 1, col: 1 };
  return { file, line, col, code, message };
}

/** The source module of a workspace layer package (`exports['.'].source`). */
function packageEntry(dir: string): string {
  const source = sourceEntry(dir);
  if (!source) throw new BuildError('LAYER_NOT_FOUND', `${join(dir, 'package.json')} has no exports["."].source: it is not a layer package`);
  return source;
}

/** A package's `exports['.'].source`, absolute; undefined when it has none. */
function sourceEntry(dir: string): string | undefined {
  const file = join(dir, 'package.json');
  if (!existsSync(file)) return undefined;
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as { exports?: Record<string, { source?: string }> };
  const source = manifest.exports?.['.']?.source;
  return source ? resolve(dir, source) : undefined;
}

/** The charm's own layer is named after the charm (metadata.yaml `name`), as charm-tools does. */
function charmName(dir: string): string {
  const metadata = loadYamlFile(join(dir, 'metadata.yaml'), z.looseObject({ name: z.string().optional() }), { optional: true });
  return metadata?.name ?? basename(dir);
}
