import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { actionsSchema, configSchema, loadYamlFile, ManifestError, metadataSchema } from '@charms/manifest';
import { checkActionNames, checkMetadataNames, issuePath, locate, parseCharmYaml } from '@charms/manifest/internal';
import { LineCounter, type Document } from 'yaml';
import { z } from 'zod';
import { applyDeletes, deepMerge } from './deep-merge.js';
import type { ResolvedLayer } from './resolve-layers.js';

/** Order of metadata.yaml keys in the built file, as charm-tools writes them; the rest follow sorted. */
const METADATA_ORDER = ['name', 'summary', 'maintainer', 'maintainers', 'description', 'tags', 'series', 'requires', 'provides', 'peers'];

/** The charm's metadata.yaml, config.yaml and actions.yaml merged over its layers. */
export interface MergedFiles {
  readonly metadata: Record<string, unknown>;
  readonly config: Record<string, unknown> | undefined;
  readonly actions: Record<string, unknown> | undefined;
  /** Which layer provided each file last (for .build.manifest). */
  readonly origins: Record<'metadata.yaml' | 'config.yaml' | 'actions.yaml', string | undefined>;
}

const anyMap = z.record(z.string(), z.unknown());
// Each layer's file is checked for the form of its names where it is read, so that a bad
// name is reported at its line and column (the merged document has no positions).
const layerFile: Record<string, z.ZodType<Record<string, unknown>>> = {
  'metadata.yaml': anyMap.superRefine((value, ctx) => checkMetadataNames(value, ctx, { syntaxOnly: true }), { when: () => true }),
  'actions.yaml': anyMap.superRefine((value, ctx) => checkActionNames(value, ctx), { when: () => true }),
  'config.yaml': anyMap,
};

/**
 * Merges each file over the layers, lowest first, applies every layer's `deletes`, and
 * checks the result against the charm schemas (every problem at once, placed in the
 * file of the charm's own layer when the merged value came from there).
 * @throws ManifestError for a file that breaks its schema.
 */
export function mergeCharmFiles(allLayers: readonly ResolvedLayer[]): MergedFiles {
  // Interfaces bring code only (their Endpoint classes), no charm files.
  const layers = allLayers.filter((layer) => layer.kind !== 'interface');
  const charm = layers.at(-1)!;
  const merge = (file: string) => {
    let merged: Record<string, unknown> | undefined;
    let origin: string | undefined;
    for (const layer of layers) {
      const data = loadYamlFile(join(layer.dir, file), layerFile[file] ?? anyMap, { optional: true });
      if (data === undefined) continue;
      merged = merged === undefined ? structuredClone(data) : (deepMerge(merged, data) as Record<string, unknown>);
      origin = layer.ref;
    }
    return { merged, origin };
  };

  const metadata = merge('metadata.yaml');
  const config = merge('config.yaml');
  const actions = merge('actions.yaml');
  for (const layer of layers) {
    if (metadata.merged) applyDeletes(metadata.merged, layer.layerYaml.metadata?.deletes ?? []);
    if (config.merged) applyDeletes((config.merged.options ?? {}) as Record<string, unknown>, layer.layerYaml.config?.deletes ?? []);
    if (actions.merged) applyDeletes(actions.merged, layer.layerYaml.actions?.deletes ?? []);
  }
  if (metadata.merged) metadata.merged = mergeMetadataSpecials(layers, metadata.merged);

  // Check the merged documents with the same schemas the runtime uses.
  checkMerged(metadataSchema, metadata.merged ?? {}, layers, 'metadata.yaml');
  if (config.merged) checkMerged(configSchema, config.merged, layers, 'config.yaml');
  if (actions.merged) checkMerged(actionsSchema, actions.merged, layers, 'actions.yaml');

  return {
    metadata: orderMetadata(metadata.merged ?? {}),
    config: config.merged,
    actions: actions.merged,
    origins: { 'metadata.yaml': metadata.origin, 'config.yaml': config.origin, 'actions.yaml': actions.origin },
  };
}

/** `series`: the higher layer's first, then lower ones, once each; maintainers from the top layer only. */
function mergeMetadataSpecials(layers: readonly ResolvedLayer[], merged: Record<string, unknown>): Record<string, unknown> {
  const series: string[] = [];
  for (const layer of [...layers].reverse()) {
    const own = loadYamlFile(join(layer.dir, 'metadata.yaml'), anyMap, { optional: true });
    for (const item of (own?.series as string[] | undefined) ?? []) if (!series.includes(item)) series.push(item);
  }
  const top = loadYamlFile(join(layers.at(-1)!.dir, 'metadata.yaml'), anyMap, { optional: true }) ?? {};
  const result: Record<string, unknown> = { ...merged };
  delete result.maintainer;
  delete result.maintainers;
  if (top.maintainer !== undefined) result.maintainer = top.maintainer;
  if (top.maintainers !== undefined) result.maintainers = top.maintainers;
  if (series.length > 0) result.series = series;
  return result;
}

function orderMetadata(metadata: Record<string, unknown>): Record<string, unknown> {
  const keys = [...METADATA_ORDER.filter((k) => k in metadata), ...Object.keys(metadata).filter((k) => !METADATA_ORDER.includes(k)).sort()];
  return Object.fromEntries(keys.map((k) => [k, metadata[k]]));
}

/**
 * Checks a merged document. It has no positions of its own: each problem is placed in
 * the highest layer whose file holds the problem's key (the value that won the merge),
 * at that key's line and column, and says it was found after merging; a problem no
 * layer's file holds (a key missing everywhere) points at the top of the charm's own file.
 */
function checkMerged(schema: z.ZodType, value: unknown, layers: readonly ResolvedLayer[], name: string): void {
  const parsed = schema.safeParse(value);
  if (parsed.success) return;
  const documents = new Map<string, { document: Document; lineCounter: LineCounter } | undefined>();
  const read = (file: string) => {
    if (!documents.has(file)) {
      const lineCounter = new LineCounter();
      documents.set(file, existsSync(file) ? { document: parseCharmYaml(readFileSync(file, 'utf8'), lineCounter), lineCounter } : undefined);
    }
    return documents.get(file);
  };
  throw new ManifestError(
    parsed.error.issues.map((issue) => {
      const code = issue.code === 'custom' ? (issue.params as { code?: string } | undefined)?.code : undefined;
      const message = `after merging the layers, ${issuePath(issue.path)}: ${issue.message}`;
      for (const layer of [...layers].reverse()) {
        const file = join(layer.dir, name);
        const found = read(file);
        // The deepest key of the path that this layer's file has, if any of it.
        for (let depth = issue.path.length; depth > 0; depth -= 1) {
          const path = issue.path.slice(0, depth);
          if (found?.document.hasIn(path as unknown[])) {
            // A key that is missing below: at the key that holds it; a bad value: at the value.
            const { line, col } = locate(found.document, found.lineCounter, path, depth < issue.path.length);
            return { file, line, col, code: code ?? 'SCHEMA', message };
          }
        }
      }
      return { file: join(layers.at(-1)!.dir, name), line: 1, col: 1, code: code ?? 'SCHEMA', message };
    }),
  );
}
