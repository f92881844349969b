import { register } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { WORKSPACE_ROOT } from '@charms/build/internal';
import { CLI_ROOT } from '../cli-root.js';

let registered = false;

/**
 * Lets `import()` load TypeScript (a charm's `reactive/*.ts`, a layer's `src/`) when this
 * command runs as built JavaScript: Node 20 cannot. The hooks in `bin/typescript-hooks.mjs`
 * compile each file with esbuild as it loads. When this module is itself TypeScript, a
 * loader is already there (the bin's source mode, tsx, vitest) and nothing is done.
 */
export function allowTypeScriptImports(): void {
  if (registered || import.meta.url.endsWith('.ts')) return;
  // A package the charm's files cannot find is looked for where the build looks too.
  const fallback = pathToFileURL(join(WORKSPACE_ROOT, 'package.json')).href;
  register(pathToFileURL(join(CLI_ROOT, 'bin', 'typescript-hooks.mjs')).href, { data: { source: false, fallback } });
  registered = true;
}
