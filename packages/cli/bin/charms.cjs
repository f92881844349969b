#!/usr/bin/env node
// The charms command, in this one process.
//
// Installed from a package (inside a node_modules folder), it runs the built JavaScript:
// the bundle in bundle/ (build-bundle.mjs: a few CommonJS files loaded with a V8 code
// cache by bundle/start.cjs, instead of hundreds of modules), or dist/ where a package
// has no bundle. In a checkout of the charms.ts repository it runs the bundle only when it
// is newer than every package's sources, and dist/ only when every package's dist/ is
// newer than its src/; otherwise it runs the TypeScript sources, compiled by esbuild as
// they load (typescript-hooks.mjs). So a fresh clone needs no build step, and an edit is
// never hidden behind an older build: `pnpm build` only makes the start faster. (Checking
// costs a few milliseconds: a stat per source file.) What esbuild made of each source is
// kept for the next start while its text is the same.
//
// CommonJS, as the bundle is: a CommonJS main starts without Node's ES module loader
// (some 16 ms), which only dist/ and the sources need.
'use strict';
const { existsSync } = require('node:fs');
const { register } = require('node:module');
const { dirname, join, sep } = require('node:path');
const { pathToFileURL } = require('node:url');
const { freshBuild } = require('./build-freshness.cjs');

const root = dirname(__dirname);
const bundle = join(root, 'bundle', 'start.cjs');
const build = root.split(sep).includes('node_modules') ? (existsSync(bundle) ? 'bundle' : 'dist') : freshBuild(dirname(root), bundle);

if (build === 'bundle') {
  require(bundle);
} else if (build === 'dist') {
  void import(pathToFileURL(join(root, 'dist', 'bin.js')).href);
} else {
  const workspace = dirname(dirname(root));
  const fallback = pathToFileURL(join(workspace, 'package.json')).href; // the workspace root's node_modules
  // The compiled packages are kept between starts (typescript-hooks.mjs), beside the other tools' caches.
  const cache = { dir: join(workspace, 'node_modules', '.cache', 'charms-typescript'), sources: join(workspace, 'packages') };
  register('./typescript-hooks.mjs', pathToFileURL(__filename), { data: { source: true, fallback, cache } });
  void import(pathToFileURL(join(root, 'src', 'bin.ts')).href);
}
