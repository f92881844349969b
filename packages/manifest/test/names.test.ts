import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { actionsSchema, loadMetadata, ManifestError, metadataSchema, nameProblem, parseYamlText, type NameKind } from '@charms/manifest';
import { pathInside } from '@charms/manifest/internal';
import { problems } from './fixtures/problems.js';

// The rules follow Juju 2.9's: juju/names v4 application.go, relation.go, storage.go;
// juju/charm v8 url.go (validName), meta.go (Check, reservedName), actions.go
// (actionNameRule), resource/meta.go (Validate). See docs/reference/manifest.md, "Names".

const HOSTILE = ['../x', 'x/../../y', '$(touch X)', '`id`', 'a b', 'a\nb', 'a\0b', 'ünï', 'Upper', '9lives', 'x'.repeat(64), '', '-x', 'x-', '.', '..'];

describe('name rules', () => {
  const kinds: NameKind[] = ['charm', 'application', 'endpoint', 'storage', 'resource', 'container', 'action'];

  it.each(kinds)('a %s name refuses every hostile name, quoting it', (kind) => {
    for (const name of HOSTILE) {
      if (kind === 'action' && name === '9lives') continue; // Juju allows a leading digit in action names since juju/charm v6
      const problem = nameProblem(kind, name);
      expect(problem, `${kind} ${JSON.stringify(name)}`).toBeDefined();
      expect(problem).toContain(JSON.stringify(name).slice(0, 20));
      expect(problem).not.toContain('\n');
    }
  });

  it('accepts the names Juju accepts', () => {
    expect(nameProblem('application', 'minio-consumer')).toBeUndefined();
    expect(nameProblem('charm', 'mysql-k8s')).toBeUndefined();
    expect(nameProblem('endpoint', 'object_storage')).toBeUndefined();
    expect(nameProblem('endpoint', 'db-2')).toBeUndefined();
    expect(nameProblem('storage', 'data')).toBeUndefined();
    expect(nameProblem('resource', 'oci-image')).toBeUndefined();
    expect(nameProblem('container', 'minio')).toBeUndefined();
    expect(nameProblem('action', '2fa-reset')).toBeUndefined();
  });

  it('follows Juju where Juju differs from kind to kind', () => {
    // juju/names application.go: a word of digits only after a hyphen is not a name ("foo-2" looks like a unit).
    expect(nameProblem('application', 'foo-2')).toBeDefined();
    // juju/names relation.go: endpoints may use underscores and end in a number.
    expect(nameProblem('endpoint', 'foo_2')).toBeUndefined();
    expect(nameProblem('storage', 'foo_2')).toBeDefined();
  });
});

describe('metadata.yaml names', () => {
  const load = (text: string) => problems(() => parseYamlText('metadata.yaml', text, metadataSchema));

  it('places each bad name at its key, with the file, line and column', () => {
    const found = load(
      [
        'name: minio',
        'provides:',
        '  "x$(touch INJECTED)":',
        '    interface: http',
        'requires:',
        '  "../../../../elsewhere/x":',
        '    interface: http',
        'storage:',
        '  Data: {type: filesystem}',
        'resources:',
        '  "../../../../../escaped-res": {type: oci-image}',
        'containers:',
        '  "my app": {}',
      ].join('\n'),
    );
    expect(found.map((p) => [p.line, p.col, p.code, p.message.split(':')[0]])).toEqual([
      [3, 3, 'INVALID_NAME', 'provides."x$(touch INJECTED)"'],
      [6, 3, 'INVALID_NAME', 'requires."../../../../elsewhere/x"'],
      [9, 3, 'INVALID_NAME', 'storage.Data'],
      [11, 3, 'INVALID_NAME', 'resources."../../../../../escaped-res"'],
      [13, 3, 'INVALID_NAME', 'containers."my app"'],
    ]);
    expect(found[0]!.message).toContain('endpoint name "x$(touch INJECTED)" is not valid: use lower-case letters');
  });

  it('refuses a bad charm name, a reserved endpoint name and an endpoint declared twice (juju/charm meta.go Check)', () => {
    const found = load(['name: My_Charm', 'provides:', '  juju-info: {interface: juju-info}', '  db: {interface: pg}', 'peers:', '  db: {interface: pg-peers}'].join('\n'));
    expect(found.map((p) => [p.line, p.code])).toEqual([
      [1, 'INVALID_NAME'],
      [3, 'INVALID_NAME'],
      [6, 'INVALID_NAME'],
    ]);
    expect(found[1]!.message).toContain('reserved by Juju');
    expect(found[2]!.message).toContain('already declared under provides');
  });

  it('lets a subordinate require juju-info with container scope, and a juju- charm use juju- names', () => {
    expect(parseYamlText('metadata.yaml', 'name: logger\nsubordinate: true\nrequires:\n  juju-info: {interface: juju-info, scope: container}\n', metadataSchema).name).toBe('logger');
    expect(parseYamlText('metadata.yaml', 'name: juju-thing\nprovides:\n  juju-x: {interface: x}\n', metadataSchema).name).toBe('juju-thing');
  });

  it('refuses a resource filename with folders (juju/charm resource/meta.go)', () => {
    const found = load('name: c\nresources:\n  data: {type: file, filename: ../../etc/passwd}\n');
    expect(found).toMatchObject([{ line: 3, code: 'INVALID_NAME' }]);
  });

  it('quotes a name holding a newline, so that it cannot forge a line of the report', () => {
    const found = load('name: c\npeers:\n  "a\\nINJECTED:1:1 SCHEMA fake": {interface: p}\n');
    expect(found).toHaveLength(1);
    expect(new ManifestError(found).message.split('\n')).toHaveLength(1);
  });

  it('is what loadMetadata checks, so that deploy refuses the charm', () => {
    const dir = mkdtempSync(join(tmpdir(), 'names-'));
    writeFileSync(join(dir, 'metadata.yaml'), 'name: c\nresources:\n  "../../../../../escaped-res": {type: oci-image}\n');
    expect(problems(() => loadMetadata(dir))).toMatchObject([{ file: join(dir, 'metadata.yaml'), line: 3, col: 3, code: 'INVALID_NAME' }]);
  });
});

describe('actions.yaml names', () => {
  it('follows juju/charm v8 actions.go: letters, digits and hyphens; juju- reserved', () => {
    expect(parseYamlText('actions.yaml', '2fa-reset: {}\nbackup: {}\n', actionsSchema)).toHaveProperty('backup');
    const found = problems(() => parseYamlText('actions.yaml', 'Backup: {}\njuju-run: {}\n"../x": {}\nok-: {}\n', actionsSchema));
    expect(found.map((p) => [p.line, p.col, p.code])).toEqual([
      [1, 1, 'INVALID_NAME'],
      [2, 1, 'INVALID_NAME'],
      [3, 1, 'INVALID_NAME'],
      [4, 1, 'INVALID_NAME'],
    ]);
  });
});

describe('pathInside', () => {
  it('joins plain names and refuses any path that leaves the folder', () => {
    expect(pathInside('/m/units/a-0/resources', 'oci-image', 'content.yaml')).toBe('/m/units/a-0/resources/oci-image/content.yaml');
    for (const name of ['..', '.', '', '../x', '../../../../escaped', '/etc/passwd', 'a/../../b', 'a\0b']) {
      expect(() => pathInside('/m/units/a-0/resources', name), JSON.stringify(name)).toThrow(/is not inside \/m\/units\/a-0\/resources/);
    }
  });
});
