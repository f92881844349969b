import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BuildError, layerIndexFor, resolveLayers } from '@charms/build';
import { analyzeCharm, buildCharmWithLint, lintCharm } from '@charms/cli/testing';
import type { CharmFiles } from '@charms/runtime';
import { FakeJuju } from '../../hooktools/test/fixtures/fake-juju.js';
import { runCommand } from './helpers/run-command.js';
import { findTypeScript } from '@charms/build/internal';
import { bundleCharm, interfaceEntries } from '@charms/build/testing';

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, 'fixtures', 'checks');
const repo = join(here, '..', '..', '..');

// Each build type-checks and bundles (seconds on a busy two-core machine); hooks and the
// charms command start Node: the tests that do so get minutes, and run them through
// runCommand (spawnSync would block vitest's worker meanwhile).
const TIMEOUT = 120_000;

/** A fresh copy of the checks fixtures (the charm, its local layer, an interface package). */
function copyFixture(): { root: string; charm: string } {
  const root = mkdtempSync(join(tmpdir(), 'checks-'));
  cpSync(fixtures, root, { recursive: true });
  return { root, charm: join(root, 'charm') };
}

function out(): string {
  return join(mkdtempSync(join(tmpdir(), 'checked-')), 'checked');
}

/** Builds and expects a BuildError; the output folder must stay unwritten. */
async function buildFailure(charm: string, options: { typecheck?: boolean } = {}): Promise<BuildError> {
  const target = out();
  const error = await buildCharmWithLint({ charmDir: charm, outDir: target, ...options }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(BuildError);
  expect(existsSync(target)).toBe(false);
  return error as BuildError;
}

/** Runs one hook of a built charm through its dispatch under fake Juju tools. */
function runHook(charmDir: string, hook: string) {
  const juju = new FakeJuju({ config: {}, relations: {} });
  return runCommand(join(charmDir, 'dispatch'), [], {
    cwd: charmDir,
    timeout: 60_000,
    env: juju.env({ JUJU_DISPATCH_PATH: `hooks/${hook}`, JUJU_UNIT_NAME: `${hook}-test/0`, JUJU_MODEL_NAME: 'test', JUJU_CHARM_DIR: charmDir }),
  });
}

// The handler uses setFlag without importing it: line 6, column 5.
const MISSING_IMPORT = `import { hook } from '@charms/reactive';

export default class App {
  @hook('install')
  install() {
    setFlag('checked.installed');
  }
}
`;

describe('charms build type-checks the charm first', { timeout: TIMEOUT }, () => {
  it('reports a missing import at the line that uses it, with every other type error of the charm and its local layers', async () => {
    const { root, charm } = copyFixture();
    writeFileSync(join(charm, 'reactive', 'app.ts'), MISSING_IMPORT);
    const tools = join(root, 'layers', 'tools', 'reactive', 'tools.ts');
    writeFileSync(tools, readFileSync(tools, 'utf8').replace("await ctx.log('tools: prepared');", "await ctx.log(42);"));
    const error = await buildFailure(charm);
    expect(error.code).toBe('CHECK_FAILED');
    expect(error.problems).toEqual([
      expect.objectContaining({ file: join(charm, 'reactive', 'app.ts'), line: 6, col: 5, code: 'TS2304' }),
      expect.objectContaining({ file: tools, line: 6, code: 'TS2345' }),
    ]);
    expect(error.problems[0]!.message).toBe("Cannot find name 'setFlag'.");
    expect(error.message).toContain(`${join(charm, 'reactive', 'app.ts')}:6:5 TS2304 Cannot find name 'setFlag'.`);
  });

  it('--no-typecheck skips it: the charm builds, and the hook fails naming reactive/app.ts:6', async () => {
    const { charm } = copyFixture();
    writeFileSync(join(charm, 'reactive', 'app.ts'), MISSING_IMPORT);
    const summary = await buildCharmWithLint({ charmDir: charm, outDir: out(), typecheck: false });
    expect(summary.checkTimings.typecheck).toBeLessThan(1_000);
    const hook = await runHook(summary.outDir, 'install');
    expect(hook.status).toBe(1);
    expect(hook.stderr).toContain('ReferenceError: setFlag is not defined');
    expect(hook.stderr).toMatch(/\/reactive\/app\.ts:6:5\)/);
  });

  it('finds TypeScript in the charm first, then where the command runs, and says what to do when neither has it', () => {
    const charm = mkdtempSync(join(tmpdir(), 'own-typescript-'));
    mkdirSync(join(charm, 'node_modules', 'typescript'), { recursive: true });
    writeFileSync(join(charm, 'node_modules', 'typescript', 'package.json'), '{"name": "typescript", "version": "0.0.0-test", "main": "index.cjs"}');
    writeFileSync(join(charm, 'node_modules', 'typescript', 'index.cjs'), 'module.exports = { ownCopy: true };\n');
    expect(findTypeScript(charm)).toEqual({ ownCopy: true });

    const nowhere = mkdtempSync(join(tmpdir(), 'no-typescript-'));
    let error: unknown;
    try {
      findTypeScript(nowhere, join(nowhere, 'command.js'));
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ code: 'TYPESCRIPT_NOT_FOUND' });
    expect((error as Error).message).toContain('npm install --save-dev typescript');
    expect((error as Error).message).toContain('--no-typecheck');
  });
});

