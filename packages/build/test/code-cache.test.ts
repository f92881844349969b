import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLE_FILE, CODE_CACHE_FILE, START_FILE, startScript } from '../src/start-script.js';
import { runCommand } from '../../cli/test/helpers/run-command.js';

// dist/start.cjs runs dist/charm.cjs through vm.Script with a V8 code cache that the first
// hook writes. These tests run the start script on a small CommonJS bundle and watch the
// cache file: a cache that is used stays as it is; one that is not is replaced.

/** A bundle with functions (so that the cache holds compiled code) that prints what it was given. */
function bundleText(greeting: string): string {
  return [
    '"use strict";',
    "const { sep } = require('node:path');",
    'function greet(name) {',
    `  return ${JSON.stringify(greeting)} + ", " + name;`,
    '}',
    'const lines = [greet("unit"), typeof module.exports, __filename.endsWith("charm.cjs") ? "filename" : __filename, sep];',
    'process.stdout.write(lines.join("|"));',
    '',
  ].join('\n');
}

function distFolder(greeting = 'hello'): string {
  const dist = join(mkdtempSync(join(tmpdir(), 'code-cache-')), 'dist');
  mkdirSync(dist);
  writeFileSync(join(dist, BUNDLE_FILE), bundleText(greeting));
  writeFileSync(join(dist, START_FILE), startScript('0123456789abcdef'));
  return dist;
}

/** Runs the start script as dispatch does, as a hook (JUJU_UNIT_NAME set) unless told otherwise. */
async function start(dist: string, env: Record<string, string> = { JUJU_UNIT_NAME: 'demo/0' }) {
  const result = await runCommand(process.execPath, [join(dist, START_FILE)], { cwd: dist, env: { PATH: process.env.PATH!, ...env }, timeout: 30_000 });
  expect(result.status, result.stderr).toBe(0);
  expect(result.stderr).toBe('');
  return result.stdout;
}

const cachePath = (dist: string) => join(dist, CODE_CACHE_FILE);
const cacheKey = (dist: string) => readFileSync(cachePath(dist)).toString('latin1').split('\n')[0]!;

describe('the code cache of a built charm', () => {
  it('the first hook writes it, naming the build, the bundle and this Node; the next hooks use it as it is', async () => {
    const dist = distFolder();
    expect(await start(dist)).toBe(`hello, unit|object|filename|/`);
    const bundle = statSync(join(dist, BUNDLE_FILE));
    expect(cacheKey(dist)).toBe(`charms-code-cache 0123456789abcdef ${bundle.size} ${bundle.mtimeMs} ${process.version} ${process.arch}`);
    const written = readFileSync(cachePath(dist));
    const writtenAt = statSync(cachePath(dist)).mtimeMs;
    expect(await start(dist)).toBe(`hello, unit|object|filename|/`);
    expect(await start(dist)).toBe(`hello, unit|object|filename|/`);
    expect(readFileSync(cachePath(dist))).toEqual(written);
    expect(statSync(cachePath(dist)).mtimeMs).toBe(writtenAt);
    // Written to a temporary file and renamed: nothing else is left beside it.
    expect(readdirSync(dist).sort()).toEqual([CODE_CACHE_FILE, BUNDLE_FILE, START_FILE].sort());
  });

  it('a cache V8 rejects (made under other V8 flags) is compiled around, and replaced', async () => {
    const dist = distFolder();
    // --max-semi-space-size is a V8 flag: V8 refuses a cache made under other flags.
    expect(await start(dist, { JUJU_UNIT_NAME: 'demo/0', NODE_OPTIONS: '--max-semi-space-size=4' })).toBe(`hello, unit|object|filename|/`);
    const other = readFileSync(cachePath(dist));
    expect(await start(dist)).toBe(`hello, unit|object|filename|/`);
    const replaced = readFileSync(cachePath(dist));
    expect(replaced).not.toEqual(other);
    // The replacement fits this Node's flags: it stays.
    expect(await start(dist)).toBe(`hello, unit|object|filename|/`);
    expect(readFileSync(cachePath(dist))).toEqual(replaced);
  });

  it('a cache whose contents are not V8 code (with the right first line) is compiled around, and replaced', async () => {
    const dist = distFolder();
    await start(dist);
    const key = cacheKey(dist);
    writeFileSync(cachePath(dist), Buffer.concat([Buffer.from(`${key}\n`, 'latin1'), Buffer.alloc(4096, 7)]));
    expect(await start(dist)).toBe(`hello, unit|object|filename|/`);
    expect(readFileSync(cachePath(dist)).length).not.toBe(key.length + 1 + 4096);
  });

  it('a bundle edited in place to the same length runs its new code, not the cache of the old one', async () => {
    const dist = distFolder('hello');
    await start(dist);
    const before = cacheKey(dist);
    // Same length, so V8's own check (the source's length) would take the old cache.
    writeFileSync(join(dist, BUNDLE_FILE), bundleText('howdy'));
    expect(await start(dist)).toBe(`howdy, unit|object|filename|/`);
    expect(cacheKey(dist)).not.toBe(before);
  });

  it('a cache of another build is not used, and is replaced', async () => {
    const dist = distFolder();
    await start(dist);
    writeFileSync(join(dist, START_FILE), startScript('fedcba9876543210'));
    expect(await start(dist)).toBe(`hello, unit|object|filename|/`);
    expect(cacheKey(dist)).toMatch(/^charms-code-cache fedcba9876543210 /);
  });

  it('outside a hook (no JUJU_UNIT_NAME) nothing is written', async () => {
    const dist = distFolder();
    expect(await start(dist, {})).toBe(`hello, unit|object|filename|/`);
    expect(readdirSync(dist).sort()).toEqual([BUNDLE_FILE, START_FILE].sort());
  });

  it('with --enable-source-maps the bundle is required (Node maps its stacks) and no cache is written', async () => {
    const dist = distFolder();
    expect(await start(dist, { JUJU_UNIT_NAME: 'demo/0', NODE_OPTIONS: '--enable-source-maps' })).toBe(`hello, unit|object|filename|/`);
    expect(readdirSync(dist).sort()).toEqual([BUNDLE_FILE, START_FILE].sort());
  });

  it('a cache that cannot be written leaves the hook as it was, and no temporary file', async () => {
    const dist = distFolder();
    // A folder where the cache would go: reading it fails, and so does the rename over it.
    mkdirSync(cachePath(dist));
    expect(await start(dist)).toBe(`hello, unit|object|filename|/`);
    expect(statSync(cachePath(dist)).isDirectory()).toBe(true);
    expect(readdirSync(dist).sort()).toEqual([CODE_CACHE_FILE, BUNDLE_FILE, START_FILE].sort());
  });

  it('an error thrown as the bundle loads names the bundle’s own line', async () => {
    const dist = distFolder();
    writeFileSync(join(dist, BUNDLE_FILE), '"use strict";\n\nthrow new Error("broken on purpose");\n');
    const result = await runCommand(process.execPath, [join(dist, START_FILE)], { cwd: dist, env: { PATH: process.env.PATH!, JUJU_UNIT_NAME: 'demo/0' }, timeout: 30_000 });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`${join(dist, BUNDLE_FILE)}:3`);
    expect(result.stderr).toContain('Error: broken on purpose');
  });
});
