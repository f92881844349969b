import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ActionParamsError, actionsSchema, checkActionParams, loadActionsYaml, parseYamlText, type CharmActions } from '@charms/manifest';

// Juju 2.9 rules: docs/explanation/juju-actions-and-storage.md section 1 (juju/charm v8
// actions.go ReadActionsYaml / ValidateParams / InsertDefaults; gojsonschema fork e1ad140384f2).

const fixture = fileURLToPath(new URL('./fixtures/actions-charm', import.meta.url));
const actions = loadActionsYaml(fixture)!;

function failure(action: string, params: Record<string, unknown>, from: { actions: CharmActions | undefined } = { actions }): ActionParamsError {
  try {
    checkActionParams(from.actions, action, params);
  } catch (error) {
    expect(error).toBeInstanceOf(ActionParamsError);
    return error as ActionParamsError;
  }
  throw new Error('expected an ActionParamsError');
}

describe('checkActionParams: valid params', () => {
  it('returns the params with every missing default inserted, nested objects included (InsertDefaults)', () => {
    expect(checkActionParams(actions, 'backup', { target: 's3://bucket' })).toEqual({
      target: 's3://bucket',
      compression: { kind: 'gzip', quality: 5 },
      retries: 3,
    });
  });

  it('never replaces a given value, and steps into a given object to fill its missing defaults', () => {
    const given = { target: 'b', compression: { quality: 9 }, retries: 0 };
    expect(checkActionParams(actions, 'backup', given)).toEqual({ target: 'b', compression: { kind: 'gzip', quality: 9 }, retries: 0 });
    expect(given).toEqual({ target: 'b', compression: { quality: 9 }, retries: 0 }); // the input is not changed
  });

  it('validates missing params as {} and still inserts defaults', () => {
    expect(checkActionParams(actions, 'rotate-password', {})).toEqual({ user: 'admin' });
  });

  it('accepts a whole-number float for an integer, as gojsonschema does', () => {
    expect(checkActionParams(actions, 'backup', { target: 'b', retries: 2.0 })).toMatchObject({ retries: 2 });
  });

  it('accepts an empty action entry and any params for it when it does not forbid extra ones', () => {
    const loose = parseYamlText('actions.yaml', 'snapshot:\n', actionsSchema);
    expect(checkActionParams(loose, 'snapshot', { anything: 1 })).toEqual({ anything: 1 });
  });
});

