import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { configSchema, layerYamlSchema, metadataSchema, parseYamlText, stringifyCharmYaml as yaml, type ManifestProblem } from '@charms/manifest';
import { pathInside } from '@charms/manifest/internal';
import { declaredActionModules } from './action-modules.js';
import { BuildError } from './build-error.js';
import { layerIndexFor } from './layer-index.js';
import { checkOutput, MANIFEST_FILE, manifestText, sha256, type BuildManifest } from './build-manifest.js';
import { bundleCharm, entryModules, type BundleFile } from './bundle.js';
import { checkCharm, type LintStep } from './check-charm.js';
import { plainFiles } from './copy-files.js';
import { ACTION_SCRIPT, DISPATCH_SCRIPT, HOOK_SCRIPT, hookNames } from './hooks.js';
import { resolveLayerOptions } from './layer-options.js';
import { mergeCharmFiles } from './merge-files.js';
import { resolveLayers } from './resolve-layers.js';
import { CODE_CACHE_FILE } from './start-script.js';

/** Options for {@link buildCharm}. */
export interface BuildOptions {
  readonly charmDir: string;
  /** Default: `<charmDir>/build/<name>`. */
  readonly outDir?: string;
  /** Write over files changed by hand since the last build. */
  readonly force?: boolean;
  /**
   * Type-check the charm's own modules before bundling (default true). The registration
   * check and the lint step run either way.
   */
  readonly typecheck?: boolean;
  /** A lint step run once the code registers (`charms build` passes `charms lint`); none by default. */
  readonly lint?: LintStep;
  /** Told when a slow step starts (the CLI shows a spinner). */
  readonly onStep?: (step: string) => void;
}

/** What a build did. */
export interface BuildSummary {
  readonly name: string;
  readonly outDir: string;
  readonly layers: readonly string[];
  readonly hooks: number;
  /** The actions built: each of actions.yaml that has a module, with an `actions/<name>` file. */
  readonly actions: readonly string[];
  readonly files: number;
  readonly bundleBytes: number;
  /** Problems that did not stop the build (type check and lint warnings), as `file:line:col code message`. */
  readonly warnings: readonly ManifestProblem[];
  /** Includes accepted and skipped (`layer:basic`), at their place in layer.yaml; checks that could not run. */
  readonly notes: readonly ManifestProblem[];
  /** Milliseconds of each check (`typecheck`, `registration`, `lint`). */
  readonly checkTimings: Readonly<Record<string, number>>;
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
 * checks the code (type check, registration, the lint step when given: see {@link checkCharm}), bundles it
 * and the action modules (`actions/<name>.ts` of actions declared in actions.yaml) into
 * `dist/charm.cjs` (run by `dist/start.cjs`) with source maps, and writes `dispatch`, `hooks/`, `actions/<name>`,
 * the plain files and `.build.manifest`. Nothing is written when a check fails. The same sources
 * always give the same bytes.
 *
 * @throws BuildError (`NOT_A_CHARM`, `LAYER_NOT_FOUND`, `INCLUDE_CYCLE`, `OPTIONS_INVALID`,
 * `CHECK_FAILED`, `TYPESCRIPT_NOT_FOUND`, `BUNDLE_FAILED`, `OUTPUT_MODIFIED`) and
 * ManifestError for a bad YAML file.
 */
export async function buildCharm(options: BuildOptions): Promise<BuildSummary> {
  const charmDir = resolve(options.charmDir);
  if (!existsSync(join(charmDir, 'metadata.yaml'))) {
    throw new BuildError('NOT_A_CHARM', `${charmDir} is not a charm: it has no metadata.yaml`);
  }
  options.onStep?.('resolving layers');
  const notes: ManifestProblem[] = [];
  const layers = resolveLayers(charmDir, layerIndexFor(charmDir), { onNote: (note) => notes.push(note) });
  const merged = mergeCharmFiles(layers);
  const layerOptions = resolveLayerOptions(layers);
  const name = String(merged.metadata.name);
  // The name passed the metadata checks (mergeCharmFiles); the folder is checked again here.
  const outDir = options.outDir === undefined ? pathInside(join(charmDir, 'build'), name) : resolve(options.outDir);
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

  // esbuild bundles in its own process while the checks run here; a check's problems
  // are reported first, as they are the author's (a module with no default export also
  // breaks the bundle).
  const actions = declaredActionModules(layers, merged.actions);
  const bundling = bundleCharm(charmDir, entryModules(layers), charmFiles, actions).then(
    (files): { files: BundleFile[] } => ({ files }),
    (error: unknown) => ({ error }),
  );
  let checks: Awaited<ReturnType<typeof checkCharm>>;
  try {
    checks = await checkCharm(charmDir, layers, { typecheck: options.typecheck, onStep: options.onStep, lint: options.lint });
  } catch (error) {
    await bundling;
    throw error;
  }
  options.onStep?.('bundling');
  const bundled = await bundling;
  if ('error' in bundled) throw bundled.error;
  const bundle = bundled.files;

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
  for (const hook of hooks) add(`hooks/${hook}`, HOOK_SCRIPT, 'build', 'dynamic', 0o755);
  // Over any file of that name a layer has (a Python charm's action script): dispatch runs the action now.
  for (const action of actions) add(`actions/${action.name}`, ACTION_SCRIPT, 'build', 'dynamic', 0o755);

  const manifest: BuildManifest = {
    layers: layers.map((layer) => ({ name: layer.name, ref: layer.ref })),
    signatures: Object.fromEntries([...files].map(([path, file]) => [path, [file.origin, file.kind, sha256(file.content)]])),
  };

  options.onStep?.('writing');
  // Every path is checked to stay inside the output folder before anything is written,
  // whatever made it (a name in metadata.yaml, a layer's file, an edited .build.manifest).
  const targets = [...files].map(([path, file]) => [pathInside(outDir, path), file] as const);
  const stale = Object.keys(previous?.signatures ?? {}).filter((path) => !files.has(path) && path !== MANIFEST_FILE);
  const staleTargets = stale.map((path) => pathInside(outDir, path));
  // Files of the previous build that this one no longer makes go away, and the code cache
  // of its bundle that hooks run in this folder wrote (it names the old build: unused).
  for (const target of [...staleTargets, join(outDir, 'dist', CODE_CACHE_FILE)]) rmSync(target, { force: true });
  for (const [target, file] of targets) {
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.content);
    chmodSync(target, file.mode);
  }
  writeFileSync(join(outDir, MANIFEST_FILE), manifestText(manifest));

  return {
    name,
    outDir,
    layers: layers.map((layer) => (layer.kind === 'interface' ? layer.ref : layer.name)),
    hooks: hooks.length,
    actions: actions.map((action) => action.name),
    files: files.size + 1,
    bundleBytes: Buffer.byteLength(bundle[0]!.text),
    warnings: checks.warnings,
    notes: [...notes, ...checks.notes],
    checkTimings: checks.timings,
  };
}

