import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { layerIndexFor, resolveLayers } from '@charms/build';
import { checkCharmName, initCharm, InitError } from '@charms/cli/testing';
import { loadConfigYaml, loadLayerYaml, loadMetadata } from '@charms/manifest';

const here = dirname(fileURLToPath(import.meta.url));
const cliVersion = (JSON.parse(readFileSync(join(here, '..', 'package.json'), 'utf8')) as { version: string }).version;

function target(name: string): string {
  return join(mkdtempSync(join(tmpdir(), 'init-')), name);
}

function refusal(work: () => unknown): InitError {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(InitError);
    return error as InitError;
  }
  throw new Error('it was not refused');
}

describe('charms init', () => {
  it('writes the project: package.json, tsconfig, charm files, a handler class, a test and a README', () => {
    const dir = target('hello');
    const summary = initCharm({ name: 'hello', dir });
    expect(summary.files).toEqual([
      '.gitignore',
      'README.md',
      'charm-config.ts',
      'config.yaml',
      'layer.yaml',
      'metadata.yaml',
      'package.json',
      'reactive/hello.ts',
      'test/hello.test.ts',
      'tsconfig.json',
    ]);
    for (const file of summary.files) expect(readFileSync(join(dir, file), 'utf8')).not.toMatch(/\{\{\w+\}\}|__name__/);
  });

  it('pins every @charms package to the version of the command, with build, test and deploy scripts', () => {
    const dir = target('hello');
    initCharm({ name: 'hello', dir });
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, Record<string, string>>;
    expect(manifest.name).toBe('hello');
    const charms = Object.entries({ ...manifest.dependencies, ...manifest.devDependencies }).filter(([name]) => name.startsWith('@charms/'));
    expect(charms.length).toBeGreaterThanOrEqual(5);
    expect(new Set(charms.map(([, version]) => version))).toEqual(new Set([cliVersion]));
    expect(manifest.scripts).toMatchObject({ build: 'charms build', test: 'vitest run', deploy: 'charms deploy .' });
    expect(JSON.parse(readFileSync(join(dir, 'tsconfig.json'), 'utf8')).compilerOptions).toMatchObject({ strict: true, experimentalDecorators: false });
  });

  it('writes charm files the manifest loaders accept, including layer:status', () => {
    const dir = target('my-charm');
    initCharm({ name: 'my-charm', dir, version: '9.9.9' });
    expect(loadMetadata(dir).name).toBe('my-charm');
    expect(Object.keys(loadConfigYaml(dir)?.options ?? {})).toEqual(['greeting']);
    expect(loadLayerYaml(dir)?.includes).toContain('layer:status');
    expect(readFileSync(join(dir, 'reactive', 'my-charm.ts'), 'utf8')).toContain('export default class MyCharm {');
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).dependencies['@charms/layer-status']).toBe('9.9.9');
  });

  it('finds layer:status among the dependencies once they are installed, and says what to do before', () => {
    const dir = target('hello');
    initCharm({ name: 'hello', dir });
    const before = (() => {
      try {
        return resolveLayers(dir, { layers: {}, source: 'nothing' });
      } catch (error) {
        return error;
      }
    })();
    expect(before).toMatchObject({ code: 'LAYER_NOT_FOUND' });
    // A stand-in for `npm install`: the layer package in node_modules.
    const installed = join(dir, 'node_modules', '@charms', 'layer-status');
    mkdirSync(installed, { recursive: true });
    writeFileSync(join(installed, 'package.json'), JSON.stringify({ name: '@charms/layer-status', exports: { '.': { source: './src/index.ts' } } }));
    writeFileSync(join(installed, 'layer.yaml'), 'includes: []\n');
    const index = layerIndexFor(dir);
    expect(typeof index === 'string' ? index : Object.keys(index.layers)).toEqual(['layer:status']);
    expect(resolveLayers(dir, index).map((layer) => [layer.name, layer.kind])).toEqual([
      ['status', 'workspace'],
      ['hello', 'charm'],
    ]);
  });

  it('refuses a name Juju would refuse, saying why, and writes nothing', () => {
    for (const name of ['Hello', '1hello', 'hello_world', 'hello-', 'hello--world', '-hello', '']) {
      const dir = target(name || 'empty');
      const error = refusal(() => initCharm({ name, dir }));
      expect(error).toMatchObject({ code: 'INVALID_CHARM_NAME', value: name });
      expect(error.message).toContain(`"${name}"`);
      expect(existsSync(dir)).toBe(false);
    }
    for (const name of ['a', 'hello', 'hello-world', 'k8s-2']) expect(() => checkCharmName(name)).not.toThrow();
  });

  it('refuses a folder that holds anything, or a file, and takes an empty one', () => {
    const full = target('hello');
    mkdirSync(full);
    writeFileSync(join(full, 'notes.txt'), 'mine');
    expect(refusal(() => initCharm({ name: 'hello', dir: full }))).toMatchObject({ code: 'TARGET_NOT_EMPTY', value: full });
    expect(readdirSync(full)).toEqual(['notes.txt']);

    const file = target('hello');
    writeFileSync(file, '');
    expect(refusal(() => initCharm({ name: 'hello', dir: file }))).toMatchObject({ code: 'TARGET_NOT_EMPTY' });

    const empty = target('hello');
    mkdirSync(empty);
    expect(initCharm({ name: 'hello', dir: empty }).files).toContain('reactive/hello.ts');
  });
});
