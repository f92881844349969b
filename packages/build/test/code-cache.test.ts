import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLE_FILE, CODE_CACHE_FILE, START_FILE, startScript } from '../src/start-script.js';
import { runCommand } from '../../cli/test/helpers/run-command.js';

// dist/start.cjs loads dist/charm.cjs and its chunks through vm.Script with a V8 code cache
// that hooks write. These tests run the start script on a small CommonJS bundle (an entry
// and two chunks, one required only when LATE is set) and watch the cache file: a cache
// that is used stays as it is; one that is not is replaced.

/** The entry: functions (so that the cache holds compiled code), a chunk required twice, and what it was given. */
function bundleText(greeting: string): string {
  return [
    '"use strict";',
    "const { sep } = require('node:path');",
    "const part = require('./chunks/part.cjs');",
    "const again = require('./chunks/part.cjs');",
    'function greet(name) {',
    `  return ${JSON.stringify(greeting)} + ", " + name;`,
    '}',
    "if (process.env.LATE) require('./chunks/late.cjs');",
    'const lines = [greet("unit"), `${part.loads}/${part === again}/${part.answer()}`, typeof module.exports, __filename.endsWith("charm.cjs") ? "filename" : __filename, sep];',
    'process.stdout.write(lines.join("|"));',
    '',
  ].join('\n');
}

const PART = '"use strict";\nglobalThis.partLoads = (globalThis.partLoads ?? 0) + 1;\nexports.loads = globalThis.partLoads;\nexports.answer = () => 42;\n';
const OUTPUT = 'hello, unit|1/true/42|object|filename|/';

