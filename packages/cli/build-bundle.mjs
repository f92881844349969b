// `pnpm build` of @charms/cli, after tsup: the charms command as an esbuild bundle in
// bundle/ (bin.cjs and the chunks its commands load when they run). Node then reads a few
// files instead of some five hundred modules across the workspace's dist/ folders and
// node_modules, which halved opening the model (issue 20). bin/charms.cjs runs it when it
// is there and current (build-freshness.cjs); dist/ stays the package's library build.
//
// Made as a charm's bundle is (@charms/build): esbuild splits it as ES modules, then each
// file becomes a CommonJS module (commonJsFiles), and bundle/start.cjs loads them through
// vm.Script with a V8 code cache, bundle/.v8-code-cache (codeCacheLoader): Node 20 has no
// code cache for ES modules, and a CommonJS main never starts Node's ES module loader.
// docs/explanation/build-and-pack-load.md has the figures.
//
// Made from the sources (the `source` export condition), not from the other packages'
// dist/: tsup has turned their require() calls into a helper esbuild cannot follow, and
// @charms/model's kubernetesKinds relies on esbuild bundling its literal require() calls.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildId, codeCacheLoader, commonJsFiles } from '@charms/build/internal';
import { build } from 'esbuild';

const packageDir = dirname(fileURLToPath(import.meta.url));
// `node build-bundle.mjs [folder]`: bundle/ unless a folder is given (the tests make their
// own). A folder of this package, like bundle/: program.ts reads `../package.json`.
const outDir = process.argv[2] === undefined ? join(packageDir, 'bundle') : resolve(process.argv[2]);
if (dirname(outDir) !== packageDir) throw new Error(`build-bundle.mjs: the bundle's folder must be a folder of ${packageDir}, not ${outDir}`);
const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));

/** What bin/charms.cjs requires: loads bin.cjs and its chunks with the code cache. */
const START_FILE = 'start.cjs';
/** The V8 code cache, written by a command that compiled a file without one (see codeCacheLoader). */
const CODE_CACHE_FILE = '.v8-code-cache';
/** Resolves a package as an ES module import would (ESM_ONLY below). */
const IMPORT_RESOLVE_FILE = 'import-resolve.mjs';
/** The chunks' ages, for removing those of earlier builds (below). */
const STALE_FILE = '.stale.json';

// ES-module-only packages the bundle loads from node_modules: their package.json exports
// name no condition require() meets ('import' only), so Node's require cannot resolve
// them, though it can load them (require of an ES module, Node 20.19). Each is required
// by the path an import of it resolves to, from beside the bundle (import-resolve.mjs).
// @charms/build finds files beside its own modules (its stack-trace module in src/, the
// postject it depends on), which a bundle in this folder would not have. Only building,
// packing and reading a charm load it; it is a dependency of this package, so it resolves
// from bundle/.
const ESM_ONLY = /^@charms\/build(\/.*)?$/;

// Loaded from node_modules when used, never copied into the bundle:
const external = [
  // The compilers and the layout engine: large, loaded by the commands that use them.
  'esbuild',
  'typescript',
  'elkjs',
  'elkjs/*',
  // CommonJS, and imported with import() for named exports (`const { parse } = await
  // import('yaml')`): from a split bundle esbuild gives such an import only `default`,
  // where Node gives the names too (and so does require). A dependency of this package,
  // so it resolves here.
  'yaml',
  // Optional native add-ons ws tries and does without.
  'bufferutil',
  'utf-8-validate',
  // Never installed for a user: tests and the graph's browser checks load them. A
  // devDependency here that a bundled package depends on (ws and yauzl are @charms/model's)
  // is bundled with it: a user's install need not have a copy that bundle/ can find.
  ...Object.keys(manifest.devDependencies ?? {}).filter((name) => !workspaceDependencies().has(name)),
  ...Object.keys(manifest.peerDependencies ?? {}),
];

