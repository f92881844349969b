import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// bin/typescript-hooks.mjs with `cache` (how bin/charms.mjs runs the sources): a file
// under `cache.sources` is compiled once and its output used again by later processes
// while its text is the same; an edited file is compiled again; files elsewhere (a
// charm's reactive/*.ts loaded by lint) are not kept.

const hooks = pathToFileURL(join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'typescript-hooks.mjs')).href;
const work = mkdtempSync(join(tmpdir(), 'charms-ts-cache-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Imports `file` in a new Node with the hooks registered (cache as given); returns what it printed. */
function load(file: string, cache?: { dir: string; sources: string }): string {
  const script = `import { register } from 'node:module'; register(${JSON.stringify(hooks)}, { data: { source: false, cache: ${JSON.stringify(cache)} } }); await import(${JSON.stringify(pathToFileURL(file).href)});`;
  return execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
}

describe('the compiled-sources cache of bin/typescript-hooks.mjs', () => {
  const sources = join(work, 'packages');
  const cache = { dir: join(work, 'cache'), sources };
  const file = join(sources, 'a', 'greeting.ts');
  mkdirSync(dirname(file), { recursive: true });

  it('keeps what esbuild made of a source, one file per source', () => {
    writeFileSync(file, "const greeting: string = 'first';\nconsole.log(greeting);\n");
    expect(load(file, cache)).toBe('first\n');
    const kept = readdirSync(cache.dir);
    expect(kept).toHaveLength(1);
    expect(readFileSync(join(cache.dir, kept[0]!), 'utf8')).toContain('"first"');
  });

  it('uses the kept output while the text is the same: esbuild does not run again', () => {
    // The kept output is changed by hand: a second process printing it shows it was not compiled again.
    const kept = join(cache.dir, readdirSync(cache.dir)[0]!);
    writeFileSync(kept, readFileSync(kept, 'utf8').replace('"first"', '"from the cache"'));
    expect(load(file, cache)).toBe('from the cache\n');
  });

  it('compiles an edited source again and keeps the new output in the same file', () => {
    writeFileSync(file, "const greeting: string = 'second';\nconsole.log(greeting);\n");
    expect(load(file, cache)).toBe('second\n');
    expect(readdirSync(cache.dir)).toHaveLength(1);
    expect(load(file, cache)).toBe('second\n');
  });

  it('keeps nothing for files outside cache.sources, or without a cache', () => {
    const outside = join(work, 'charm', 'reactive', 'charm.ts');
    mkdirSync(dirname(outside), { recursive: true });
    writeFileSync(outside, "console.log('charm' as string);\n");
    const before = readdirSync(cache.dir).length;
    expect(load(outside, cache)).toBe('charm\n');
    expect(load(file)).toBe('second\n');
    expect(readdirSync(cache.dir)).toHaveLength(before);
  });
});
