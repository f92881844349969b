import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BuildError, buildCharm, configTypes } from '@charms/build';
import { ManifestError } from '@charms/manifest';
import { copyFixture, fixture, out, runHook } from './helpers/two-layers.js';

// Builds (esbuild) and hooks (a Node start each) take seconds each on a busy two-core
// machine: the tests that start them get minutes.
const TIMEOUT = 120_000;

function problemOf(error: unknown) {
  expect(error instanceof BuildError || error instanceof ManifestError).toBe(true);
  return (error as BuildError).problems[0]!;
}

describe('charms build', { timeout: TIMEOUT }, () => {
  let built: string;
  beforeAll(async () => {
    built = out();
    await buildCharm({ charmDir: join(fixture, 'charm'), outDir: built });
  }, TIMEOUT);

  it('merges metadata: series higher first, relations from every layer, the maintainer of the charm', () => {
    expect(readFileSync(join(built, 'metadata.yaml'), 'utf8')).toBe(
      [
        'name: demo',
        'summary: A charm built from two local layers and layer:status',
        'maintainer: Demo Team <demo@example.com>',
        'series:',
        '  - focal',
        '  - jammy',
        'requires:',
        '  db:',
        '    interface: mysql',
        'provides:',
        '  website:',
        '    interface: http',
        '',
      ].join('\n'),
    );
  });

  it('merges config options, lower layers first', () => {
    expect(readFileSync(join(built, 'config.yaml'), 'utf8')).toMatch(/^options:\n  port:\n[\s\S]*\n  greeting:\n/);
  });

  it('writes every layer’s options with their defaults into layer.yaml', () => {
    expect(readFileSync(join(built, 'layer.yaml'), 'utf8')).toBe(
      [
        'includes:',
        '  - layer:status',
        '  - ../layers/base',
        '  - ../layers/extra',
        'options:',
        '  status:',
        '    patch-hookenv: true',
        '  base:',
        '    flavour: spicy',
        '    retries: 3',
        '  extra:',
        '    enabled: true',
        '  demo: {}',
        'is: demo',
        '',
      ].join('\n'),
    );
  });

  it('writes dispatch and a hook for every standard, relation and storage hook, all executable', () => {
    const hooks = readFileSync(join(built, '.build.manifest'), 'utf8');
    const names = Object.keys(JSON.parse(hooks).signatures).filter((p) => p.startsWith('hooks/'));
    expect(names).toHaveLength(20);
    expect(names).toEqual(expect.arrayContaining(['hooks/install', 'hooks/db-relation-joined', 'hooks/website-relation-departed']));
    for (const path of ['dispatch', 'hooks/install']) expect(statSync(join(built, path)).mode & 0o777).toBe(0o755);
  });

  it('copies plain files, the charm’s overriding its layers’', () => {
    expect(readFileSync(join(built, 'README.md'), 'utf8')).toContain("The charm's own README");
    expect(existsSync(join(built, 'icon.svg'))).toBe(true);
    expect(existsSync(join(built, 'templates', 'extra.conf'))).toBe(true);
    expect(existsSync(join(built, 'reactive'))).toBe(false);
  });

  it('records every file with its origin layer and hash in .build.manifest', () => {
    const manifest = JSON.parse(readFileSync(join(built, '.build.manifest'), 'utf8'));
    expect(manifest.layers).toEqual([
      { name: 'status', ref: 'layer:status' },
      { name: 'base', ref: '../layers/base' },
      { name: 'extra', ref: '../layers/extra' },
      { name: 'demo', ref: '.' },
    ]);
    expect(manifest.signatures['icon.svg']).toEqual(['../layers/base', 'static', expect.stringMatching(/^[0-9a-f]{64}$/)]);
    expect(manifest.signatures['README.md'][0]).toBe('.');
  });

  it('runs a hook through OUT_DIR/dispatch, handlers in include order then file order', async () => {
    const result = await runHook(built, 'install');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const logs = result.juju.world().logs!.map((l) => l.message);
    expect(logs.filter((m) => m.startsWith('Invoking'))).toEqual([
      'Invoking reactive handler: base:install',
      'Invoking reactive handler: extra:first',
      'Invoking reactive handler: extra:Second.second',
      'Invoking reactive handler: demo:install',
      'Invoking reactive handler: extra:Second.afterBase',
    ]);
    expect(logs).toContain('demo: greeting hello, flavour spicy');
  });

  it('gives identical output when built twice', async () => {
    const again = out();
    await buildCharm({ charmDir: join(fixture, 'charm'), outDir: again });
    expect(readFileSync(join(again, '.build.manifest'), 'utf8')).toBe(readFileSync(join(built, '.build.manifest'), 'utf8'));
    expect(readFileSync(join(again, 'dist', 'charm.cjs'))).toEqual(readFileSync(join(built, 'dist', 'charm.cjs')));
  });

  it('bakes the checked files into the bundle, unless JSON would change a value', async () => {
    expect(readFileSync(join(built, 'dist', 'charm.cjs'), 'utf8')).toContain('main(charm, { files })');
    // Nothing of the YAML files' loaders or schemas is in such a bundle, not even a chunk
    // no hook loads (it would decide the chunks of the rest: the runtime's charm-files.ts).
    const bundleText = (dir: string) => [readFileSync(join(dir, 'dist', 'charm.cjs'), 'utf8'), ...readdirSync(join(dir, 'dist', 'chunks')).map((f) => readFileSync(join(dir, 'dist', 'chunks', f), 'utf8'))].join('\n');
    expect(bundleText(built)).not.toContain('function loadMetadata(');
    const { charm } = copyFixture();
    writeFileSync(join(charm, 'config.yaml'), `${readFileSync(join(charm, 'config.yaml'), 'utf8')}  ratio:\n    type: float\n    default: .inf\n`);
    const target = out();
    await buildCharm({ charmDir: charm, outDir: target });
    const entry = readFileSync(join(target, 'dist', 'charm.cjs'), 'utf8');
    expect(entry).toContain('main(charm).then');
    expect(entry).not.toContain('main(charm, { files })');
    expect(bundleText(target)).toContain('function loadMetadata(');
  });

  it('builds again over a folder where a hook ran, and removes the code cache that hook wrote', async () => {
    const target = out();
    await buildCharm({ charmDir: join(fixture, 'charm'), outDir: target });
    expect((await runHook(target, 'install')).status).toBe(0);
    expect(existsSync(join(target, 'dist', '.v8-code-cache'))).toBe(true);
    // The unit state the hook kept is the unit's (a rebuild refuses it); the cache is not.
    rmSync(join(target, '.unit-state.json'));
    await buildCharm({ charmDir: join(fixture, 'charm'), outDir: target });
    expect(existsSync(join(target, 'dist', '.v8-code-cache'))).toBe(false);
  });

  it('refuses to overwrite a hand-edited output without --force', async () => {
    const target = out();
    await buildCharm({ charmDir: join(fixture, 'charm'), outDir: target });
    writeFileSync(join(target, 'metadata.yaml'), 'name: edited\n');
    const error = await buildCharm({ charmDir: join(fixture, 'charm'), outDir: target }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'OUTPUT_MODIFIED' });
    expect((error as Error).message).toContain('metadata.yaml (modified)');
    await buildCharm({ charmDir: join(fixture, 'charm'), outDir: target, force: true });
    expect(readFileSync(join(target, 'metadata.yaml'), 'utf8')).toMatch(/^name: demo/);
  });
});

