#!/usr/bin/env node
// The charms command, in this one process.
//
// Installed from a package (inside a node_modules folder), it runs the built JavaScript
// in dist/. In a checkout of the charms.ts repository it runs dist/ only when every
// package's dist/ is newer than its src/; otherwise it runs the TypeScript sources,
// compiled by esbuild as they load (typescript-hooks.mjs). So a fresh clone needs no
// build step, and an edit is never hidden behind an older build: `pnpm build` only
// makes the start faster. (Checking costs a few milliseconds: a stat per source file.)
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { register } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));

if (root.split(sep).includes('node_modules') || buildIsFresh(dirname(root))) {
  await import(pathToFileURL(join(root, 'dist', 'bin.js')).href);
} else {
  const fallback = pathToFileURL(join(root, '..', '..', 'package.json')).href; // the workspace root's node_modules
  register('./typescript-hooks.mjs', import.meta.url, { data: { source: true, fallback } });
  await import(pathToFileURL(join(root, 'src', 'bin.ts')).href);
}

/** True when each built package of the workspace has its dist/ newer than anything in its src/. */
function buildIsFresh(packagesDir) {
  for (const name of readdirSync(packagesDir)) {
    const dir = join(packagesDir, name);
    const manifestFile = join(dir, 'package.json');
    if (!existsSync(manifestFile)) continue;
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    if (!manifest.scripts?.build) continue;
    const built = oldestEntry(dir, manifest);
    if (built === undefined || newestSource(join(dir, 'src')) > built) return false;
  }
  return true;
}

/**
 * The oldest modification time of a package's built entry modules (the `import` targets
 * of its exports, and the CLI's dist/bin.js), or undefined when one is missing. Only the
 * entries count: builds overwrite dist/ in place, so chunks of earlier builds, with other
 * hashed names, stay beside the current ones.
 */
function oldestEntry(dir, manifest) {
  const entries = new Set();
  const collect = (value, key) => {
    if (typeof value === 'string' && key === 'import') entries.add(value);
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) collect(v, k);
  };
  collect(manifest.exports, undefined);
  if (manifest.bin) entries.add('./dist/bin.js');
  let oldest;
  for (const entry of entries) {
    const file = join(dir, entry);
    if (!existsSync(file)) return undefined;
    const time = statSync(file).mtimeMs;
    oldest = oldest === undefined ? time : Math.min(oldest, time);
  }
  return oldest;
}

/** The newest modification time in a folder tree; a folder's own time counts, as it changes when a file is added or removed. */
function newestSource(dir) {
  let newest = statSync(dir).mtimeMs;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}
