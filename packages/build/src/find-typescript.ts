import { createRequire } from 'node:module';
import { join } from 'node:path';
import type * as TypeScriptModule from 'typescript';
import { BuildError } from './build-error.js';

/** The TypeScript compiler API, as `require('typescript')` returns it. */
export type TypeScript = typeof TypeScriptModule;

// One compiler per file it was loaded from: loading it costs a few hundred milliseconds.
const loaded = new Map<string, TypeScript>();

/**
 * The TypeScript compiler a charm is checked with: the charm's own (a charm project has
 * `typescript` in its devDependencies, resolved as Node resolves it from the charm's
 * folder), else the one the build can load.
 *
 * @param commandFrom where the build's own resolution starts (a file or file URL; tests
 * point it at a folder with no TypeScript).
 * @throws BuildError `TYPESCRIPT_NOT_FOUND`, saying to install it or pass `--no-typecheck`.
 */
export function findTypeScript(charmDir: string, commandFrom: string = import.meta.url): TypeScript {
  for (const base of [join(charmDir, 'package.json'), commandFrom]) {
    let path: string;
    try {
      path = createRequire(base).resolve('typescript');
    } catch {
      continue;
    }
    let ts = loaded.get(path);
    if (ts === undefined) {
      ts = createRequire(base)(path) as TypeScript;
      loaded.set(path, ts);
    }
    return ts;
  }
  throw new BuildError(
    'TYPESCRIPT_NOT_FOUND',
    `charms build checks the charm with the TypeScript compiler, and none is installed where ${charmDir} or the charms command can load it. ` +
      'Install it in the charm (npm install --save-dev typescript), or build without the check: charms build --no-typecheck',
  );
}
