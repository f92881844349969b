import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from './helpers/run-command.js';

// The charms command's bundle (build-bundle.mjs): CommonJS files that bundle/start.cjs
// loads through vm.Script with a V8 code cache, bundle/.v8-code-cache, which a command
// writes as it exits when it compiled a file without one, or when no command of its name
// wrote it yet. A bundle of the current sources is made in a folder of its own (a folder
// of the package, as bundle/ is), so the tests neither need `pnpm build` nor touch the
// bundle other runs use; each test that watches the cache runs a copy of it.

const here = dirname(fileURLToPath(import.meta.url));
const packageDir = join(here, '..');
const repo = join(packageDir, '..', '..');
const minimalCharm = join(repo, 'bench', 'fixtures', 'minimal-charm');
const version = (JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string }).version;
const CACHE = '.v8-code-cache';

/** Folders of the package made by these tests, removed at the end. */
const made: string[] = [];
let built: string;

/** A copy of the bundle, in a folder of the package (bare imports resolve from its node_modules). */
function bundleCopy(): string {
  const dir = mkdtempSync(join(packageDir, '.test-bundle-'));
  made.push(dir);
  for (const name of readdirSync(built)) if (name !== CACHE) cpSync(join(built, name), join(dir, name), { preserveTimestamps: true });
  return dir;
}

/** Runs the command from a bundle folder, as bin/charms.cjs does (it requires start.cjs). */
async function charms(bundle: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const env = { PATH: process.env.PATH!, HOME: process.env.HOME!, NO_COLOR: '1', ...options.env };
  const result = await runCommand(process.execPath, [join(bundle, 'start.cjs'), ...args], { cwd: options.cwd ?? repo, env, timeout: 60_000 });
  expect(result.status, result.stderr).toBe(0);
  expect(result.stderr).toBe('');
  return result.stdout;
}

const cacheLines = (bundle: string) => readFileSync(join(bundle, CACHE)).toString('latin1').split('\n');
interface CacheIndex {
  ran: string[];
  files: [string, number, number, number][];
}
const cacheIndex = (bundle: string) => JSON.parse(cacheLines(bundle)[1]!) as CacheIndex;
const cachedFiles = (bundle: string) => cacheIndex(bundle).files.map(([file]) => file);

beforeAll(async () => {
  built = mkdtempSync(join(packageDir, '.test-bundle-'));
  made.push(built);
  // From the sources (tsx), so that @charms/build/internal needs no dist/ either.
  const result = await runCommand(process.execPath, ['--conditions=source', '--import', 'tsx', join(packageDir, 'build-bundle.mjs'), built], { cwd: packageDir, timeout: 240_000 });
  expect(result.status, result.stderr).toBe(0);
}, 300_000);

afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