function distFolder(greeting = 'hello'): string {
  const dist = join(mkdtempSync(join(tmpdir(), 'code-cache-')), 'dist');
  mkdirSync(join(dist, 'chunks'), { recursive: true });
  writeFileSync(join(dist, BUNDLE_FILE), bundleText(greeting));
  writeFileSync(join(dist, 'chunks', 'part.cjs'), PART);
  writeFileSync(join(dist, 'chunks', 'late.cjs'), '"use strict";\nexports.late = function late() { return 1; };\n');
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
const cacheLines = (dist: string) => readFileSync(cachePath(dist)).toString('latin1').split('\n');
const cacheKey = (dist: string) => cacheLines(dist)[0]!;
interface CacheIndex {
  ran: string[];
  files: [string, number, number, number][];
}
/** The cache's index: each file's path, size and modification time (the lengths left out). */
const cacheIndex = (dist: string) => (JSON.parse(cacheLines(dist)[1]!) as CacheIndex).files.map(([file, size, mtimeMs]) => [file, size, mtimeMs]);
const cacheHooks = (dist: string) => (JSON.parse(cacheLines(dist)[1]!) as CacheIndex).ran;
const fileEntry = (dist: string, file: string) => {
  const stat = statSync(join(dist, file));
  return [file, stat.size, stat.mtimeMs];
};

describe('the code cache of a built charm', () => {
  it('the first hook writes it for every file it loaded, naming the build, this Node and each file; the next hooks use it as it is', async () => {
    const dist = distFolder();
    expect(await start(dist)).toBe(OUTPUT);
    expect(cacheKey(dist)).toBe(`charms-code-cache 0123456789abcdef ${process.version} v8-${process.versions.v8} ${process.arch}`);
    expect(cacheIndex(dist)).toEqual([fileEntry(dist, BUNDLE_FILE), fileEntry(dist, 'chunks/part.cjs')]);
    const written = readFileSync(cachePath(dist));
    const writtenAt = statSync(cachePath(dist)).mtimeMs;
    expect(await start(dist)).toBe(OUTPUT);
    expect(await start(dist)).toBe(OUTPUT);
    expect(readFileSync(cachePath(dist))).toEqual(written);
    expect(statSync(cachePath(dist)).mtimeMs).toBe(writtenAt);
    // Written to a temporary file and renamed: nothing else is left beside it.
    expect(readdirSync(dist).sort()).toEqual([CODE_CACHE_FILE, BUNDLE_FILE, 'chunks', START_FILE].sort());
  });

  it('a hook that loads a chunk the cache does not hold writes it again, keeping the others', async () => {
    const dist = distFolder();
    await start(dist);
    expect(await start(dist, { JUJU_UNIT_NAME: 'demo/0', LATE: '1' })).toBe(OUTPUT);
    expect(cacheIndex(dist)).toEqual([fileEntry(dist, BUNDLE_FILE), fileEntry(dist, 'chunks/part.cjs'), fileEntry(dist, 'chunks/late.cjs')]);
    const written = readFileSync(cachePath(dist));
    // A hook that loads fewer files than the cache holds leaves it as it is.
    expect(await start(dist)).toBe(OUTPUT);
    expect(await start(dist, { JUJU_UNIT_NAME: 'demo/0', LATE: '1' })).toBe(OUTPUT);
    expect(readFileSync(cachePath(dist))).toEqual(written);
  });

  it('a hook of another name that compiled no file anew leaves the cache as it is (a deploy\'s one-off hooks write nothing)', async () => {
    const dist = distFolder();
    const hook = (path: string) => ({ JUJU_UNIT_NAME: 'demo/0', JUJU_DISPATCH_PATH: path });
    await start(dist, hook('hooks/install'));
    expect(cacheHooks(dist)).toEqual([]);
    const afterInstall = readFileSync(cachePath(dist));
    const writtenAt = statSync(cachePath(dist)).mtimeMs;
    for (const name of ['hooks/leader-elected', 'hooks/config-changed', 'hooks/update-status']) expect(await start(dist, hook(name))).toBe(OUTPUT);
    expect(readFileSync(cachePath(dist))).toEqual(afterInstall);
    expect(statSync(cachePath(dist)).mtimeMs).toBe(writtenAt);
    expect(cacheIndex(dist)).toEqual([fileEntry(dist, BUNDLE_FILE), fileEntry(dist, 'chunks/part.cjs')]);
  });

  it('a cache V8 rejects (made under other V8 flags) is compiled around, and replaced', async () => {
    const dist = distFolder();
    // --max-semi-space-size is a V8 flag: V8 refuses a cache made under other flags.
    expect(await start(dist, { JUJU_UNIT_NAME: 'demo/0', NODE_OPTIONS: '--max-semi-space-size=4' })).toBe(OUTPUT);
    const other = readFileSync(cachePath(dist));
    expect(await start(dist)).toBe(OUTPUT);
    const replaced = readFileSync(cachePath(dist));
    expect(replaced).not.toEqual(other);
    // The replacement fits this Node's flags: it stays.
    expect(await start(dist)).toBe(OUTPUT);
    expect(readFileSync(cachePath(dist))).toEqual(replaced);
  });

  it('a cache whose contents are not V8 code (with the right first lines) is compiled around, and replaced', async () => {
    const dist = distFolder();
    await start(dist);
    const [key, line] = cacheLines(dist);
    const index = JSON.parse(line!) as CacheIndex;
    const files = index.files.map(([file, size, mtimeMs]) => [file, size, mtimeMs, 4096]);
    const garbage = Buffer.concat([Buffer.from(`${key}\n${JSON.stringify({ ran: index.ran, files })}\n`, 'latin1'), Buffer.alloc(4096 * files.length, 7)]);
    writeFileSync(cachePath(dist), garbage);
    expect(await start(dist)).toBe(OUTPUT);
    expect(readFileSync(cachePath(dist))).not.toEqual(garbage);
  });

  it('a file edited in place to the same length runs its new code, not the cache of the old one', async () => {
    const dist = distFolder('hello');
    await start(dist);
    // Same length, so V8's own check (the source's length) would take the old cache.
    writeFileSync(join(dist, BUNDLE_FILE), bundleText('howdy'));
    writeFileSync(join(dist, 'chunks', 'part.cjs'), PART.replace('42', '43'));
    expect(await start(dist)).toBe('howdy, unit|1/true/43|object|filename|/');
    expect(cacheIndex(dist)).toEqual([fileEntry(dist, BUNDLE_FILE), fileEntry(dist, 'chunks/part.cjs')]);
  });

  it('a cache of another build is not used, and is replaced', async () => {
    const dist = distFolder();
    await start(dist);
    writeFileSync(join(dist, START_FILE), startScript('fedcba9876543210'));
    expect(await start(dist)).toBe(OUTPUT);
    expect(cacheKey(dist)).toMatch(/^charms-code-cache fedcba9876543210 /);
  });

  it('outside a hook (no JUJU_UNIT_NAME) nothing is written', async () => {
    const dist = distFolder();
    expect(await start(dist, {})).toBe(OUTPUT);
    expect(readdirSync(dist).sort()).toEqual([BUNDLE_FILE, 'chunks', START_FILE].sort());
  });

  it('with --enable-source-maps the bundle is required (Node maps its stacks) and no cache is written', async () => {
    const dist = distFolder();
    expect(await start(dist, { JUJU_UNIT_NAME: 'demo/0', NODE_OPTIONS: '--enable-source-maps' })).toBe(OUTPUT);
    expect(readdirSync(dist).sort()).toEqual([BUNDLE_FILE, 'chunks', START_FILE].sort());
  });

  it('a cache that cannot be written leaves the hook as it was, and no temporary file', async () => {
    const dist = distFolder();
    // A folder where the cache would go: reading it fails, and so does the rename over it.
    mkdirSync(cachePath(dist));
    expect(await start(dist)).toBe(OUTPUT);
    expect(statSync(cachePath(dist)).isDirectory()).toBe(true);
    expect(readdirSync(dist).sort()).toEqual([CODE_CACHE_FILE, BUNDLE_FILE, 'chunks', START_FILE].sort());
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
