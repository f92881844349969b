import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packages = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

// DESIGN.md §1: reactive ← runtime ← layer-* ← charms; hooktools and manifest are
// leaves; model and cli on top. A package may import only packages of a lower rank.
const RANK: Record<string, number> = {
  reactive: 0,
  hooktools: 0,
  manifest: 0,
  runtime: 1,
  'layer-status': 2,
  'layer-caas-base': 2,
  // Interface layers: Endpoint classes on the runtime.
  'interface-http': 2,
  'interface-object-storage': 2,
  // Includes layer:status, and uses it.
  'layer-docker-resource': 3,
  model: 4,
  conformance: 4,
  cli: 5,
};

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.[cm]?ts$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

function imports(text: string): string[] {
  return [...text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1]!);
}

/**
 * The imports in `sources` (path → text) of package `name` that break the ranks: a
 * package of the same or a higher rank, or one with no rank. `@charms/<pkg>/<subpath>`
 * is an import of `<pkg>`.
 */
function offendingImports(name: string, sources: Record<string, string>): string[] {
  const offending: string[] = [];
  for (const [file, text] of Object.entries(sources)) {
    for (const specifier of imports(text)) {
      const imported = /^@charms\/([^/]+)/.exec(specifier)?.[1];
      if (imported === undefined || imported === name) continue;
      const rank = RANK[imported];
      if (rank === undefined || rank >= RANK[name]!) offending.push(`${file}: ${specifier}`);
    }
  }
  return offending;
}

const sourcesOf = (name: string) => Object.fromEntries(sourceFiles(join(packages, name, 'src')).map((file) => [file, readFileSync(file, 'utf8')]));

describe('architecture', () => {
  const names = readdirSync(packages).filter((name) => RANK[name] !== undefined);

  it('every package has a rank', () => {
    const unranked = readdirSync(packages).filter((name) => RANK[name] === undefined);
    expect(unranked).toEqual([]);
  });

  it.each(names)('%s imports no package above or beside its own rank', (name) => {
    const sources = sourcesOf(name);
    expect(Object.keys(sources).length).toBeGreaterThan(0);
    expect(offendingImports(name, sources)).toEqual([]);
  });

  it('the check sees imports in every form, subpath imports as imports of their package', () => {
    const sources = {
      'runtime/src/a.ts': "import { x } from '@charms/cli/tools';\nimport type { Y } from '@charms/model';\n",
      'runtime/src/b.ts': "export { z } from '@charms/layer-status/queue';\nconst m = await import('@charms/nowhere');\n",
      'runtime/src/c.ts': "import { q } from '@charms/manifest/queries';\nimport { r } from '@charms/runtime/internal';\nimport 'node:fs';\n",
    };
    expect(offendingImports('runtime', sources)).toEqual([
      'runtime/src/a.ts: @charms/cli/tools',
      'runtime/src/a.ts: @charms/model',
      'runtime/src/b.ts: @charms/layer-status/queue',
      'runtime/src/b.ts: @charms/nowhere',
    ]);
  });

  it('the engine does no I/O: no fs, child_process, process.env or console in packages/reactive/src', () => {
    const offending: string[] = [];
    const files = sourceFiles(join(packages, 'reactive', 'src'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const banned of [/node:fs/, /node:child_process/, /process\.env/, /\bconsole\./, /node:net/, /node:http/]) {
        if (banned.test(text)) offending.push(`${file}: ${banned.source}`);
      }
    }
    expect(offending).toEqual([]);
  });
});
