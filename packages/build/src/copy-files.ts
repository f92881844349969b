import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { ResolvedLayer } from './resolve-layers.js';

/** Files and folders of a layer that the build handles itself, or that are not charm files (hidden ones never are). */
const NOT_COPIED = [
  'layer.yaml',
  'metadata.yaml',
  'config.yaml',
  'actions.yaml',
  'reactive',
  'src',
  'test',
  'tests',
  'node_modules',
  'build',
  'dist',
  'layers',
  'package.json',
  'tsconfig.json',
  '.build.manifest',
];

/** A file copied into the built charm: the last layer providing a path wins. */
export interface CopiedFile {
  readonly source: string;
  readonly origin: string;
  readonly mode: number;
}

/**
 * The plain files of the charm and its local layers (README.md, icon.svg, templates/,
 * files the charm reads at run time), lowest layer first so that higher ones override.
 * A layer's `exclude` drops its own files; its `ignore` drops lower layers' files.
 * Workspace layer packages and interfaces bring only code, which is bundled.
 */
export function plainFiles(layers: readonly ResolvedLayer[]): Map<string, CopiedFile> {
  const files = new Map<string, CopiedFile>();
  for (const layer of layers) {
    for (const pattern of layer.layerYaml.ignore ?? []) {
      for (const path of [...files.keys()]) if (matches(pattern, path)) files.delete(path);
    }
    if (layer.kind === 'workspace' || layer.kind === 'interface') continue;
    const exclude = layer.layerYaml.exclude ?? [];
    for (const path of walk(layer.dir, layer.dir)) {
      if (exclude.some((pattern) => matches(pattern, path))) continue;
      const source = join(layer.dir, path);
      files.set(path, { source, origin: layer.ref, mode: statSync(source).mode & 0o111 ? 0o755 : 0o644 });
    }
  }
  return files;
}

function walk(root: string, dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => !(dir === root && NOT_COPIED.includes(entry.name)) && !/\.[mc]?ts$/.test(entry.name) && !entry.name.startsWith('.'))
    .flatMap((entry) => {
      const full = join(dir, entry.name);
      // Never copy a built charm or a local model (they hold secrets and earlier builds).
      if (entry.isDirectory() && (existsSync(join(full, '.build.manifest')) || existsSync(join(full, 'model.json')))) return [];
      if (entry.isDirectory()) return walk(root, full);
      return entry.isFile() ? [relative(root, full).split(sep).join('/')] : [];
    })
    .sort();
}

/** gitignore-like: `name` matches at any depth, `dir/` a folder, `*` within a name, a leading `/` anchors. */
export function matches(pattern: string, path: string): boolean {
  const anchored = pattern.startsWith('/');
  const body = pattern.replace(/^\//, '').replace(/\/$/, '');
  const regex = new RegExp(
    `${anchored ? '^' : '(^|/)'}${body.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')}($|/)`,
  );
  return regex.test(path);
}
