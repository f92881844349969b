#!/usr/bin/env node
// The charms command, in this one process.
//
// Installed from a package (inside a node_modules folder), it runs the built JavaScript
// in dist/. In a checkout of the charms.ts repository it runs dist/ only when every
// package's dist/ is newer than its src/; otherwise it runs the TypeScript sources,
// compiled by esbuild as they load (typescript-hooks.mjs). So a fresh clone needs no
// build step, and an edit is never hidden behind an older build: `pnpm build` only
// makes the start faster. (Checking costs a few milliseconds: a stat per source file.)
// What esbuild made of each source is kept for the next start while its text is the same.
import { register } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildIsFresh } from './build-freshness.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));

if (root.split(sep).includes('node_modules') || buildIsFresh(dirname(root))) {
  await import(pathToFileURL(join(root, 'dist', 'bin.js')).href);
} else {
  const workspace = dirname(dirname(root));
  const fallback = pathToFileURL(join(workspace, 'package.json')).href; // the workspace root's node_modules
  // The compiled packages are kept between starts (typescript-hooks.mjs), beside the other tools' caches.
  const cache = { dir: join(workspace, 'node_modules', '.cache', 'charms-typescript'), sources: join(workspace, 'packages') };
  register('./typescript-hooks.mjs', import.meta.url, { data: { source: true, fallback, cache } });
  await import(pathToFileURL(join(root, 'src', 'bin.ts')).href);
}