describe('charms build refuses handlers it would never register', { timeout: TIMEOUT }, () => {
  it('a decorated class that is not exported, or exported by name: at the class, and never an error about the generated entry', async () => {
    const { charm } = copyFixture();
    writeFileSync(
      join(charm, 'reactive', 'app.ts'),
      ["import { hook, when } from '@charms/reactive';", '', 'export default class App {', "  @hook('install')", '  install() {}', '}', '', 'class Forgotten {', "  @when('checked.installed')", '  ready() {}', '}', ''].join('\n'),
    );
    writeFileSync(
      join(charm, 'reactive', 'extra.ts'),
      ["import { when } from '@charms/reactive';", '', 'export class Extra {', "  @when('checked.installed')", '  extra() {}', '}', ''].join('\n'),
    );
    const error = await buildFailure(charm);
    expect(error.code).toBe('CHECK_FAILED');
    expect(error.problems).toEqual([
      expect.objectContaining({ file: join(charm, 'reactive', 'app.ts'), line: 8, col: 7, code: 'NOT_REGISTERED' }),
      expect.objectContaining({ file: join(charm, 'reactive', 'extra.ts'), line: 3, col: 14, code: 'NOT_REGISTERED' }),
    ]);
    expect(error.problems[0]!.message).toContain('class Forgotten has reactive handlers but is not exported');
    expect(error.problems[1]!.message).toContain('exported as "Extra", not as the default export');
    expect(error.problems[1]!.message).toContain('export default class Extra');
    expect(error.message).not.toContain('charm-entry');
  });

  it('a layer exported by name, a module with no default export: at the export', async () => {
    const { charm } = copyFixture();
    writeFileSync(
      join(charm, 'reactive', 'more.ts'),
      ["import { defineLayer } from '@charms/reactive';", '', "export const more = defineLayer('more', (r) => {", "  r.handle({ hook: 'install' }, function more() {});", '});', ''].join('\n'),
    );
    writeFileSync(join(charm, 'reactive', 'util.ts'), 'export function double(n: number): number {\n  return n * 2;\n}\n');
    const error = await buildFailure(charm);
    expect(error.problems).toEqual([
      expect.objectContaining({ file: join(charm, 'reactive', 'more.ts'), line: 3, col: 14, code: 'NOT_REGISTERED' }),
      expect.objectContaining({ file: join(charm, 'reactive', 'util.ts'), line: 1, col: 17, code: 'NO_DEFAULT_EXPORT' }),
    ]);
    expect(error.problems[1]!.message).toContain('move helper code out of reactive/');
    expect(error.message).not.toContain('charm-entry');
  });

  it('a class the default layer registers itself, and helper exports, are fine', async () => {
    const { charm } = copyFixture();
    writeFileSync(
      join(charm, 'reactive', 'app.ts'),
      [
        "import { defineLayer, hook } from '@charms/reactive';",
        '',
        'class Installer {',
        "  @hook('install')",
        '  install() {}',
        '}',
        '',
        "export default defineLayer('checked', (r) => r.register(Installer));",
        '',
        'export const VERSION = 1;',
        '',
      ].join('\n'),
    );
    const summary = await buildCharmWithLint({ charmDir: charm, outDir: out() });
    expect(summary.warnings).toEqual([]);
  });

  it('a class with no decorated method as the default export', async () => {
    const { charm } = copyFixture();
    writeFileSync(join(charm, 'reactive', 'app.ts'), 'export default class App {\n  install() {}\n}\n');
    const error = await buildFailure(charm);
    expect(error.problems).toEqual([expect.objectContaining({ file: join(charm, 'reactive', 'app.ts'), line: 1, col: 22, code: 'NO_HANDLERS' })]);
  });

  it('names the module, not the generated entry, when the bundler meets a module with no default export', async () => {
    const { charm } = copyFixture();
    const util = join(charm, 'reactive', 'util.ts');
    writeFileSync(util, 'export const two = 2;\n');
    const error = await bundleCharm(charm, [{ layer: 'checked', path: util }], {} as CharmFiles).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'BUNDLE_FAILED' });
    expect((error as BuildError).problems).toEqual([expect.objectContaining({ file: util, line: 1, code: 'NO_DEFAULT_EXPORT' })]);
    expect((error as Error).message).not.toContain('charm-entry');
  });
});

