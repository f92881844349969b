import { SourceMap } from 'node:module';
import { dirname, posix, relative, resolve, sep } from 'node:path';
import { build, transform, type Message, type OutputFile } from 'esbuild';

/** A file of the bundle, by its path under `dist/`. */
export interface BundleFile {
  readonly path: string;
  readonly text: string;
  /** With `keepComputedImports`: the file still calls `import()` as it runs (codeCacheLoader's `importingFiles`). */
  readonly callsImport?: boolean;
}

/** The namespace the first pass's files are served from: they are never written to disk. */
const NAMESPACE = 'charms-bundle';

/** The namespace of the shared packages' entries ({@link CommonJsOptions}). */
const SHARED_NAMESPACE = 'charms-shared-package';

/** The namespace of the modules that stand for an `import()` made a `require` ({@link CommonJsOptions}). */
const REQUIRE_NAMESPACE = 'charms-import-required';

/** How {@link commonJsFiles} converts. */
export interface CommonJsOptions {
  /**
   * An `import()` whose specifier is computed at run time (a charm's module the command
   * loads by its path) stays `import()`: the loader must compile the files with a callback
   * for it (codeCacheLoader's `dynamicImport`). An `import()` of a bundle file or of a
   * package named in the code still becomes `require()`. Without it, every `import()`
   * becomes `require()`.
   */
  readonly keepComputedImports?: boolean;
  /**
   * Packages the first pass left external that the second bundles once, as a file of
   * their own (`yaml` → `yaml.cjs` beside the entry), which every file that imports them
   * requires. Without it the second pass would bundle a copy into each importing file:
   * a process that loads two of them would evaluate the package twice, with two sets of
   * classes (`instanceof` fails across them).
   */
  readonly sharedPackages?: readonly string[];
  /** Where the shared packages are resolved from (default: the current folder). */
  readonly resolveDir?: string;
}

/** The file a shared package is bundled into, under the output folder. */
export function sharedPackageFile(name: string): string {
  return `${name.replace(/^@/, '').replace(/\//g, '-')}.cjs`;
}

/**
 * The banner of every CommonJS file. ES modules are strict, and the code was written for
 * strict mode. `import.meta.url` (the stack formatter, `createRequire`) becomes the URL
 * of the file itself, as it was of the ES module.
 */
const BANNER = '"use strict";\nvar __charmsImportMetaUrl = require("node:url").pathToFileURL(__filename).href;';

/**
 * The first pass's ES modules (`charm.mjs` and `chunks/*.mjs`, each with its map) as
 * CommonJS modules, file for file: `charm.cjs` and `chunks/*.cjs`, each with a map
 * chained through the first pass's map to the TypeScript sources.
 *
 * Why: Node starts a CommonJS main module without starting its ES module loader, and a
 * CommonJS module can be compiled through `vm.Script` with a V8 code cache (Node 20 has
 * no code cache for ES modules); see docs/explanation/build-and-pack-load.md. esbuild
 * splits code into chunks only for ES modules, so the split is made first and each file
 * converted after: a static import becomes `require("./chunks/x.cjs")`, an `import()`
 * of a chunk `Promise.resolve().then(() => require(…))`, loaded on first use as before
 * (with `keepComputedImports`, through a one-line module standing for the `import()`).
 * Every file is one module in Node's `require` cache, so code shared by the entry and a
 * chunk exists once (a class shared is the same class for `instanceof`), and a converted
 * module reads another's exports as properties, so live bindings stay live.
 *
 * @param esm the first pass's output files (`.mjs` and `.mjs.map`, absolute paths under `outdir`)
 * @throws the esbuild failure as it comes (the caller reports its messages)
 */
