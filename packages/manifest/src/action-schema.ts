import Ajv, { type ValidateFunction } from 'ajv-draft-04';

/**
 * One action's parameters as the JSON Schema (draft 4) juju/charm v8 builds from
 * actions.yaml (`ReadActionsYaml`): an object schema whose `properties` are the action's
 * `params`, with `required` and every other key of the action (`additionalProperties`,
 * `definitions`, …) copied in.
 */
export type ActionJsonSchema = Record<string, unknown> & { type: 'object'; properties: Record<string, unknown> };

/** A schema problem, placed on the actions.yaml path it comes from. */
export interface ActionSchemaProblem {
  /** Path in actions.yaml, starting with the action's name. */
  readonly path: readonly (string | number)[];
  readonly message: string;
  /** Point at the key itself (a forbidden `$ref`), not at its value. */
  readonly atKey: boolean;
}

/** The keys juju/charm reads itself; the others go into the schema verbatim. */
const OWN_KEYS = new Set(['description', 'title', 'params']);

/** juju/charm v8 actions.go: `description` defaults to "No description", `title` to the action's name. */
export function actionJsonSchema(name: string, spec: Readonly<Record<string, unknown>> | null | undefined): ActionJsonSchema {
  const action = spec ?? {};
  const schema: ActionJsonSchema = {
    description: typeof action.description === 'string' ? action.description : 'No description',
    type: 'object',
    title: typeof action.title === 'string' ? action.title : name,
    properties: isPlainMap(action.params) ? action.params : {},
  };
  for (const [key, value] of Object.entries(action)) {
    if (OWN_KEYS.has(key)) continue;
    // gojsonschema accepts `required: []`; the draft-4 meta-schema (minItems 1) does not.
    if (key === 'required' && Array.isArray(value) && value.length === 0) continue;
    schema[key] = value;
  }
  return schema;
}

let shared: Ajv | undefined;

/**
 * The one draft-4 validator: every error (gojsonschema reports them all), with the failing
 * value (`verbose`) for the `given` part of Juju's text; formats are not checked and
 * unknown keywords are ignored, as the gojsonschema fork Juju 2.9 pins does.
 */
function draft4(): Ajv {
  shared ??= new Ajv({ allErrors: true, verbose: true, strict: false, validateFormats: false });
  return shared;
}

/**
 * Why Juju would refuse this action's params schema, every reason at once; empty when it
 * is usable. Follows juju/charm v8 `cleanse` (`$schema` and `$ref` refused anywhere) and
 * checks the rest against the draft-4 meta-schema (Juju compiles it with gojsonschema,
 * whose own texts are not reproduced here: each problem says what the meta-schema wants).
 */
export function actionSchemaProblems(name: string, spec: unknown): ActionSchemaProblem[] {
  if (!isPlainMap(spec)) return [];
  const problems: ActionSchemaProblem[] = [];
  const prefix = `invalid params schema for action schema ${name}`;
  findForbiddenKeys(spec, [name], problems);
  if (problems.length > 0) return problems;
  const schema = actionJsonSchema(name, spec);
  const ajv = draft4();
  if (!ajv.validateSchema(schema)) {
    const errors = ajv.errors ?? [];
    const seen = new Set<string>();
    for (const error of errors) {
      if (seen.has(error.instancePath)) continue; // the first reason per node: the others are its anyOf alternatives
      // A deeper reason explains better ("type: strin" inside an additionalProperties schema, not "must be boolean").
      if (errors.some((other) => other.instancePath.startsWith(`${error.instancePath}/`))) continue;
      seen.add(error.instancePath);
      const allowed = error.keyword === 'enum' ? ` (${(error.params as { allowedValues: unknown[] }).allowedValues.map(String).join(', ')})` : '';
      problems.push({ path: yamlPath(name, error.instancePath), message: `${prefix}: ${error.message ?? error.keyword}${allowed}`, atKey: false });
    }
    return problems;
  }
  try {
    compiled(schema);
  } catch (error) {
    problems.push({ path: [name], message: `${prefix}: ${(error as Error).message}`, atKey: false });
  }
  return problems;
}

const cache = new WeakMap<object, ValidateFunction>();

/** The compiled validator of a schema built by {@link actionJsonSchema}, compiled once per spec object. */
export function validatorFor(spec: object | null | undefined, name: string): ValidateFunction {
  const key = spec ?? EMPTY;
  let validate = cache.get(key);
  if (!validate) {
    validate = compiled(actionJsonSchema(name, spec as Record<string, unknown> | null | undefined));
    cache.set(key, validate);
  }
  return validate;
}

const EMPTY = {};

function compiled(schema: ActionJsonSchema): ValidateFunction {
  const ajv = draft4();
  const validate = ajv.compile(schema);
  ajv.removeSchema(schema); // ajv keeps every compiled schema object; the WeakMap above is the cache
  return validate;
}

/** juju/charm v8 `cleanse`: these keys are "not compatible with this version of juju", at any depth. */
function findForbiddenKeys(value: unknown, path: (string | number)[], problems: ActionSchemaProblem[]): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => findForbiddenKeys(item, [...path, index], problems));
  } else if (isPlainMap(value)) {
    for (const [key, inner] of Object.entries(value)) {
      if (key === '$schema' || key === '$ref') {
        problems.push({ path: [...path, key], message: `schema key "${key}" not compatible with this version of juju`, atKey: true });
      } else {
        findForbiddenKeys(inner, [...path, key], problems);
      }
    }
  }
}

/** A meta-schema error's place in the action schema, as a path in actions.yaml (`properties` is `params` there). */
function yamlPath(name: string, instancePath: string): (string | number)[] {
  const segments = instancePath === '' ? [] : instancePath.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (segments[0] === 'properties') segments[0] = 'params';
  return [name, ...segments];
}

function isPlainMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