describe('charms lint and a module it cannot register', { timeout: TIMEOUT }, () => {
  it('reports a module with no default export instead of crashing', async () => {
    const { charm } = copyFixture();
    writeFileSync(join(charm, 'reactive', 'util.ts'), 'export function double(n: number): number {\n  return n * 2;\n}\n');
    const findings = lintCharm(await analyzeCharm(charm));
    expect(findings).toEqual([expect.objectContaining({ file: join(charm, 'reactive', 'util.ts'), line: 1, level: 'error', code: 'not-registered' })]);
  });
});

describe('interface:NAME includes', { timeout: TIMEOUT }, () => {
  it('an interface found nowhere fails at its include, saying what to install', async () => {
    const { charm } = copyFixture();
    writeFileSync(join(charm, 'layer.yaml'), 'includes:\n  - layer:status\n  - interface:nope\n  - ../layers/tools\n');
    const error = await buildFailure(charm);
    expect(error.code).toBe('LAYER_NOT_FOUND');
    expect(error.problems).toEqual([expect.objectContaining({ file: join(charm, 'layer.yaml'), line: 3, col: 5, code: 'UNKNOWN_INTERFACE' })]);
    expect(error.problems[0]!.message).toContain('npm install @charms/interface-nope');
  });

  it('an installed @charms/interface-NAME package is an interface layer, in include order, with its module', async () => {
    const { root, charm } = copyFixture();
    cpSync(join(root, 'interface-demo'), join(charm, 'node_modules', '@charms', 'interface-demo'), { recursive: true });
    writeFileSync(join(charm, 'layer.yaml'), 'includes:\n  - layer:status\n  - interface:demo\n  - ../layers/tools\n');
    const summary = await buildCharmWithLint({ charmDir: charm, outDir: out() });
    expect(summary.layers).toEqual(['status', 'interface:demo', 'tools', 'checked']);
    expect(readFileSync(join(summary.outDir, 'layer.yaml'), 'utf8')).toContain('- interface:demo');
    // It brings code only: no files of the package are copied.
    expect(readdirSync(summary.outDir)).not.toContain('src');

    const layers = resolveLayers(charm, layerIndexFor(charm));
    expect(layers.map((layer) => layer.kind)).toEqual(['workspace', 'interface', 'local', 'charm']);
    const installed = realpathSync(join(charm, 'node_modules', '@charms', 'interface-demo'));
    expect(interfaceEntries(layers)).toEqual([{ name: 'demo', ref: 'interface:demo', dir: installed, path: join(installed, 'src', 'index.ts') }]);
  });

  it('the layer index interfaces: map comes first', () => {
    const { root, charm } = copyFixture();
    writeFileSync(join(charm, 'layer.yaml'), 'includes:\n  - interface:demo\n  - ../layers/tools\n');
    const layers = resolveLayers(charm, { layers: {}, interfaces: { 'interface:demo': join(root, 'interface-demo') }, source: 'a test index' });
    expect(interfaceEntries(layers)).toEqual([
      { name: 'demo', ref: 'interface:demo', dir: join(root, 'interface-demo'), path: join(root, 'interface-demo', 'src', 'index.ts') },
    ]);
  });
});

