// `pnpm build` of @charms/cli, after tsup: the charms command as one esbuild bundle in
// bundle/ (bin.js and the chunks its commands load when they run). Node then reads a few
// files instead of some five hundred modules across the workspace's dist/ folders and
// node_modules, which halved opening the model (issue 20). bin/charms.mjs runs it when it
// is there and current (build-freshness.mjs); dist/ stays the package's library build.
//
// Made from the sources (the `source` export condition), not from the other packages'
// dist/: tsup has turned their require() calls into a helper esbuild cannot follow, and
// @charms/model's kubernetesKinds relies on esbuild bundling its literal require() calls.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const packageDir = dirname(fileURLToPath(import.meta.url));
const outDir = join(packageDir, 'bundle');
const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));

// Loaded from node_modules when used, never copied into the bundle:
const external = [
  // @charms/build finds files beside its own modules (its stack-trace module in src/, the
  // postject it depends on), which a bundle in this folder would not have. Only building
  // and packing load it; it is a dependency of this package, so it resolves from bundle/.
  '@charms/build',
  '@charms/build/*',
  // The compilers and the layout engine: large, loaded by the commands that use them.
  'esbuild',
  'typescript',
  'elkjs',
  'elkjs/*',
  // CommonJS, and imported with import() for named exports (`const { parse } = await
  // import('yaml')`): from a split bundle esbuild gives such an import only `default`,
  // where Node gives the names too. A dependency of this package, so it resolves here.
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

const result = await build({
  absWorkingDir: packageDir,
  entryPoints: { bin: 'src/bin.ts' },
  outdir: outDir,
  // Chunks beside bin.js, not in a subfolder: program.ts reads `../package.json` from
  // its module's folder, and CLI_ROOT looks for the package above it.
  chunkNames: '[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  conditions: ['source'],
  external,
  sourcemap: true,
  // The CommonJS packages bundled (ajv, yauzl, kubernetes-models…) call require for Node's
  // modules and for one another; an ES module has none, so each file gets one of its own.
  banner: { js: "import { createRequire as __charmsCreateRequire } from 'node:module'; const require = __charmsCreateRequire(import.meta.url);" },
  // @charms/model's kubernetesKinds: take the bundled modules (manifests.ts says why).
  define: { CHARMS_CLI_BUNDLE: 'true' },
  metafile: true,
  logLevel: 'warning',
});

// The chunks of earlier builds have other hashed names. A charms process started before
// this build imports its commands' chunks when they run, so they stay for an hour after
// their build wrote them, then the next build removes them (bin.js, the entry, is
// overwritten in place, never missing).
// The hour counts from the build that stopped writing a file, kept in .stale.json: a chunk
// written long ago may be the one a command started a minute ago still needs.
const KEEP_STALE_MS = 60 * 60 * 1000;
const STALE_FILE = join(outDir, '.stale.json');
const written = new Set(Object.keys(result.metafile.outputs).map((file) => basename(file)));
let staleSince = {};
try {
  staleSince = JSON.parse(readFileSync(STALE_FILE, 'utf8'));
} catch {
  // None yet, or damaged: every file no build wrote now is stale from now.
}
const now = Date.now();
const stillStale = {};
for (const name of readdirSync(outDir)) {
  if (written.has(name) || name === '.stale.json') continue;
  const since = typeof staleSince[name] === 'number' ? staleSince[name] : now;
  if (now - since > KEEP_STALE_MS) rmSync(join(outDir, name), { force: true });
  else stillStale[name] = since;
}
writeFileSync(STALE_FILE, `${JSON.stringify(stillStale)}\n`);

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