describe("checkActionParams: Juju 2.9's failure texts (gojsonschema ResultError: '<context> : <description>, given <json>')", () => {
  it('a value of the wrong type (TestValidateFail: must be of type string, given 5)', () => {
    const error = failure('backup', { target: 5 });
    expect(error.code).toBe('INVALID_PARAMS');
    expect(error.action).toBe('backup');
    expect(error.message).toBe('validation failed: (root).target : must be of type string, given 5');
  });

  it('a missing required property, given the object with its keys sorted as Go prints a map', () => {
    expect(failure('backup', { retries: 1 }).message).toBe('validation failed: (root) : "target" property is missing and required, given {"retries":1}');
  });

  it('an additional property when additionalProperties is false', () => {
    expect(failure('backup', { target: 'foo.bz', bar: 'foo' }).message).toBe(
      'validation failed: (root) : additional property "bar" is not allowed, given {"bar":"foo","target":"foo.bz"}',
    );
  });

  it('a value outside enum, in a nested object: context (root).compression.kind', () => {
    expect(failure('backup', { target: 'b', compression: { kind: 'zip' } }).message).toBe(
      'validation failed: (root).compression.kind : must match one of the enum values ["gzip","bzip2"], given "zip"',
    );
  });

  it("minimum and maximum keep gojsonschema's own words and give the number as a quoted string", () => {
    expect(failure('backup', { target: 'b', compression: { quality: 0 } }).message).toBe(
      'validation failed: (root).compression.quality : must be greater than 1, given "0"',
    );
    expect(failure('backup', { target: 'b', compression: { quality: 10 } }).message).toBe(
      'validation failed: (root).compression.quality : must be lower than 9, given "10"',
    );
    expect(failure('rotate-password', { length: 8.5 }).message).toBe('validation failed: (root).length : must be greater than 12, given "8.5"');
  });

  it('a non-integer for an integer (TestValidateFail: must be of type integer, given "two")', () => {
    expect(failure('backup', { target: 'b', retries: 'two' }).message).toBe('validation failed: (root).retries : must be of type integer, given "two"');
    expect(failure('backup', { target: 'b', retries: 1.5 }).message).toBe('validation failed: (root).retries : must be of type integer, given 1.5');
  });

  it('a wrong-typed object reports its type only, not the checks inside it', () => {
    expect(failure('backup', { target: 'b', compression: 'gzip' }).problems).toEqual(['(root).compression : must be of type object, given "gzip"']);
  });

  it('every problem at once, joined with "; ", the node before its children', () => {
    const error = failure('backup', { bar: 1, retries: 'x', compression: { kind: 'zip' } });
    expect(error.problems).toEqual([
      '(root) : "target" property is missing and required, given {"bar":1,"compression":{"kind":"zip"},"retries":"x"}',
      '(root) : additional property "bar" is not allowed, given {"bar":1,"compression":{"kind":"zip"},"retries":"x"}',
      '(root).compression.kind : must match one of the enum values ["gzip","bzip2"], given "zip"',
      '(root).retries : must be of type integer, given "x"',
    ]);
    expect(error.message).toBe(`validation failed: ${error.problems.join('; ')}`);
  });

  it('escapes <, > and & in the given JSON as Go does', () => {
    expect(failure('backup', { target: '<a&b>', x: 1 }).message).toContain('given {"target":"\\u003ca\\u0026b\\u003e","x":1}');
  });
});

describe('checkActionParams: unknown actions (state.Unit.PrepareActionPayload)', () => {
  it('an action not in actions.yaml, with the unit when given', () => {
    expect(failure('restore', {}).message).toBe('action "restore" not defined');
    expect(failure('restore', {}).code).toBe('UNKNOWN_ACTION');
    expect(() => checkActionParams(actions, 'restore', {}, { unit: 'minio/0' })).toThrow('action "restore" not defined on unit "minio/0"');
  });

  it('a charm with no actions.yaml', () => {
    expect(failure('backup', {}, { actions: undefined })).toMatchObject({ code: 'UNKNOWN_ACTION' });
    expect(() => checkActionParams(undefined, 'backup', {}, { charm: 'local:kubernetes/minio-0' })).toThrow('no actions defined on charm "local:kubernetes/minio-0"');
  });

  it('does not take an inherited name such as "constructor" for an action', () => {
    expect(failure('constructor', {}).code).toBe('UNKNOWN_ACTION');
  });
});

