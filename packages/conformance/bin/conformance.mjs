#!/usr/bin/env node
// `pnpm conformance`: starts the conformance runner (src/cli.ts) without tsx.
//
// esbuild bundles the runner's TypeScript, with the workspace packages it uses, into a
// folder of <repo>/node_modules/.cache/charms-conformance/, and this file runs that
// bundle. Code the runner loads only on demand (zod, to explain a fixture that is not in
// the format) goes into chunks of its own, so a run does not parse it. Beside the
// folders, build.json names the current one and records the size and modification
// time of every file it was made from, of this launcher, of the package.json and
// tsconfig files that decide how sources resolve, and of node_modules/.modules.yaml
// (rewritten by every pnpm install). When any of them differs, or is gone, the bundle
// is made again before it runs, so a fresh clone needs no build step and an edited
// source is never run stale. CHARMS_CONFORMANCE_REBUILD=1 makes it again regardless.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const repo = join(packageDir, '..', '..');
const cacheDir = join(repo, 'node_modules', '.cache', 'charms-conformance');
const buildFile = join(cacheDir, 'build.json');
const alwaysWatched = [
  relative(repo, fileURLToPath(import.meta.url)),
  'tsconfig.json',
  'tsconfig.base.json',
  join('node_modules', '.modules.yaml'),
];
// Older bundle folders are removed, except the one just replaced and any made in the
// last ten minutes: a run that started on one may still load a chunk from it.
const KEEP_OLD_MS = 10 * 60 * 1000;

/** Size and modification time of a repository file, or 'missing'. */
function stamp(path) {
  try {
    const info = statSync(join(repo, path));
    return `${info.size}:${info.mtimeMs}`;
  } catch {
    return 'missing';
  }
}

/** What build.json says: the current bundle folder and its inputs, if anything. */
function recorded() {
  try {
    return JSON.parse(readFileSync(buildFile, 'utf8'));
  } catch {
    return undefined;
  }
}

/** The folder of the current bundle, or undefined when there is none or it is stale. */
function currentBundle(build) {
  if (!build || process.env.CHARMS_CONFORMANCE_REBUILD === '1') return undefined;
  for (const path in build.inputs) if (stamp(path) !== build.inputs[path]) return undefined;
  return join(cacheDir, build.folder);
}

/** Makes a new bundle, records it in build.json if nothing changed meanwhile, and returns its folder. */
async function rebuild(previous) {
  const { build } = await import('esbuild');
  const started = Date.now();
  const folder = `bundle-${started.toString(36)}-${process.pid}`;
  const outdir = join(cacheDir, folder);
  mkdirSync(cacheDir, { recursive: true });
  const result = await build({
    absWorkingDir: repo,
    entryPoints: { cli: join(packageDir, 'src', 'cli.ts') },
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['source'],
    // ES modules where a package has both (jsonc-parser's UMD build requires its own files at run time).
    mainFields: ['module', 'main'],
    // For `node --enable-source-maps`; node reads the maps only with that flag.
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'error',
    // Bundled CommonJS packages may require node's own modules.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  });

  const watched = new Set(alwaysWatched);
  for (const input of Object.keys(result.metafile.inputs)) {
    // Installed packages change only through pnpm install, which .modules.yaml records.
    if (input.split(/[\\/]/).includes('node_modules')) continue;
    watched.add(input);
    const workspacePackage = /^(packages|examples)[\\/][^\\/]+/.exec(input);
    if (workspacePackage) watched.add(join(workspacePackage[0], 'package.json'));
  }
  const inputs = {};
  for (const path of [...watched].sort()) inputs[path] = stamp(path);
  // A file changed while the bundle was being made: record nothing, so that the next
  // run makes it again.
  if (Object.values(inputs).some((value) => value !== 'missing' && Number(value.split(':')[1]) >= started)) return outdir;
  const temporary = `${buildFile}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify({ folder, inputs }, null, 1)}\n`);
  renameSync(temporary, buildFile);

  for (const entry of readdirSync(cacheDir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name === folder || entry.name === previous?.folder) continue;
    const path = join(cacheDir, entry.name);
    if (started - statSync(path).mtimeMs > KEEP_OLD_MS) rmSync(path, { recursive: true, force: true });
  }
  return outdir;
}

const build = recorded();
const bundle = currentBundle(build) ?? (await rebuild(build));
const { main } = await import(pathToFileURL(join(bundle, 'cli.mjs')).href);
process.exitCode = await main(process.argv.slice(2), { sharedDir: join(packageDir, 'shared') });
