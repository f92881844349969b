// Whether the workspace's builds are current: bin/charms.cjs runs the CLI's bundle or
// dist/ only then, and the benches say which they measured. Plain CommonJS: it runs before
// anything can load TypeScript, and loading it starts no ES module loader.
'use strict';
const { existsSync, readdirSync, readFileSync, statSync } = require('node:fs');
const { join } = require('node:path');

/**
 * Which build of the charms command is current: 'bundle' when each package's dist/ is
 * newer than its src/ and `bundleFile` (the CLI's bundle/start.cjs, which build-bundle.mjs
 * writes last; the bundle is made from all the packages' sources) is newer than every
 * source; 'dist' when only the former holds (the bundle is missing, or older than a source
 * edited since); undefined when a dist/ is missing or older than its src/.
 */
function freshBuild(packagesDir, bundleFile) {
  const newest = newestBuiltSource(packagesDir);
  if (newest === undefined) return undefined;
  // The bundle also holds the third-party packages the lockfile pins, and is made by
  // build-bundle.mjs: a change to either makes it stale too.
  const inputs = [join(packagesDir, '..', 'pnpm-lock.yaml'), join(packagesDir, 'cli', 'build-bundle.mjs')].map(modified);
  return existsSync(bundleFile) && statSync(bundleFile).mtimeMs > Math.max(newest, ...inputs) ? 'bundle' : 'dist';
}

/** A file's modification time, 0 when it is not there. */
function modified(file) {
  return existsSync(file) ? statSync(file).mtimeMs : 0;
}

/** The newest modification time in the src/ of the built packages, or undefined when a package's dist/ is missing or older than its src/. */
function newestBuiltSource(packagesDir) {
  let newest = 0;
  for (const name of readdirSync(packagesDir)) {
    const dir = join(packagesDir, name);
    const manifestFile = join(dir, 'package.json');
    if (!existsSync(manifestFile)) continue;
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    if (!manifest.scripts?.build) continue;
    const built = oldestEntry(dir, manifest);
    const source = newestSource(join(dir, 'src'));
    if (built === undefined || source > built) return undefined;
    newest = Math.max(newest, source);
  }
  return newest;
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
module.exports = { freshBuild };