const esm = await build({
  absWorkingDir: packageDir,
  entryPoints: { bin: 'src/bin.ts' },
  outdir: outDir,
  // Chunks beside bin.cjs, not in a subfolder: program.ts reads `../package.json` from
  // its module's folder, and CLI_ROOT looks for the package above it.
  chunkNames: '[name]-[hash]',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  conditions: ['source'],
  external,
  // Into the second pass, which chains each file's map through this one.
  sourcemap: 'external',
  write: false,
  // @charms/model's kubernetesKinds: take the bundled modules (manifests.ts says why).
  define: { CHARMS_CLI_BUNDLE: 'true' },
  plugins: [esmOnlyPackages()],
  logLevel: 'warning',
});
// Kept: computed import() calls (`charms lint` loading a charm's modules by their path,
// through the TypeScript hooks), which the start script lets the files make.
// yaml, external to the first pass (see above), is bundled once by the second: as
// yaml.cjs, which every file that uses it requires (each file would have its own copy).
const files = await commonJsFiles(esm.outputFiles, outDir, { keepComputedImports: true, sharedPackages: ['yaml'], resolveDir: packageDir });
const id = buildId(files.map((file) => `${file.path}\0${file.text}`).join('\0'));
const startScript = codeCacheLoader({
  id,
  entry: 'bin.cjs',
  cacheFile: CODE_CACHE_FILE,
  header: `// Generated by packages/cli/build-bundle.mjs: loads bin.cjs and the chunks a command needs
// with a V8 code cache (${CODE_CACHE_FILE}), written by a command that compiled a file
// without one, or the first of its name. See @charms/build's code-cache-loader.ts.`,
  // The command's name: its first word that is not an option. A word taken wrongly (the
  // value of an option before the command) only costs one more write of the cache.
  runName: "process.argv.slice(2).find((word) => !word.startsWith('-')) ?? ''",
  importingFiles: files.filter((file) => file.callsImport).map((file) => file.path),
});

mkdirSync(outDir, { recursive: true });
// A file whose text did not change is not written again: its modification time is in its
// entry of the code cache, which stays usable.
for (const file of files) {
  const path = join(outDir, file.path);
  if (!existsSync(path) || readFileSync(path, 'utf8') !== file.text) writeFileSync(path, file.text);
}
writeFileSync(join(outDir, IMPORT_RESOLVE_FILE), "// Generated by packages/cli/build-bundle.mjs: where an import of a package from this folder resolves\n// (the bundle requires the ES-module-only packages by it).\nexport const resolveImport = (specifier) => import.meta.resolve(specifier);\n");
// Last: its modification time says when the bundle was made (build-freshness.cjs).
writeFileSync(join(outDir, START_FILE), startScript);

// The chunks of earlier builds have other hashed names. A charms process started before
// this build requires its commands' chunks when they run, so they stay for an hour after
// the build that stopped writing them, then a build removes them (bin.cjs, the entry, is
// overwritten in place, never missing).
// The hour counts from the build that stopped writing a file, kept in .stale.json: a chunk
// written long ago may be the one a command started a minute ago still needs.
const KEEP_STALE_MS = 60 * 60 * 1000;
const written = new Set([...files.map((file) => file.path), START_FILE, IMPORT_RESOLVE_FILE, STALE_FILE, CODE_CACHE_FILE]);
let staleSince = {};
try {
  staleSince = JSON.parse(readFileSync(join(outDir, STALE_FILE), 'utf8'));
} catch {
  // None yet, or damaged: every file no build wrote now is stale from now.
}
const now = Date.now();
const stillStale = {};
for (const name of readdirSync(outDir)) {
  if (written.has(name)) continue;
  const since = typeof staleSince[name] === 'number' ? staleSince[name] : now;
  if (now - since > KEEP_STALE_MS) rmSync(join(outDir, name), { force: true });
  else stillStale[name] = since;
}
writeFileSync(join(outDir, STALE_FILE), `${JSON.stringify(stillStale)}\n`);

/**
 * Each import of an ESM_ONLY package becomes a module that requires the file the import
 * resolves to (esbuild would make it `require('@charms/build')`, which Node's require
 * cannot resolve) and exports its names, read from the package as this build sees it (an
 * `import()` of a module that only sets module.exports would give `default` alone).
 * `__dirname` is the bundle's folder once the file is CommonJS.
 */
function esmOnlyPackages() {
  return {
    name: 'charms-esm-only-packages',
    setup(plugin) {
      plugin.onResolve({ filter: ESM_ONLY }, (args) => ({ path: args.path, namespace: 'charms-esm-only' }));
      plugin.onLoad({ filter: /.*/, namespace: 'charms-esm-only' }, async (args) => {
        const names = Object.keys(await import(args.path)).filter((name) => name !== 'default');
        const file = `require('node:url').fileURLToPath(require(require('node:path').join(__dirname, ${JSON.stringify(IMPORT_RESOLVE_FILE)})).resolveImport(${JSON.stringify(args.path)}))`;
        return { contents: `const loaded = require(${file});\nexport const { ${names.join(', ')} } = loaded;\n`, loader: 'js' };
      });
    },
  };
}

/** The dependencies of the workspace's packages, which the bundle takes in with them. */
function workspaceDependencies() {
  const packagesDir = dirname(packageDir);
  const names = new Set();
  for (const name of readdirSync(packagesDir)) {
    const file = join(packagesDir, name, 'package.json');
    if (!existsSync(file)) continue;
    for (const dependency of Object.keys(JSON.parse(readFileSync(file, 'utf8')).dependencies ?? {})) names.add(dependency);
  }
  return names;
}
