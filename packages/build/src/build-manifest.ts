import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { BuildError } from './build-error.js';
import { CODE_CACHE_FILE } from './start-script.js';

/** What `.build.manifest` records: the layers, and for each file who made it and its hash. */
export interface BuildManifest {
  readonly layers: readonly { readonly name: string; readonly ref: string }[];
  /** Path → [origin layer or "build", "static" (copied) or "dynamic" (generated), sha256]. */
  readonly signatures: Record<string, [string, 'static' | 'dynamic', string]>;
}

export const MANIFEST_FILE = '.build.manifest';

export function sha256(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/** The manifest text: keys sorted, no timestamps, so two builds of the same charm are identical. */
export function manifestText(manifest: BuildManifest): string {
  const signatures = Object.fromEntries(Object.entries(manifest.signatures).sort(([a], [b]) => (a < b ? -1 : 1)));
  return `${JSON.stringify({ layers: manifest.layers, signatures }, null, 2)}\n`;
}

/**
 * Refuses to write over a folder whose files were changed by hand since the last build
 * (or that is not a build output at all), unless forced.
 * @throws BuildError `OUTPUT_MODIFIED` listing the files.
 */
export function checkOutput(outDir: string, force: boolean): BuildManifest | undefined {
  if (!existsSync(outDir)) return undefined;
  const manifestPath = join(outDir, MANIFEST_FILE);
  // The code cache hooks write beside the bundle (start-script.ts) is theirs, not an edit.
  const present = listFiles(outDir, outDir).filter((path) => !path.startsWith(`dist/${CODE_CACHE_FILE}`));
  if (!existsSync(manifestPath)) {
    if (present.length === 0 || force) return undefined;
    throw new BuildError('OUTPUT_MODIFIED', `${outDir} is not empty and was not written by charms build (no ${MANIFEST_FILE}). Choose another -o, or pass --force to write into it.`);
  }
  const previous = JSON.parse(readFileSync(manifestPath, 'utf8')) as BuildManifest;
  if (force) return previous;
  const changed: string[] = [];
  for (const path of present) {
    if (path === MANIFEST_FILE) continue;
    const signature = previous.signatures[path];
    if (!signature) changed.push(`${path} (added)`);
    else if (signature[2] !== sha256(readFileSync(join(outDir, path)))) changed.push(`${path} (modified)`);
  }
  if (changed.length > 0) {
    throw new BuildError(
      'OUTPUT_MODIFIED',
      `files in ${outDir} changed since the last build, and a build would overwrite them:\n  ${changed.join('\n  ')}\n` +
        `Move your changes into the charm's source, or pass --force to overwrite.`,
    );
  }
  return previous;
}

export function listFiles(root: string, dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) return listFiles(root, full);
      return [relative(root, full).split(sep).join('/')];
    })
    .sort();
}
