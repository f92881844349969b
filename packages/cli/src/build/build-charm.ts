import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { configSchema, layerYamlSchema, metadataSchema, parseYamlText, stringifyCharmYaml as yaml } from '@charms/manifest';
import { CliError } from '../cli-error.js';
import { indexRootFor } from '../workspace.js';
import { checkOutput, MANIFEST_FILE, manifestText, sha256, type BuildManifest } from './build-manifest.js';
import { bundleCharm, entryModules } from './bundle.js';
import { plainFiles } from './copy-files.js';
import { DISPATCH_SCRIPT, hookNames, hookScript } from './hooks.js';
import { resolveLayerOptions } from './layer-options.js';
import { mergeCharmFiles } from './merge-files.js';
import { resolveLayers } from './resolve-layers.js';

/** Options for {@link buildCharm}. */
export interface BuildOptions {
  readonly charmDir: string;
  /** Default: `<charmDir>/build/<name>`. */
  readonly outDir?: string;
  /** Write over files changed by hand since the last build. */
  readonly force?: boolean;
  /** Told when a slow step starts (the CLI shows a spinner). */
  readonly onStep?: (step: string) => void;
}

/** What a build did. */
export interface BuildSummary {
  readonly name: string;
  readonly outDir: string;
  readonly layers: readonly string[];
  readonly hooks: number;
  readonly files: number;
  readonly bundleBytes: number;
}

interface OutputFile {
  readonly content: string | Buffer;
  readonly mode: number;
  readonly origin: string;
  readonly kind: 'static' | 'dynamic';
}

/**
 * Builds a charm from its layers, as `charm build` did: resolves the includes, merges
 * metadata/config/actions/layer.yaml, checks the layer options and writes their defaults,
 * bundles the code into `dist/charm.mjs`, and writes `dispatch`, `hooks/`, the plain
 * files and `.build.manifest`. The same sources always give the same bytes.
 *
 * @throws CliError (`NOT_A_CHARM`, `LAYER_NOT_FOUND`, `INCLUDE_CYCLE`, `OPTIONS_INVALID`,
 * `BUNDLE_FAILED`, `OUTPUT_MODIFIED`) and ManifestError for a bad YAML file.
 */
export async function buildCharm(options: BuildOptions): Promise<BuildSummary> {
  const charmDir = resolve(options.charmDir);
  if (!existsSync(join(charmDir, 'metadata.yaml'))) {
    throw new CliError('NOT_A_CHARM', `${charmDir} is not a charm: it has no metadata.yaml`);
  }
  options.onStep?.('resolving layers');
  const layers = resolveLayers(charmDir, indexRootFor(charmDir));
  const merged = mergeCharmFiles(layers);
  const layerOptions = resolveLayerOptions(layers);
  const name = String(merged.metadata.name);
  const outDir = resolve(options.outDir ?? join(charmDir, 'build', name));
  const previous = checkOutput(outDir, options.force ?? false);

  const includes = layers.slice(0, -1).map((layer) => layer.ref);
  const texts = {
    metadata: yaml(merged.metadata),
    config: merged.config ? yaml(merged.config) : undefined,
    layer: yaml({ includes, options: layerOptions, is: name }),
  };
  // The files as the runtime would read them back (YAML 1.1, schema defaults), baked
  // into the bundle so that a hook parses no YAML.
  const charmFiles = {
    metadata: parseYamlText(join(outDir, 'metadata.yaml'), texts.metadata, metadataSchema),
    configYaml: texts.config === undefined ? undefined : parseYamlText(join(outDir, 'config.yaml'), texts.config, configSchema),
    layerYaml: parseYamlText(join(outDir, 'layer.yaml'), texts.layer, layerYamlSchema),
  };

  options.onStep?.('bundling');
  const bundle = await bundleCharm(charmDir, entryModules(layers), charmFiles);

  const files = new Map<string, OutputFile>();
  const add = (path: string, content: string | Buffer, origin: string, kind: OutputFile['kind'], mode = 0o644) =>
    files.set(path, { content, mode, origin, kind });

  for (const [path, file] of plainFiles(layers)) add(path, readFileSync(file.source), file.origin, 'static', file.mode);
  add('metadata.yaml', texts.metadata, merged.origins['metadata.yaml'] ?? 'build', 'dynamic');
  if (texts.config !== undefined) add('config.yaml', texts.config, merged.origins['config.yaml'] ?? 'build', 'dynamic');
  if (merged.actions) add('actions.yaml', yaml(merged.actions), merged.origins['actions.yaml'] ?? 'build', 'dynamic');
  add('layer.yaml', texts.layer, 'build', 'dynamic');
  for (const file of bundle) add(`dist/${file.path}`, file.text, 'build', 'dynamic');
  add('dispatch', DISPATCH_SCRIPT, 'build', 'dynamic', 0o755);
  const hooks = hookNames(merged.metadata);
  for (const hook of hooks) add(`hooks/${hook}`, hookScript(hook), 'build', 'dynamic', 0o755);

  const manifest: BuildManifest = {
    layers: layers.map((layer) => ({ name: layer.name, ref: layer.ref })),
    signatures: Object.fromEntries([...files].map(([path, file]) => [path, [file.origin, file.kind, sha256(file.content)]])),
  };

  options.onStep?.('writing');
  // Files of the previous build that this one no longer makes go away.
  for (const path of Object.keys(previous?.signatures ?? {})) {
    if (!files.has(path) && path !== MANIFEST_FILE) rmSync(join(outDir, path), { force: true });
  }
  for (const [path, file] of files) {
    const target = join(outDir, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.content);
    chmodSync(target, file.mode);
  }
  writeFileSync(join(outDir, MANIFEST_FILE), manifestText(manifest));

  return {
    name,
    outDir,
    layers: layers.map((layer) => layer.name),
    hooks: hooks.length,
    files: files.size + 1,
    bundleBytes: Buffer.byteLength(bundle[0]!.text),
  };
}
