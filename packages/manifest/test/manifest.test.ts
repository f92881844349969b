import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  endpoints,
  isKubernetesCharm,
  loadConfigYaml,
  loadLayerYaml,
  loadMetadata,
  ManifestError,
  readCharmYaml,
  stringifyCharmYaml,
} from '@charms/manifest';
import { problems } from './fixtures/problems.js';

function charmDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'manifest-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('metadata.yaml', () => {
  it('loads a podspec charm with its relations and resources', () => {
    const dir = charmDir({
      'metadata.yaml': [
        'name: minio',
        'summary: Object storage for AI',
        'series: [kubernetes]',
        'provides:',
        '  minio:',
        '    interface: minio',
        'resources:',
        '  oci-image:',
        '    type: oci-image',
        '    auto-fetch: true',
      ].join('\n'),
    });
    const metadata = loadMetadata(dir);
    expect(isKubernetesCharm(metadata)).toBe(true);
    expect(endpoints(metadata)).toEqual([{ name: 'minio', role: 'provides', interface: 'minio' }]);
    expect(metadata.resources?.['oci-image']).toEqual({ type: 'oci-image', 'auto-fetch': true });
  });

  it('reports every schema problem with file, line and column', () => {
    const dir = charmDir({
      'metadata.yaml': ['name: MinIO', 'requires:', '  db:', '    scope: everywhere', 'resources:', '  img:', '    type: docker'].join('\n'),
    });
    const found = problems(() => loadMetadata(dir));
    const file = join(dir, 'metadata.yaml');
    expect(found.map((p) => [p.file, p.line, p.col, p.code, p.message.split(':')[0]])).toEqual([
      [file, 1, 7, 'INVALID_NAME', 'name'],
      [file, 4, 5, 'SCHEMA', 'requires.db.interface'],
      [file, 4, 12, 'SCHEMA', 'requires.db.scope'],
      [file, 7, 11, 'SCHEMA', 'resources.img.type'],
    ]);
  });

  it('reports YAML syntax errors with their position', () => {
    const dir = charmDir({ 'metadata.yaml': 'name: minio\nsummary: [unclosed\n' });
    const [problem] = problems(() => loadMetadata(dir));
    expect(problem).toMatchObject({ code: 'YAML_SYNTAX', line: 3 });
    expect(String(new ManifestError([problem!]).message)).toMatch(/metadata\.yaml:3:\d+ YAML_SYNTAX /);
  });

  it('a missing metadata.yaml is NOT_FOUND', () => {
    expect(problems(() => loadMetadata(charmDir({})))[0]).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('config.yaml', () => {
  it('loads options; a charm without config.yaml has none', () => {
    const dir = charmDir({
      'config.yaml': 'options:\n  port:\n    type: int\n    default: 9000\n  secret-key:\n    type: string\n    default: minio123\n',
    });
    expect(loadConfigYaml(dir)?.options.port).toEqual({ type: 'int', default: 9000 });
    expect(loadConfigYaml(charmDir({}))).toBeUndefined();
  });

  it('rejects a default of the wrong type and an unknown key', () => {
    const dir = charmDir({ 'config.yaml': 'options:\n  port:\n    type: int\n    default: "9000"\n    defualt: 1\n' });
    const found = problems(() => loadConfigYaml(dir));
    expect(found.map((p) => [p.line, p.message])).toEqual([
      [3, expect.stringContaining('Unrecognized key: "defualt"')],
      [4, "options.port.default: the default does not have the option's type"],
    ]);
  });
});

describe('layer.yaml', () => {
  it('loads includes and options', () => {
    const dir = charmDir({ 'layer.yaml': "includes: ['layer:caas-base', 'layer:docker-resource']\noptions:\n  docker-resource:\n    set-status: false\n" });
    expect(loadLayerYaml(dir)).toEqual({
      includes: ['layer:caas-base', 'layer:docker-resource'],
      options: { 'docker-resource': { 'set-status': false } },
    });
  });

  it('rejects an include that is not layer:NAME or interface:NAME', () => {
    const dir = charmDir({ 'layer.yaml': 'includes: [caas-base]\n' });
    expect(problems(() => loadLayerYaml(dir))[0]).toMatchObject({ line: 1, col: 12, code: 'SCHEMA' });
  });
});

describe('YAML version', () => {
  it('reads charm files as YAML 1.1, like Juju: yes/no/on/off are booleans', () => {
    const dir = charmDir({ 'config.yaml': 'options:\n  debug:\n    type: boolean\n    default: yes\n  verbose:\n    type: boolean\n    default: off\n' });
    expect(loadConfigYaml(dir)?.options).toEqual({ debug: { type: 'boolean', default: true }, verbose: { type: 'boolean', default: false } });
  });

  // go-yaml v2 (decode.go) decodes a key into a Go string as its text: juju/charm config.go
  // reads options into map[string]Option, so an option named n stays "n", not "false".
  it('keeps the text of map keys that YAML 1.1 reads as booleans or numbers (options n, y, on, off, 1.0)', () => {
    const text = 'options:\n  n:\n    type: string\n    default: x\n  on:\n    type: boolean\n    default: no\n  1.0:\n    type: int\n    default: 1\n';
    const dir = charmDir({ 'config.yaml': text });
    expect(loadConfigYaml(dir)?.options).toEqual({ n: { type: 'string', default: 'x' }, on: { type: 'boolean', default: false }, '1.0': { type: 'int', default: 1 } });
    const bad = charmDir({ 'config.yaml': 'options:\n  n:\n    type: int\n    default: x\n' });
    expect(problems(() => loadConfigYaml(bad))[0]).toMatchObject({ line: 4, code: 'SCHEMA', message: expect.stringContaining('options.n.default') });
  });

  it('writes YAML that reads back as the same values under YAML 1.1', () => {
    const value = { strings: ['yes', 'No', 'on', 'OFF', 'y', '010', '1_000', '0x1F', '1:20', '~'], flag: true, port: 9000 };
    expect(readCharmYaml(stringifyCharmYaml(value))).toEqual(value);
  });
});

describe('actions.yaml', () => {
  it('loads actions and rejects a bad action name', async () => {
    const { loadActionsYaml } = await import('@charms/manifest');
    const good = charmDir({ 'actions.yaml': 'backup:\n  description: Back up the data\n  params:\n    target: {type: string}\n' });
    expect(loadActionsYaml(good)?.backup?.params?.target).toEqual({ type: 'string' });
    const bad = charmDir({ 'actions.yaml': 'Backup:\n  description: x\n' });
    expect(problems(() => loadActionsYaml(bad))[0]).toMatchObject({ code: 'INVALID_NAME', line: 1 });
  });
});