describe('charms build, the rest', { timeout: TIMEOUT }, () => {
  it('accepts layer:basic as built in and says so', async () => {
    const { charm } = copyFixture();
    writeFileSync(join(charm, 'layer.yaml'), 'includes:\n  - layer:basic\n  - layer:status\n  - ../layers/tools\n');
    const summary = await buildCharmWithLint({ charmDir: charm, outDir: out() });
    expect(summary.layers).toEqual(['status', 'tools', 'checked']);
    expect(summary.notes).toEqual([expect.objectContaining({ file: join(charm, 'layer.yaml'), line: 2, col: 5, code: 'BUILT_IN_LAYER' })]);
    expect(readFileSync(join(summary.outDir, 'layer.yaml'), 'utf8')).not.toContain('layer:basic');
  });

  it('builds MinIO with no problem at all', async () => {
    const summary = await buildCharmWithLint({ charmDir: join(repo, 'examples', 'minio'), outDir: join(mkdtempSync(join(tmpdir(), 'minio-checked-')), 'minio') });
    expect(summary.warnings).toEqual([]);
    expect(summary.notes).toEqual([]);
    expect(Object.keys(summary.checkTimings).sort()).toEqual(['lint', 'registration', 'typecheck']);
  });

  it('writes source maps, and a failing hook’s stack names reactive/boom.ts:9', async () => {
    const summary = await buildCharmWithLint({ charmDir: join(fixtures, 'throws'), outDir: join(mkdtempSync(join(tmpdir(), 'throws-')), 'throws') });
    expect(readFileSync(join(summary.outDir, 'dist', 'charm.cjs'), 'utf8')).toMatch(/\/\/# sourceMappingURL=charm\.cjs\.map\n$/);
    const map = JSON.parse(readFileSync(join(summary.outDir, 'dist', 'charm.cjs.map'), 'utf8')) as { sources: string[] };
    expect(map.sources).toContain('../reactive/boom.ts');
    expect(map.sources).toContain('../node_modules/@charms/reactive/src/dispatch.ts');
    const hook = await runHook(summary.outDir, 'install');
    expect(hook.status).toBe(1);
    expect(hook.stderr).toContain('Error: boom on purpose');
    expect(hook.stderr).toContain(`${join(summary.outDir, 'reactive', 'boom.ts')}:9:11`);
  });

  it('the charms command: problems as file:line:col on stderr, --no-typecheck on request', async () => {
    // As users run it: bin/charms.mjs (dist/ when fresh, else the sources).
    const charms = (...args: string[]) =>
      runCommand(process.execPath, [join(repo, 'packages', 'cli', 'bin', 'charms.mjs'), ...args], { cwd: repo, env: { ...process.env, NO_COLOR: '1' }, timeout: 100_000 });
    const { charm } = copyFixture();
    writeFileSync(join(charm, 'reactive', 'app.ts'), MISSING_IMPORT);
    const failed = await charms('build', charm, '-o', out());
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain(`${join(charm, 'reactive', 'app.ts')}:6:5 TS2304 Cannot find name 'setFlag'.`);
    const skipped = await charms('build', charm, '-o', out(), '--no-typecheck');
    expect(skipped.stderr).not.toContain('TS2304');
    expect(skipped.status).toBe(0);
    expect(skipped.stdout).toContain('built checked');
  }, 2 * TIMEOUT);
});
