// Node module hooks (module.register) that load TypeScript in the running process:
// each .ts file is compiled by esbuild as it loads (standard decorators lowered, function
// names kept, since handler ids default to them). Plain JavaScript, so that it runs
// before anything can load TypeScript.
//
// Registered with { source: true } by bin/charms.mjs in this repository when dist/ is
// missing or older than the sources: the `source` export condition is then added, so
// that the workspace packages resolve to their TypeScript too. Registered with
// { source: false } by `charms lint` and `charms graph` to load a charm's reactive/*.ts.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const TYPESCRIPT = /\.[cm]?ts$/;
let sourceCondition = false;
let fallbackParent;
let esbuild;

/**
 * `data.source`: add the `source` condition. `data.fallback`: a file URL whose folder's
 * node_modules is searched for a package the importing file cannot find, as esbuild's
 * nodePaths does for `charms build` (so what the build bundles, lint can load).
 */
export function initialize(data) {
  sourceCondition = Boolean(data?.source);
  fallbackParent = data?.fallback;
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
  esbuild ??= await import('esbuild');
  const file = fileURLToPath(url);
  const { code } = await esbuild.transform(await readFile(file, 'utf8'), {
    loader: 'ts',
    format: 'esm',
    target: 'node20',
    keepNames: true,
    sourcefile: file,
    sourcemap: 'inline',
    tsconfigRaw: { compilerOptions: { experimentalDecorators: false, useDefineForClassFields: true } },
  });
  return { format: 'module', source: code, shortCircuit: true };
}
