// Node module hooks (module.register) that load TypeScript in the running process:
// each .ts file is compiled by esbuild as it loads (standard decorators lowered, function
// names kept, since handler ids default to them). Plain JavaScript, so that it runs
// before anything can load TypeScript.
//
// Registered with { source: true } by bin/charms.mjs in this repository when dist/ is
// missing or older than the sources: the `source` export condition is then added, so
// that the workspace packages resolve to their TypeScript too. Registered with
// { source: false } by `charms lint` and `charms graph` to load a charm's reactive/*.ts.
//
// With `data.cache` (bin/charms.mjs, running the sources), what esbuild made of a file
// under `cache.sources` is kept in `cache.dir`, one file per source file, and used again
// while the source's text is the same: each start of the command then compiles only what
// changed since the last one (measured on @charms/model's sources: 2.2 s to load, 1.8 s
// with every file kept; dist/ loads in 0.65 s; a busy two-core machine).
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPESCRIPT = /\.[cm]?ts$/;
let sourceCondition = false;
let fallbackParent;
let cache;
let esbuild;
/** What decides esbuild's output besides the text: its version and the options below. */
let compiler;

const OPTIONS = {
  loader: 'ts',
  format: 'esm',
  target: 'node20',
  keepNames: true,
  sourcemap: 'inline',
  tsconfigRaw: { compilerOptions: { experimentalDecorators: false, useDefineForClassFields: true } },
};

/**
 * `data.source`: add the `source` condition. `data.fallback`: a file URL whose folder's
 * node_modules is searched for a package the importing file cannot find, as esbuild's
 * nodePaths does for `charms build` (so what the build bundles, lint can load).
 * `data.cache`: `{ dir, sources }`, keep the compiled files under the folder `sources`
 * in the folder `dir`.
 */
export function initialize(data) {
  sourceCondition = Boolean(data?.source);
  fallbackParent = data?.fallback;
  cache = data?.cache;
}

export async function resolve(specifier, context, nextResolve) {
  const withSource = sourceCondition && !context.conditions.includes('source') ? { ...context, conditions: [...context.conditions, 'source'] } : context;
  try {
    return await nextResolve(specifier, withSource);
  } catch (error) {
    // TypeScript sources name each other by their output: `./status.js` is `./status.ts`.
    const relative = specifier.startsWith('./') || specifier.startsWith('../');
    if (error?.code === 'ERR_MODULE_NOT_FOUND' && relative && /\.[cm]?js$/.test(specifier) && TYPESCRIPT.test(context.parentURL ?? '')) {
      return nextResolve(specifier.replace(/js$/, 'ts'), withSource);
    }
    const bare = !relative && !specifier.startsWith('/') && !/^[a-z][a-z0-9+.-]*:/i.test(specifier);
    if (fallbackParent && bare && (error?.code === 'ERR_MODULE_NOT_FOUND' || error?.code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') && context.parentURL !== fallbackParent) {
      return nextResolve(specifier, { ...withSource, parentURL: fallbackParent });
    }
    throw error;
  }
}

export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !TYPESCRIPT.test(new URL(url).pathname)) return nextLoad(url, context);
  const file = fileURLToPath(url);
  const text = await readFile(file, 'utf8');
  const cached = cache && file.startsWith(cache.sources + sep) ? await cacheEntry(file, text) : undefined;
  if (cached?.code !== undefined) return { format: 'module', source: cached.code, shortCircuit: true };
  esbuild ??= await import('esbuild');
  const { code } = await esbuild.transform(text, { ...OPTIONS, sourcefile: file });
  if (cached) await keep(cached.path, `${cached.stamp}${code}`);
  return { format: 'module', source: code, shortCircuit: true };
}

/**
 * The cache file of `file` (named by a hash of its path), the first line its current
 * output must start with (a hash of the compiler, the path and the text), and that output
 * when the file holds it.
 */
async function cacheEntry(file, text) {
  compiler ??= `${createRequire(import.meta.url)('esbuild/package.json').version} ${JSON.stringify(OPTIONS)}`;
  const path = join(cache.dir, `${createHash('sha256').update(file).digest('hex').slice(0, 40)}.js`);
  const stamp = `// ${createHash('sha256').update(compiler).update('\0').update(file).update('\0').update(text).digest('hex')}\n`;
  try {
    const kept = await readFile(path, 'utf8');
    if (kept.startsWith(stamp)) return { path, stamp, code: kept.slice(stamp.length) };
  } catch {
    // Not kept yet.
  }
  return { path, stamp };
}

/**
 * Keeps a compiled file: written aside and renamed over the old one, so that a command
 * starting meanwhile reads the old output or the new, whole. A cache that cannot be
 * written (a read-only checkout) only makes the next start slower.
 */
async function keep(path, content) {
  const aside = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    await mkdir(cache.dir, { recursive: true });
    await writeFile(aside, content);
    await rename(aside, path);
  } catch {
    // Left to compile again next time.
  }
}
