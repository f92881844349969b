import { readFileSync } from 'node:fs';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import { loadLayerYaml, loadYamlFile, parseCharmYaml, type LayerYaml, type ManifestProblem } from '@charms/manifest';
import { LineCounter, isSeq } from 'yaml';
import { z } from 'zod';
import { CliError } from '../cli-error.js';

/** One layer of a charm, in build order. */
export interface ResolvedLayer {
  /** The layer's name: its options section and its handler-id prefix. */
  readonly name: string;
  /** How it was named: `layer:status`, `./layers/base`, or the charm itself. */
  readonly ref: string;
  readonly dir: string;
  readonly layerYaml: LayerYaml;
  /** `workspace` layers are packages whose default export is the layer; others have `reactive/` modules. */
  readonly kind: 'workspace' | 'local' | 'charm';
  /** For a workspace layer: the module to import (its package's source entry). */
  readonly entry?: string;
}

/**
 * Where `layer:NAME` includes are found, when not in a workspace's index file: each
 * name's folder (absolute), and where the map came from, for messages.
 */
export interface LayerIndex {
  readonly layers: Readonly<Record<string, string>>;
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
 *
 * @throws CliError `LAYER_NOT_FOUND` (file:line:col of the include) or
 * `INCLUDE_CYCLE` (naming the chain).
 */
export function resolveLayers(charmDir: string, indexRoot: string | LayerIndex): ResolvedLayer[] {
  const index = typeof indexRoot === 'string' ? readIndex(indexRoot) : indexRoot;
  const ordered: ResolvedLayer[] = [];
  const done = new Set<string>();
  const charmRoot = resolve(charmDir);

  const visit = (dir: string, ref: string, kind: ResolvedLayer['kind'], chain: string[]): void => {
    if (done.has(dir)) return;
    if (chain.includes(dir)) {
      const names = [...chain.slice(chain.indexOf(dir)), dir].map((d) => relative(charmRoot, d) || '.');
      throw new CliError('INCLUDE_CYCLE', `layers include each other in a cycle: ${names.join(' → ')}. Remove one of these includes.`);
    }
    const layerYaml = loadLayerYaml(dir) ?? {};
    for (const [position, include] of (layerYaml.includes ?? []).entries()) {
      if (include.startsWith('interface:')) continue; // Interfaces bring no code yet.
      const target = locateInclude(include, dir, index, position);
      visit(target.dir, include, target.kind, [...chain, dir]);
    }
    done.add(dir);
    const name = layerYaml.name ?? (kind === 'charm' ? charmName(dir) : ref.startsWith('layer:') ? ref.slice('layer:'.length) : basename(dir));
    ordered.push({ name, ref, dir, layerYaml, kind, entry: kind === 'workspace' ? packageEntry(dir) : undefined });
  };

  visit(resolve(charmDir), '.', 'charm', []);
  return ordered;
}

/** A workspace's index file, its folders made absolute. */
function readIndex(indexRoot: string): LayerIndex {
  const file = join(indexRoot, 'layer.yaml');
  const index = loadYamlFile(file, indexSchema, { optional: true }) ?? { layers: {}, interfaces: {} };
  const layers = Object.fromEntries(Object.entries(index.layers).map(([name, folder]) => [name, resolve(indexRoot, folder)]));
  return { layers, source: `the layer index ${file}` };
}

function locateInclude(include: string, fromDir: string, index: LayerIndex, position: number): { dir: string; kind: 'workspace' | 'local' } {
  if (!include.startsWith('layer:')) return { dir: isAbsolute(include) ? include : resolve(fromDir, include), kind: 'local' };
  const folder = index.layers[include];
  if (folder === undefined) {
    const known = Object.keys(index.layers).join(', ') || 'none';
    throw new CliError('LAYER_NOT_FOUND', `unknown layer ${include}`, [
      includeProblem(fromDir, position, 'UNKNOWN_LAYER', `${include} is not in ${index.source} (it has: ${known})`),
    ]);
  }
  return { dir: folder, kind: 'workspace' };
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
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { exports?: Record<string, { source?: string }> };
  const source = manifest.exports?.['.']?.source;
  if (!source) throw new CliError('LAYER_NOT_FOUND', `${join(dir, 'package.json')} has no exports["."].source: it is not a layer package`);
  return resolve(dir, source);
}

/** The charm's own layer is named after the charm (metadata.yaml `name`), as charm-tools does. */
function charmName(dir: string): string {
  const metadata = loadYamlFile(join(dir, 'metadata.yaml'), z.looseObject({ name: z.string().optional() }), { optional: true });
  return metadata?.name ?? basename(dir);
}
