import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The workspace this command belongs to: its layer packages and node_modules. */
export const WORKSPACE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/**
 * The folder whose `layer.yaml` is the layer index for a charm: the nearest folder at
 * or above the charm with a `pnpm-workspace.yaml` beside its `layer.yaml`, else this
 * command's own workspace.
 */
export function indexRootFor(charmDir: string): string {
  let dir = resolve(charmDir);
  for (;;) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml')) && existsSync(join(dir, 'layer.yaml'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return WORKSPACE_ROOT;
    dir = parent;
  }
}
