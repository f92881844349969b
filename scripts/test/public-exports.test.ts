import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// Every name a package's index exports is a promise to charm authors, so the reference
// docs list them all and nothing else. Each public entry point of `@charms/X` (its
// package.json `exports`, but for `./testing` and `./internal`, which are documented as
// not stable) has a section in docs/reference/X.md: `## Public exports` for the package
// itself, `## Public exports of @charms/X/sub` for a subpath, one bullet per name, the
// bullet starting with the name in backticks.

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const UNSTABLE_SUBPATHS = new Set(['./testing', './internal']);

interface EntryPoint {
  readonly specifier: string;
  readonly source: string;
  readonly doc: string;
  readonly heading: string;
}

function entryPoints(): EntryPoint[] {
  const found: EntryPoint[] = [];
  for (const folder of readdirSync(join(root, 'packages')).sort()) {
    const manifestPath = join(root, 'packages', folder, 'package.json');
    if (!existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { name: string; exports?: Record<string, { source?: string }> };
    for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
      if (UNSTABLE_SUBPATHS.has(subpath) || target.source === undefined) continue;
      const specifier = subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`;
      found.push({
        specifier,
        source: join(root, 'packages', folder, target.source),
        doc: join(root, 'docs', 'reference', `${folder}.md`),
        heading: subpath === '.' ? '## Public exports' : `## Public exports of ${specifier}`,
      });
    }
  }
  return found;
}

/** The names a module exports, values and types alike, as the compiler sees them. */
function exportedNames(program: ts.Program, file: string): string[] {
  const source = program.getSourceFile(file);
  if (source === undefined) throw new Error(`the compiler did not load ${file}`);
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(source);
  // A file with no import or export at all is not a module: it exports nothing.
  if (module === undefined) return [];
  return checker.getExportsOfModule(module).map((symbol) => symbol.getName()).sort();
}

/** The names listed under `heading` in a reference page, or undefined when it has no such section. */
export function documentedNames(markdown: string, heading: string): string[] | undefined {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.trim() === heading);
  if (start === -1) return undefined;
  const names: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^#{1,2} /.test(line)) break;
    const bullet = /^\s*[-*] `([^`]+)`/.exec(line);
    if (bullet) names.push(bullet[1]!);
  }
  return names.sort();
}

describe('documentedNames', () => {
  it('reads the bullets of one section, up to the next heading of its level or above', () => {
    const page = ['# x', '## Public exports', 'Text.', '- `b` — B', '- `a` (type) — A', '### Detail', '- `c` — C', '## Public exports of @charms/x/sub', '- `d` — D'].join('\n');
    expect(documentedNames(page, '## Public exports')).toEqual(['a', 'b', 'c']);
    expect(documentedNames(page, '## Public exports of @charms/x/sub')).toEqual(['d']);
    expect(documentedNames(page, '## Public exports of @charms/x/other')).toBeUndefined();
  });
});

describe('the public exports in docs/reference', () => {
  const points = entryPoints();
  const program = ts.createProgram(
    points.map((point) => point.source),
    {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      customConditions: ['source'],
      noEmit: true,
      skipLibCheck: true,
      types: ['node'],
    },
  );

  it('finds entry points to check', () => {
    expect(points.map((point) => point.specifier)).toContain('@charms/reactive');
  });

  it.each(points.map((point) => [point.specifier, point] as const))('%s: its doc section lists exactly what its index exports', (_specifier, point) => {
    const markdown = existsSync(point.doc) ? readFileSync(point.doc, 'utf8') : '';
    const documented = documentedNames(markdown, point.heading);
    expect(documented, `${point.doc} needs a "${point.heading}" section listing every export of ${point.source}`).toBeDefined();
    const exported = exportedNames(program, point.source);
    const missing = exported.filter((name) => !documented!.includes(name));
    const extra = documented!.filter((name) => !exported.includes(name));
    expect({ undocumented: missing, 'documented but not exported': extra }, `${point.doc} "${point.heading}" against ${point.source}`).toEqual({ undocumented: [], 'documented but not exported': [] });
  });
});