export async function commonJsFiles(esm: readonly OutputFile[], outdir: string, options: CommonJsOptions = {}): Promise<BundleFile[]> {
  const key = (absolute: string) => relative(outdir, absolute).split(sep).join('/');
  const modules = new Map<string, string>();
  const maps = new Map<string, string>();
  for (const file of esm) {
    if (file.path.endsWith('.mjs.map')) maps.set(key(file.path).slice(0, -'.map'.length), file.text);
    else if (file.path.endsWith('.mjs')) modules.set(key(file.path), file.text);
  }
  try {
    const shared = new Set(options.sharedPackages ?? []);
    // A bundle file's specifier for a shared package, from the file that imports it.
    const sharedSpecifier = (importer: string, name: string) => {
      const path = posix.relative(posix.dirname(importer), sharedPackageFile(name));
      return path.startsWith('.') ? path : `./${path}`;
    };
    const result = await build({
      entryPoints: [
        ...[...modules.keys()].map((path) => ({ in: `${NAMESPACE}:${path}`, out: path.slice(0, -'.mjs'.length) })),
        ...[...shared].map((name) => ({ in: `${SHARED_NAMESPACE}:${name}`, out: sharedPackageFile(name).slice(0, -'.cjs'.length) })),
      ],
      bundle: true,
      write: false,
      outdir,
      outExtension: { '.js': '.cjs' },
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      // import() of a chunk becomes require(): a CommonJS file compiled through vm.Script
      // has no loader for import() without an experimental callback. Kept, the literal
      // ones are made require() by the plugin below, and only the computed ones stay.
      ...(options.keepComputedImports ? {} : { supported: { 'dynamic-import': false } }),
      define: { 'import.meta.url': '__charmsImportMetaUrl' },
      banner: { js: BANNER },
      sourcemap: 'linked',
      sourcesContent: false,
      legalComments: 'none',
      logLevel: 'silent',
      plugins: [
        {
          name: 'charms-bundle-files',
          setup(plugin) {
            plugin.onResolve({ filter: /.*/ }, async (args) => {
              if (args.kind === 'entry-point' && args.path.startsWith(`${SHARED_NAMESPACE}:`)) {
                const name = args.path.slice(SHARED_NAMESPACE.length + 1);
                const resolved = await plugin.resolve(name, { kind: 'require-call', resolveDir: options.resolveDir ?? process.cwd() });
                return resolved.errors.length > 0 ? { errors: resolved.errors } : { path: resolved.path };
              }
              if (args.kind === 'entry-point') return { path: args.path.slice(NAMESPACE.length + 1), namespace: NAMESPACE };
              // A shared package, from a file of the bundle: its one file (an import() of it below).
              const keptImport = options.keepComputedImports && args.kind === 'dynamic-import';
              if (args.namespace === NAMESPACE && shared.has(args.path) && !keptImport) return { path: sharedSpecifier(args.importer, args.path), external: true };
              // The require of a module standing for an import(): its specifier is final.
              if (args.namespace === REQUIRE_NAMESPACE) return { path: args.path, external: true };
              const target = posix.join(posix.dirname(args.importer), args.path);
              const bundleFile = args.path.startsWith('.') && modules.has(target);
              const specifier = bundleFile ? args.path.replace(/\.mjs$/, '.cjs') : args.path;
              if (options.keepComputedImports && args.kind === 'dynamic-import') {
                // A module of one line, bundled into the importing file: esbuild makes the
                // import() of it `Promise.resolve().then(() => __toESM(require_x()))`, as it
                // does an import() it lowers. Named by the importer's folder too: the same
                // relative specifier elsewhere is another file.
                const required = shared.has(specifier) ? sharedSpecifier(args.importer, specifier) : specifier;
                return { path: `${posix.dirname(args.importer)}:${required}`, namespace: REQUIRE_NAMESPACE, pluginData: required };
              }
              // Another file of the bundle: required at run time from beside this one.
              if (!bundleFile) return undefined;
              return { path: specifier, external: true };
            });
            plugin.onLoad({ filter: /.*/, namespace: REQUIRE_NAMESPACE }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.pluginData)});`, loader: 'js' }));
            plugin.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => {
              const map = maps.get(args.path);
              // The first pass's map, inline: esbuild maps the new file through it.
              const inlineMap = map === undefined ? '' : `\n//# sourceMappingURL=data:application/json;base64,${Buffer.from(map).toString('base64')}\n`;
              return { contents: `${modules.get(args.path)!}${inlineMap}`, loader: 'js', resolveDir: posix.join(outdir, dirname(args.path)) };
            });
          },
        },
      ],
    });
    const files = result.outputFiles.map((file) => ({ path: key(file.path), text: file.text }));
    if (!options.keepComputedImports) return files;
    return await Promise.all(files.map(async (file) => (file.path.endsWith('.cjs') && (await callsImport(file.text)) ? { ...file, callsImport: true } : file)));
  } catch (error) {
    for (const message of (error as { errors?: Message[] }).errors ?? []) placeInSource(message, maps, outdir);
    throw error;
  }
}

/**
 * Whether converted code calls `import()`: once the literal ones are `require()`, only
 * those of a computed specifier are left. Comments do not count (a comment in zod's
 * sources names `import()`, and it would leave a 1 MB chunk without its cache): esbuild's
 * whitespace minifier drops them, and writes `import (x)` as `import(x)`. A string that
 * holds `import(` still counts, which costs that file its cache and nothing else.
 */
async function callsImport(text: string): Promise<boolean> {
  if (!/\bimport\s*\(/.test(text)) return false;
  const { code } = await transform(text, { loader: 'js', minifyWhitespace: true, legalComments: 'none', logLevel: 'silent' });
  return code.includes('import(');
}

/**
 * Moves a second-pass message from the first pass's file to the TypeScript it came from,
 * through that file's map, so that the author reads their own file and line. Top-level
 * await is the one thing ES modules allow and CommonJS does not: its message says what to do.
 */
function placeInSource(message: Message, maps: ReadonlyMap<string, string>, outdir: string): void {
  if (/top-level await/i.test(message.text)) {
    message.text = 'top-level await is not supported in a charm: the build makes the bundle CommonJS (every hook loads it with a V8 code cache). Await inside a handler or an atstart callback instead';
  }
  const location = message.location;
  if (location === null || !location.file.startsWith(`${NAMESPACE}:`)) return;
  const path = location.file.slice(NAMESPACE.length + 1);
  const map = maps.get(path);
  if (map === undefined) return;
  const entry = new SourceMap(JSON.parse(map) as ConstructorParameters<typeof SourceMap>[0]).findEntry(location.line - 1, location.column) as Partial<{ originalSource: string; originalLine: number; originalColumn: number }>;
  if (entry.originalSource === undefined || entry.originalLine === undefined || entry.originalColumn === undefined) return;
  Object.assign(location, { file: resolve(outdir, dirname(path), entry.originalSource), line: entry.originalLine + 1, column: entry.originalColumn });
}
