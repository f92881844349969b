#!/usr/bin/env node
// The charms command, in this one process.
//
// Installed from a package (inside a node_modules folder), it runs the built JavaScript
// in dist/. In a checkout of the charms.ts repository it runs dist/ only when every
// package's dist/ is newer than its src/; otherwise it runs the TypeScript sources,
// compiled by esbuild as they load (typescript-hooks.mjs). So a fresh clone needs no
// build step, and an edit is never hidden behind an older build: `pnpm build` only
// makes the start faster. (Checking costs a few milliseconds: a stat per source file.)
import { register } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildIsFresh } from './build-freshness.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));

if (root.split(sep).includes('node_modules') || buildIsFresh(dirname(root))) {
  await import(pathToFileURL(join(root, 'dist', 'bin.js')).href);
} else {
  const fallback = pathToFileURL(join(root, '..', '..', 'package.json')).href; // the workspace root's node_modules
  register('./typescript-hooks.mjs', import.meta.url, { data: { source: true, fallback } });
  await import(pathToFileURL(join(root, 'src', 'bin.ts')).href);
}
