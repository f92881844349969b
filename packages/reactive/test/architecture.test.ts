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

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1]!);
}

describe('architecture', () => {
  const names = readdirSync(packages).filter((name) => RANK[name] !== undefined);

  it('every package has a rank', () => {
    const unranked = readdirSync(packages).filter((name) => RANK[name] === undefined);
    expect(unranked).toEqual([]);
  });

  it.each(names)('%s imports no package above or beside its own rank', (name) => {
    const offending: string[] = [];
    for (const file of sourceFiles(join(packages, name, 'src'))) {
      for (const specifier of imports(file)) {
        const match = /^@charms\/(.+)$/.exec(specifier);
        if (match && match[1] !== name && RANK[match[1]!]! >= RANK[name]!) offending.push(`${file}: ${specifier}`);
      }
    }
    expect(offending).toEqual([]);
  });

  it('the engine does no I/O: no fs, child_process, process.env or console in packages/reactive/src', () => {
    const offending: string[] = [];
    for (const file of sourceFiles(join(packages, 'reactive', 'src'))) {
      const text = readFileSync(file, 'utf8');
      for (const banned of [/node:fs/, /node:child_process/, /process\.env/, /\bconsole\./, /node:net/, /node:http/]) {
        if (banned.test(text)) offending.push(`${file}: ${banned.source}`);
      }
    }
    expect(offending).toEqual([]);
  });
});
