import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packages = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

// DESIGN.md §1: reactive ← runtime ← layer-* ← charms; hooktools and manifest are
// leaves; model, build and cli on top, cli last. A package may import only packages of a
// lower rank (its src/; tests may also use what their package's devDependencies name).
const RANK: Record<string, number> = {
  reactive: 0,
  hooktools: 0,
  manifest: 0,
  // Pebble's REST API: a leaf, as hooktools is (the sidecar layer and the model's tests use it).
  pebble: 0,
  runtime: 1,
  'layer-status': 2,
  'layer-caas-base': 2,
  // Interface layers: Endpoint classes on the runtime.
  'interface-http': 2,
  'interface-object-storage': 2,
  // Includes layer:status, and uses it.
  'layer-docker-resource': 3,
  // Sidecar charms: Pebble (a leaf) for the workload, layer:status for what it says.
  'layer-sidecar': 3,
  model: 4,
  conformance: 4,
  // Building and packing: merges manifests (manifest), bundles the reactive and runtime
  // packages into each charm. Beside the model, not below it: the model runs built charms
  // and never builds one (its tests build with it, as a devDependency).
  build: 4,
  cli: 5,
};

const root = join(packages, '..');

/** The subpaths a package's package.json `exports` offers (`.` for the package itself, `./x` for `@charms/<pkg>/x`). */
function exportedSubpaths(name: string): readonly string[] | undefined {
  try {
    const manifest = JSON.parse(readFileSync(join(packages, name, 'package.json'), 'utf8')) as { exports?: Record<string, unknown> };
    return Object.keys(manifest.exports ?? {});
  } catch {
    return undefined;
  }
}

/**
 * The `@charms/…` imports in `sources` that Node would refuse or that reach past a
 * package's entry points: a package that does not exist, or a subpath its package.json
 * does not export (`@charms/build/src/bundle.js`, `@charms/cli/tools`).
 */
function unexportedImports(sources: Record<string, string>, subpathsOf: (name: string) => readonly string[] | undefined): string[] {
  const offending: string[] = [];
  for (const [file, text] of Object.entries(sources)) {
    for (const specifier of imports(text)) {
      const match = /^@charms\/([^/]+)(\/.+)?$/.exec(specifier);
      if (!match) continue;
      const subpaths = subpathsOf(match[1]!);
      if (subpaths === undefined || !subpaths.includes(match[2] === undefined ? '.' : `.${match[2]}`)) offending.push(`${file}: ${specifier}`);
    }
  }
  return offending;
}

/**
 * The imports of `@charms/cli` (or a subpath of it) in `sources`: the command is the top of
 * the house, and what builds or packs a charm is `@charms/build`. Only the CLI's own
 * modules and tests, and the root's scripts that run the command, may import it.
 */
function cliImports(sources: Record<string, string>): string[] {
  return Object.entries(sources).flatMap(([file, text]) =>
    imports(text)
      .filter((specifier) => /^@charms\/cli(\/|$)/.test(specifier))
      .map((specifier) => `${file}: ${specifier}`),
  );
}

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

/**
 * The imports of the local model's scheduler that could do I/O. The scheduler is a pure
 * planner (DESIGN.md §1, issue 14): from `entry` it may import only its own modules
 * (relative imports, followed and checked in turn) and types. A value import of a package
 * (node:fs, node:child_process, proper-lockfile, even @charms/manifest, whose loaders read
 * files) is offending. `read` gives a module's text by path, or undefined.
 */
function impureImports(entry: string, read: (path: string) => string | undefined): string[] {
  const offending: string[] = [];
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = read(file);
    if (text === undefined) return void offending.push(`${file}: not found`);
    const statements = text.matchAll(/^\s*(?:import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)|\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/gm);
    for (const [, typeOnly, staticSpecifier, dynamicSpecifier, required] of statements) {
      const specifier = (staticSpecifier ?? dynamicSpecifier ?? required)!;
      if (specifier.startsWith('.')) visit(join(dirname(file), specifier.replace(/\.js$/, '.ts')));
      else if (!typeOnly) offending.push(`${file}: ${specifier}`);
    }
  };
  visit(entry);
  return offending;
}

const sourcesOf = (name: string) => Object.fromEntries(sourceFiles(join(packages, name, 'src')).map((file) => [file, readFileSync(file, 'utf8')]));

