import { describe, expect, it } from 'vitest';
import { actionsSchema, parseYamlText } from '@charms/manifest';
import { problems } from './fixtures/problems.js';

// juju/charm v8 ReadActionsYaml and cleanse: docs/explanation/juju-actions-and-storage.md section 1.

const load = (text: string) => parseYamlText('actions.yaml', text, actionsSchema);

describe('actions.yaml params schema', () => {
  it('keeps every key of an action; params, required and additionalProperties are read as Juju reads them', () => {
    const actions = load('backup:\n  params:\n    target: {type: [string, "null"]}\n  required: [target]\n  additionalProperties: false\n  definitions: {}\n');
    expect(actions.backup).toEqual({ params: { target: { type: ['string', 'null'] } }, required: ['target'], additionalProperties: false, definitions: {} });
  });

  it('refuses $ref anywhere (cleanse: not compatible with this version of juju), at the key', () => {
    const found = problems(() => load('backup:\n  params:\n    target:\n      $ref: "#/definitions/x"\n'));
    expect(found).toEqual([
      {
        file: 'actions.yaml', line: 4, col: 7, code: 'SCHEMA',
        message: 'backup.params.target."$ref": schema key "$ref" not compatible with this version of juju',
      },
    ]);
  });

  it('refuses $schema at the top of an action', () => {
    expect(problems(() => load('backup:\n  $schema: http://json-schema.org/draft-04/schema#\n'))[0]).toMatchObject({ line: 2, col: 3, message: expect.stringContaining('schema key "$schema" not compatible') });
  });

  it('refuses a params schema draft 4 cannot compile, at its line (invalid params schema for action schema <name>)', () => {
    const text = 'backup:\n  params:\n    target:\n      type: strin\nrestore:\n  definitions: [1]\n';
    const found = problems(() => load(text));
    expect(found.map((p) => [p.line, p.col, p.code])).toEqual([
      [4, 13, 'SCHEMA'],
      [6, 16, 'SCHEMA'],
    ]);
    expect(found[0]!.message).toMatch(/^backup\.params\.target\.type: invalid params schema for action schema backup: must be equal to one of the allowed values \(array, boolean, integer, null, number, object, string\)$/);
    expect(found[1]!.message).toBe('restore.definitions: invalid params schema for action schema restore: must be object');
  });

  it('names the deepest reason inside an additionalProperties schema, not "must be boolean"', () => {
    const found = problems(() => load('backup:\n  additionalProperties: {type: strin}\n'));
    expect(found.map((p) => [p.line, p.col, p.message.split(':')[0]])).toEqual([[2, 32, 'backup.additionalProperties.type']]);
  });

  it("words the per-action key errors as juju/charm does", () => {
    const found = problems(() => load('a:\n  description: [x]\nb:\n  required: target\nc:\n  params: [x]\n'));
    expect(found.map((p) => [p.line, p.message])).toEqual([
      [2, 'a.description: value for schema key "description" must be a string'],
      [4, 'b.required: value for schema key "required" must be a YAML list'],
      [6, 'c.params: params failed to parse as a map'],
    ]);
  });

  it('accepts `required: []`, as gojsonschema does (the draft-4 meta-schema alone would not)', () => {
    expect(load('backup:\n  required: []\n').backup).toEqual({ required: [] });
  });
});