describe('charms build leaves out what is not the charm', { timeout: TIMEOUT }, () => {
  it('hidden folders, local models and earlier builds are never copied', async () => {
    const { charm } = copyFixture();
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(charm, '.charms-model'));
    writeFileSync(join(charm, '.charms-model', 'model.json'), '{"secret": "TopSecret123"}');
    mkdirSync(join(charm, 'out'));
    writeFileSync(join(charm, 'out', '.build.manifest'), '{}');
    writeFileSync(join(charm, 'out', 'metadata.yaml'), 'name: old\n');
    const target = out();
    await buildCharm({ charmDir: charm, outDir: target });
    const manifest = JSON.parse(readFileSync(join(target, '.build.manifest'), 'utf8'));
    // The charm's own files are there, so an empty list below means they were left out.
    expect(Object.keys(manifest.signatures)).toEqual(expect.arrayContaining(['metadata.yaml', 'README.md', 'dist/charm.cjs']));
    expect(Object.keys(manifest.signatures).filter((p) => p.startsWith('.charms-model') || p.startsWith('out/'))).toEqual([]);
  });
});

describe('charms build refuses broken inputs, naming file:line:col', () => {
  it('bad YAML', async () => {
    const { charm } = copyFixture();
    writeFileSync(join(charm, 'config.yaml'), 'options:\n  greeting: [unclosed\n');
    const problem = problemOf(await buildCharm({ charmDir: charm, outDir: out() }).catch((e: unknown) => e));
    expect(problem).toMatchObject({ file: join(charm, 'config.yaml'), line: 3, code: 'YAML_SYNTAX' });
  });

  it('an option of the wrong type', async () => {
    const { charm } = copyFixture();
    writeFileSync(join(charm, 'layer.yaml'), 'includes: [layer:status, ../layers/base, ../layers/extra]\noptions:\n  base:\n    retries: three\n');
    const problem = problemOf(await buildCharm({ charmDir: charm, outDir: out() }).catch((e: unknown) => e));
    expect(problem).toMatchObject({ file: join(charm, 'layer.yaml'), line: 4, col: 14, code: 'OPTION_INVALID' });
    expect(problem.message).toBe('invalid value for option base.retries: must be integer');
  });

  it('options for a layer that is not included', async () => {
    const { charm } = copyFixture();
    writeFileSync(join(charm, 'layer.yaml'), 'includes: [layer:status]\noptions:\n  base:\n    flavour: spicy\n');
    const problem = problemOf(await buildCharm({ charmDir: charm, outDir: out() }).catch((e: unknown) => e));
    expect(problem).toMatchObject({ file: join(charm, 'layer.yaml'), line: 3, col: 3, code: 'UNDEFINED_LAYER' });
  });

  it('an include cycle', async () => {
    const { root, charm } = copyFixture();
    writeFileSync(join(root, 'layers', 'base', 'layer.yaml'), "includes: ['../extra']\n");
    const error = await buildCharm({ charmDir: charm, outDir: out() }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'INCLUDE_CYCLE' });
    expect((error as Error).message).toContain('cycle: ../layers/base → ../layers/extra → ../layers/base');
  });

  it('top-level await in a charm module, at its line (the bundle is CommonJS)', async () => {
    const { charm } = copyFixture();
    const module = join(charm, 'reactive', 'zz-await.ts');
    writeFileSync(module, "import { defineLayer } from '@charms/reactive';\n\nconst port = await Promise.resolve(80);\n\nexport default defineLayer('zz', (r) => {\n  r.handle({ hook: 'install' }, function install() {\n    void port;\n  });\n});\n");
    const problem = problemOf(await buildCharm({ charmDir: charm, outDir: out(), typecheck: false }).catch((e: unknown) => e));
    expect(problem).toMatchObject({ file: module, line: 3, col: 14, code: 'BUNDLE' });
    expect(problem.message).toMatch(/^top-level await is not supported in a charm: .*Await inside a handler or an atstart callback instead$/);
  });

  it('an unknown layer', async () => {
    const { charm } = copyFixture();
    writeFileSync(join(charm, 'layer.yaml'), 'includes:\n  - layer:status\n  - layer:nope\n');
    const problem = problemOf(await buildCharm({ charmDir: charm, outDir: out() }).catch((e: unknown) => e));
    expect(problem).toMatchObject({ file: join(charm, 'layer.yaml'), line: 3, col: 5, code: 'UNKNOWN_LAYER' });
  });
});

describe('charms types', () => {
  it('writes the merged config as a typed interface and a context type', () => {
    const text = configTypes(join(fixture, 'charm'));
    expect(text).toContain('  /** Port of the website Default: 80. */\n  readonly "port": number;');
    expect(text).toContain('  readonly "greeting": string;');
    expect(text).toContain('export type Context = CharmContext & { readonly config: Config };');
  });
});