describe("checkActionParams: the other draft-4 keywords, in gojsonschema's words (locales.go)", () => {
  const more = parseYamlText(
    'actions.yaml',
    [
      'more:',
      '  params:',
      '    name: {type: string, minLength: 3, maxLength: 5, pattern: "^a"}',
      '    tags: {type: array, minItems: 2, maxItems: 3, uniqueItems: true}',
      '    step: {type: number, multipleOf: 0.5, minimum: 0, exclusiveMinimum: true, maximum: 1000000, exclusiveMaximum: true}',
      '    size: {type: [integer, "null"]}',
      '    mode: {anyOf: [{type: string}, {type: integer}]}',
      '    both: {allOf: [{type: integer}, {minimum: 3}]}',
      '    pair: {type: object, properties: {a: {type: string}}, dependencies: {a: [b]}, minProperties: 2}',
      '    tiny: {type: number, maximum: 0.00001}',
    ].join('\n'),
    actionsSchema,
  );
  const cases: [Record<string, unknown>, string[]][] = [
    [{ name: 'bb' }, ['(root).name : string length must be greater or equal to 3, given "bb"', `(root).name : does not match pattern '^a', given "bb"`]],
    [{ name: 'abcdef' }, ['(root).name : string length must be lower or equal to 5, given "abcdef"']],
    [{ tags: [1] }, ['(root).tags : array must have at least 2 items, given [1]']],
    [{ tags: [1, 1, 2, 3] }, ['(root).tags : array must have at the most 3 items, given [1,1,2,3]', '(root).tags : array items must be unique, given [1,1,2,3]']],
    [{ step: 0.3 }, ['(root).step : must be a multiple of 0.5, given "0.3"']],
    [{ step: 0 }, ['(root).step : must be greater than or equal to 0, given "0"']], // exclusiveMinimum: the words are swapped
    [{ step: 1000000 }, ['(root).step : must be lower than or equal to 1000000, given "1000000"']],
    [{ size: 'x' }, ['(root).size : must be of type [integer,null], given "x"']],
    [{ mode: true }, ['(root).mode : must validate at least one schema (anyOf), given true']],
    [{ both: 1 }, ['(root).both : must be greater than 3, given "1"', '(root).both : must validate all the schemas (allOf), given 1']],
    [{ pair: { a: 'x' } }, ['(root).pair : has a dependency on b, given {"a":"x"}', '(root).pair : must have at least 2 properties, given {"a":"x"}']],
    [{ tiny: 1 }, ['(root).tiny : must be lower than 1e-05, given "1"']], // Go's %g
  ];
  it.each(cases)('%j', (params, expected) => {
    expect(failure('more', params, { actions: more }).problems).toEqual(expected);
  });

  it('accepts null for a type that lists "null"', () => {
    expect(checkActionParams(more, 'more', { size: null })).toEqual({ size: null });
  });
});

describe("checkActionParams: juju/charm v8 actions_test.go TestValidateFail's own cases, text for text", () => {
  const snapshot = parseYamlText(
    'actions.yaml',
    'snapshot:\n  params:\n    outfile: {type: string}\n    quality: {type: integer}\n  required: [outfile]\n  additionalProperties: false\n',
    actionsSchema,
  );
  it.each([
    [{ outfile: 5 }, 'validation failed: (root).outfile : must be of type string, given 5'],
    [{ outfile: 'foo.bz', bar: 'foo' }, 'validation failed: (root) : additional property "bar" is not allowed, given {"bar":"foo","outfile":"foo.bz"}'],
    [{ quality: 5 }, 'validation failed: (root) : "outfile" property is missing and required, given {"quality":5}'],
    [{ outfile: 'foo.bz', quality: 'two' }, 'validation failed: (root).quality : must be of type integer, given "two"'],
  ])('%j', (params, message) => {
    expect(failure('snapshot', params, { actions: snapshot }).message).toBe(message);
  });
});

describe('checkActionParams: defaults as the juju gojsonschema fork inserts them (defaults_test.go TestIterateAndInsert)', () => {
  const defaults = parseYamlText(
    'actions.yaml',
    [
      'fill:',
      '  params:',
      '    num:',
      '      properties:',
      '        dum: {default: 5}',
      '        foo: {default: {bar: baz}}',
      '    foo:',
      '      properties:',
      '        bar: {default: baz}',
      '    none:',
      '      properties:',
      '        inner: {type: string}',
    ].join('\n'),
    actionsSchema,
  );
  it.each([
    ['a complex default inserted into a given inner map, non-destructively', { num: { gum: 8 }, foo: {} }, { num: { gum: 8, dum: 5, foo: { bar: 'baz' } }, foo: { bar: 'baz' } }],
    ['inner maps made for missing objects; none made when nothing inside has a default', {}, { num: { dum: 5, foo: { bar: 'baz' } }, foo: { bar: 'baz' } }],
    ['a given non-map value kept as it is', { num: 8 }, { num: 8, foo: { bar: 'baz' } }],
  ])('%s', (_, params, expected) => {
    expect(checkActionParams(defaults, 'fill', params)).toEqual(expected);
  });

  it('gives each call its own copy of an object default', () => {
    const first = checkActionParams(defaults, 'fill', {}) as { foo: { bar: string } };
    first.foo.bar = 'changed';
    expect(checkActionParams(defaults, 'fill', {})).toMatchObject({ foo: { bar: 'baz' } });
  });
});