describe("the charms command's bundle and its code cache", () => {
  it('is CommonJS files and a start script; no ES module is loaded but the one that resolves ES-module-only packages', () => {
    const files = readdirSync(built);
    expect(files).toContain('start.cjs');
    expect(files).toContain('bin.cjs');
    expect(files.filter((name) => /\.m?js$/.test(name))).toEqual(['import-resolve.mjs']);
    // A bundle file with a literal import() would load through Node's ES module loader, beside this one.
    for (const name of files.filter((file) => file.endsWith('.cjs') && file !== 'start.cjs')) {
      const text = readFileSync(join(built, name), 'utf8');
      for (const call of text.match(/\bimport\(\s*["'][^"']*["']\s*\)/g) ?? []) expect.fail(`${name}: ${call}`);
    }
  });

  it('the first command writes the cache, naming the build, this Node and each file it loaded; the next of the same name leaves it as it is; another name writes it once more', async () => {
    const bundle = bundleCopy();
    expect((await charms(bundle, ['--version'])).trim()).toBe(version);
    const [key] = cacheLines(bundle);
    const id = /const BUILD_ID = "([0-9a-f]{16})"/.exec(readFileSync(join(bundle, 'start.cjs'), 'utf8'))![1];
    expect(key).toBe(`charms-code-cache ${id} ${process.version} v8-${process.versions.v8} ${process.arch}`);
    const index = cacheIndex(bundle);
    expect(index.ran).toEqual(['']);
    const entry = statSync(join(bundle, 'bin.cjs'));
    expect(index.files[0]!.slice(0, 3)).toEqual(['bin.cjs', entry.size, entry.mtimeMs]);
    const written = readFileSync(join(bundle, CACHE));
    await charms(bundle, ['--version']);
    expect(readFileSync(join(bundle, CACHE))).toEqual(written);
    // `charms help` loads the same files, but runs other functions: written once, with its name.
    await charms(bundle, ['help']);
    expect(cacheIndex(bundle).ran).toEqual(['', 'help']);
    const afterHelp = readFileSync(join(bundle, CACHE));
    await charms(bundle, ['help']);
    await charms(bundle, ['--version']);
    expect(readFileSync(join(bundle, CACHE))).toEqual(afterHelp);
    // Written to a temporary file and renamed: nothing is left beside it.
    expect(readdirSync(bundle).filter((name) => name.startsWith(CACHE))).toEqual([CACHE]);
  });

  it('charms lint loads @charms/build (an ES module only) and the charm’s TypeScript by import(), with the cache and without a warning; only the file that calls import() is not cached', async () => {
    const bundle = bundleCopy();
    for (let run = 0; run < 3; run += 1) expect(await charms(bundle, ['lint'], { cwd: minimalCharm })).toContain('no findings');
    expect(cacheIndex(bundle).ran).toEqual(['lint']);
    // charm-analysis.ts loads a charm's modules by import() of their paths: the one such call.
    const importing = JSON.parse(/const importingFiles = new Set\((\[.*\])\);/.exec(readFileSync(join(bundle, 'start.cjs'), 'utf8'))![1]!) as string[];
    expect(importing).toEqual([expect.stringMatching(/^charm-analysis-\w+\.cjs$/)]);
    expect(cachedFiles(bundle)).not.toContain(importing[0]);
    // A file that names import() only in a comment (zod's sources do) keeps its cache.
    const named = cachedFiles(bundle).filter((name) => readFileSync(join(bundle, name), 'utf8').includes('import('));
    expect(named.length).toBeGreaterThan(0);
  });

  it('with --enable-source-maps the bundle is required as it is (Node maps its stacks), lint still works, and no cache is written', async () => {
    const bundle = bundleCopy();
    expect(await charms(bundle, ['lint'], { cwd: minimalCharm, env: { NODE_OPTIONS: '--enable-source-maps' } })).toContain('no findings');
    expect(readdirSync(bundle).filter((name) => name.startsWith(CACHE))).toEqual([]);
  });

  it('a cache that cannot be written (a root-owned install) leaves the command as it was, and no temporary file', async () => {
    const bundle = bundleCopy();
    // A folder where the cache would go: reading it fails, and so does the rename over it
    // (these tests may run as root, whom file modes do not stop).
    mkdirSync(join(bundle, CACHE));
    expect((await charms(bundle, ['--version'])).trim()).toBe(version);
    expect(statSync(join(bundle, CACHE)).isDirectory()).toBe(true);
    expect(readdirSync(bundle).filter((name) => name.startsWith(CACHE))).toEqual([CACHE]);
  });

  it('a cache of another build is not used, and is replaced', async () => {
    const bundle = bundleCopy();
    await charms(bundle, ['--version']);
    const start = join(bundle, 'start.cjs');
    const text = readFileSync(start, 'utf8');
    const other = text.replace(/const BUILD_ID = "[0-9a-f]{16}"/, 'const BUILD_ID = "fedcba9876543210"');
    expect(other).not.toBe(text);
    writeFileSync(start, other);
    await charms(bundle, ['--version']);
    expect(cacheLines(bundle)[0]).toMatch(/^charms-code-cache fedcba9876543210 /);
  });
});

describe('bin/charms.cjs', () => {
  it('runs the bundle from an install (a node_modules folder): the package’s bin', async () => {
    const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { bin: Record<string, string>; files: string[] };
    expect(manifest.bin).toEqual({ charms: './bin/charms.cjs' });
    // The cache each install writes for itself is not packed.
    expect(manifest.files.some((pattern) => pattern === 'bundle' || pattern === 'bundle/*')).toBe(false);
    const install = join(mkdtempSync(join(tmpdir(), 'charms-bin-')), 'node_modules', '@charms', 'cli');
    made.push(dirname(dirname(dirname(install))));
    mkdirSync(join(install, 'bin'), { recursive: true });
    for (const name of ['charms.cjs', 'build-freshness.cjs']) cpSync(join(packageDir, 'bin', name), join(install, 'bin', name));
    // A bundle of one file, which says it ran: no other build is there to run.
    mkdirSync(join(install, 'bundle'));
    writeFileSync(join(install, 'bundle', 'start.cjs'), "'use strict';\nprocess.stdout.write('bundle ran ' + process.argv.slice(2).join(' '));\n");
    const result = await runCommand(process.execPath, [join(install, 'bin', 'charms.cjs'), 'status'], { env: { PATH: process.env.PATH! } });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('bundle ran status');
  });
});