/**
 * Every TypeScript and JavaScript module under `folder` (not in node_modules or dist/,
 * where built charms keep their code too), path → text; not this file, whose examples of
 * bad imports are strings.
 */
function modulesUnder(folder: string): Record<string, string> {
  const files = readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.[cm]?[tj]s$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((file) => file !== fileURLToPath(import.meta.url) && !/[/\\](node_modules|dist)[/\\]/.test(file.slice(folder.length)));
  return Object.fromEntries(files.map((file) => [file, readFileSync(file, 'utf8')]));
}

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

  it('every @charms import names a package and a subpath its package.json exports (src, tests, examples, bench, scripts)', () => {
    const everywhere = ['packages', 'examples', 'bench', 'scripts'].map((folder) => modulesUnder(join(root, folder)));
    expect(unexportedImports(Object.assign({}, ...everywhere), exportedSubpaths)).toEqual([]);
  });

  it('the subpath check refuses a subpath the package does not export, and a package that does not exist', () => {
    const subpaths: Record<string, readonly string[]> = { build: ['.', './internal', './testing'], manifest: ['.', './queries'] };
    const sources = {
      'cli/src/a.ts': "import { buildCharm } from '@charms/build';\nimport { packageRoot } from '@charms/build/internal';\nimport { q } from '@charms/manifest/queries';\n",
      'cli/src/b.ts': "import { bundleCharm } from '@charms/build/src/bundle.js';\nconst m = await import('@charms/manifest/schemas');\nexport { x } from '@charms/nowhere';\n",
    };
    expect(unexportedImports(sources, (name) => subpaths[name])).toEqual([
      'cli/src/b.ts: @charms/build/src/bundle.js',
      'cli/src/b.ts: @charms/manifest/schemas',
      'cli/src/b.ts: @charms/nowhere',
    ]);
  });

  it('no package but the CLI imports @charms/cli, in its src or its tests, nor do examples or bench', () => {
    const others = readdirSync(packages).filter((name) => name !== 'cli' && exportedSubpaths(name) !== undefined);
    const sources = [...others.map((name) => join(packages, name)), join(root, 'examples'), join(root, 'bench')].map(modulesUnder);
    expect(cliImports(Object.assign({}, ...sources))).toEqual([]);
  });

  it('the @charms/cli check sees static, dynamic and subpath imports, and not other packages', () => {
    const sources = {
      'model/test/a.test.ts': "import { buildCharm } from '@charms/cli';\nimport { run } from '@charms/cli/testing';\n",
      'bench/b.mjs': "const { run } = await import('@charms/cli');\nimport { buildCharm } from '@charms/build';\nimport x from '@charms/client';\n",
    };
    expect(cliImports(sources)).toEqual(['model/test/a.test.ts: @charms/cli', 'model/test/a.test.ts: @charms/cli/testing', 'bench/b.mjs: @charms/cli']);
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

  it('the local model\'s scheduler does no I/O: it and the modules it imports import no package but types', () => {
    const src = join(packages, 'model', 'src');
    const read = (file: string) => {
      try {
        return readFileSync(file, 'utf8');
      } catch {
        return undefined;
      }
    };
    expect(impureImports(join(src, 'scheduler.ts'), read)).toEqual([]);
  });

  it('the scheduler check follows relative imports and sees node:fs, locks, dynamic imports and value imports of any package', () => {
    const files: Record<string, string> = {
      '/m/scheduler.ts': "import type { CharmMetadata } from '@charms/manifest';\nimport { flush } from './flush.js';\nexport type { X } from './x.js';\n",
      '/m/flush.ts': "import { helper } from './helper.js';\nimport { readFileSync } from 'node:fs';\nimport lockfile from 'proper-lockfile';\n",
      '/m/helper.ts': "import {\n  spawn,\n} from 'node:child_process';\nconst os = await import('node:os');\nimport { loadMetadata } from '@charms/manifest';\nimport './flush.js';\n",
      '/m/x.ts': 'export type X = number;\n',
    };
    expect(impureImports('/m/scheduler.ts', (file) => files[file])).toEqual([
      '/m/helper.ts: node:child_process',
      '/m/helper.ts: node:os',
      '/m/helper.ts: @charms/manifest',
      '/m/flush.ts: node:fs',
      '/m/flush.ts: proper-lockfile',
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
