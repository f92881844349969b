#!/usr/bin/env node
// The charms command, in this one process.
//
// Installed from a package (inside a node_modules folder), it runs the built JavaScript:
// the bundle in bundle/ (build-bundle.mjs: one file and its chunks instead of hundreds of
// modules), or dist/ where a package has no bundle. In a checkout of the charms.ts
// repository it runs the bundle only when it is newer than every package's sources, and
// dist/ only when every package's dist/ is newer than its src/; otherwise it runs the
// TypeScript sources, compiled by esbuild as they load (typescript-hooks.mjs). So a fresh
// clone needs no build step, and an edit is never hidden behind an older build: `pnpm
// build` only makes the start faster. (Checking costs a few milliseconds: a stat per
// source file.) What esbuild made of each source is kept for the next start while its
// text is the same.
import { existsSync } from 'node:fs';
import { register } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { freshBuild } from './build-freshness.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const bundle = join(root, 'bundle', 'bin.js');
const build = root.split(sep).includes('node_modules') ? (existsSync(bundle) ? 'bundle' : 'dist') : freshBuild(dirname(root), bundle);

if (build === 'bundle') {
  await import(pathToFileURL(bundle).href);
} else if (build === 'dist') {
  await import(pathToFileURL(join(root, 'dist', 'bin.js')).href);
} else {
  const workspace = dirname(dirname(root));
  const fallback = pathToFileURL(join(workspace, 'package.json')).href; // the workspace root's node_modules
  // The compiled packages are kept between starts (typescript-hooks.mjs), beside the other tools' caches.
  const cache = { dir: join(workspace, 'node_modules', '.cache', 'charms-typescript'), sources: join(workspace, 'packages') };
  register('./typescript-hooks.mjs', import.meta.url, { data: { source: true, fallback, cache } });
  await import(pathToFileURL(join(root, 'src', 'bin.ts')).href);
}
