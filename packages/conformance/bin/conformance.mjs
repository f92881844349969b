#!/usr/bin/env node
// `pnpm conformance`: starts the conformance runner (src/cli.ts) without tsx.
//
// esbuild bundles the runner's TypeScript, with the workspace packages it uses, into
// <repo>/node_modules/.cache/charms-conformance/cli.mjs, and this file runs that bundle.
// Beside it, inputs.json records the size and modification time of every file the
// bundle was made from, of this launcher, of the package.json and tsconfig files that
// decide how sources resolve, and of node_modules/.modules.yaml (rewritten by every
// pnpm install). When any of them differs, or is gone, the bundle is made again before
// it runs, so a fresh clone needs no build step and an edited source is never run
// stale. Set CHARMS_CONFORMANCE_REBUILD=1 to rebuild regardless.
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const repo = join(packageDir, '..', '..');
const cacheDir = join(repo, 'node_modules', '.cache', 'charms-conformance');
const bundle = join(cacheDir, 'cli.mjs');
const inputsFile = join(cacheDir, 'inputs.json');
const alwaysWatched = [
  relative(repo, fileURLToPath(import.meta.url)),
  'tsconfig.json',
  'tsconfig.base.json',
  join('node_modules', '.modules.yaml'),
];

/** Size and modification time of a repository file, or 'missing'. */
function stamp(path) {
  try {
    const info = statSync(join(repo, path));
    return `${info.size}:${info.mtimeMs}`;
  } catch {
    return 'missing';
  }
}

function bundleIsCurrent() {
  if (process.env.CHARMS_CONFORMANCE_REBUILD === '1') return false;
  let recorded;
  try {
    recorded = JSON.parse(readFileSync(inputsFile, 'utf8'));
  } catch {
    return false;
  }
  for (const path in recorded) if (stamp(path) !== recorded[path]) return false;
  return true;
}

async function rebuild() {
  const { build } = await import('esbuild');
  const started = Date.now();
  const suffix = `.${process.pid}.tmp`;
  mkdirSync(cacheDir, { recursive: true });
  const result = await build({
    absWorkingDir: repo,
    entryPoints: [join(packageDir, 'src', 'cli.ts')],
    outfile: bundle + suffix,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['source'],
    // ES modules where a package has both (jsonc-parser's UMD build requires its own files at run time).
    mainFields: ['module', 'main'],
    // For `node --enable-source-maps`; node reads the map only with that flag.
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'error',
    // Bundled CommonJS packages may require node's own modules.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  });
  renameSync(bundle + suffix + '.map', bundle + '.map');
  renameSync(bundle + suffix, bundle);

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
  // A file changed while the bundle was being made: record nothing, so the next run
  // makes it again.
  if (Object.values(inputs).some((value) => value !== 'missing' && Number(value.split(':')[1]) >= started)) return;
  writeFileSync(inputsFile + suffix, `${JSON.stringify(inputs, null, 1)}\n`);
  renameSync(inputsFile + suffix, inputsFile);
}

if (!bundleIsCurrent()) await rebuild();
const { main } = await import(pathToFileURL(bundle).href);
process.exitCode = await main(process.argv.slice(2), { sharedDir: join(packageDir, 'shared') });
