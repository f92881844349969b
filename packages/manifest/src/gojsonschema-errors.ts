import type { ErrorObject } from 'ajv';
import { goJson, goNumber } from './go-json.js';

/**
 * ajv's validation errors written as Juju 2.9 writes them: juju/charm v8
 * `ActionSpec.ValidateParams` joins gojsonschema's `ResultError.String()`
 * (`<context> : <description>, given <json>`, the juju fork pinned at e1ad140384f2,
 * locales.go and result.go) with "; ".
 *
 * What this reproduces: the `(root).a.b` context, each keyword's description (including
 * gojsonschema's own wording, such as "must be greater than 5" for a plain `minimum: 5`
 * and the number quoted as a string after "given"), a node of the wrong type reporting
 * only its type, and gojsonschema's order inside one node. Where Go's order is random
 * (sibling properties, additional properties: Go map iteration) this keeps the schema's
 * and the params' order. Inside `anyOf`/`oneOf` gojsonschema adds the errors of the
 * best-scoring branch; here only the `anyOf`/`oneOf` line is given.
 */
export function describeErrors(errors: readonly ErrorObject[]): string[] {
  const kept = errors.filter((e) => !/\/(anyOf|oneOf)\/\d+\/|\/not\//.test(e.schemaPath));
  // A node of the wrong type is reported once, for its type only (validateRecursive returns).
  const wrongType = new Set(kept.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  const lines = kept
    .filter((e) => e.keyword === 'type' || !wrongType.has(e.instancePath))
    .map((e, index) => ({ error: e, index }));
  const allOf = allOfFailures(lines.map((l) => l.error));
  const described = [...lines.map(({ error, index }) => ({ error, index, text: describe(error) })), ...allOf];
  return inTraversalOrder(described).map((d) => d.text);
}

interface Described {
  readonly error: Pick<ErrorObject, 'instancePath' | 'keyword' | 'schemaPath'>;
  readonly index: number;
  readonly text: string;
}

/**
 * Where an error falls among its node's errors: the errors of `allOf` branches come
 * where validateSchema merges them (after anyOf/oneOf), then the `allOf` line itself.
 */
function rank(error: Described['error']): number {
  if (error.keyword === 'allOf') return KEYWORD_RANK.allOf! + 0.5;
  if (/\/allOf\/\d+\//.test(error.schemaPath)) return KEYWORD_RANK.allOf!;
  return KEYWORD_RANK[error.keyword] ?? 99;
}

/** gojsonschema's keyword order within one node (validateSchema, validateObject/Array/Number, validateCommon, validateString). */
const KEYWORD_RANK: Readonly<Record<string, number>> = {
  type: 0, anyOf: 1, oneOf: 2, allOf: 3, not: 4, dependencies: 5,
  multipleOf: 6, maximum: 7, minimum: 8,
  minProperties: 9, maxProperties: 10, required: 11, additionalProperties: 12,
  additionalItems: 13, minItems: 14, maxItems: 15, uniqueItems: 16,
  enum: 17, minLength: 18, maxLength: 19, pattern: 20,
};

/**
 * Depth first as gojsonschema walks: a node's own errors, then each child's, children
 * in the order ajv first reported them (the schema's `properties` order).
 */
function inTraversalOrder(described: Described[]): Described[] {
  const firstSeen = new Map<string, number>();
  described.forEach((d) => {
    const path = pointer(d.error.instancePath);
    for (let depth = 0; depth <= path.length; depth += 1) {
      const key = path.slice(0, depth).join('\u0000');
      if (!firstSeen.has(key)) firstSeen.set(key, d.index);
    }
  });
  const key = (d: Described): number[] => {
    const path = pointer(d.error.instancePath);
    const ranks = path.map((_, depth) => firstSeen.get(path.slice(0, depth + 1).join('\u0000')) ?? 0);
    return [...ranks.flatMap((r) => [1, r]), 0, rank(d.error), d.index];
  };
  return [...described].sort((a, b) => compareTuples(key(a), key(b)));
}

function compareTuples(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i += 1) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** A JSON pointer's segments (`/a~1b/0` → `a/b`, `0`). */
function pointer(instancePath: string): string[] {
  if (instancePath === '') return [];
  return instancePath.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** gojsonschema adds `must validate all the schemas (allOf)` after the failing branches' errors; ajv has no such error. */
function allOfFailures(errors: readonly ErrorObject[]): Described[] {
  const seen = new Map<string, Described>();
  errors.forEach((e, index) => {
    const at = e.schemaPath.match(/^(.*)\/allOf\/\d+\//);
    if (!at) return;
    const key = `${e.instancePath}\u0000${at[1]}`;
    if (seen.has(key)) return;
    seen.set(key, {
      error: { instancePath: e.instancePath, keyword: 'allOf', schemaPath: `${at[1]}/allOf` },
      index,
      text: `${context(e.instancePath)} : must validate all the schemas (allOf), given ${goJson(e.data)}`,
    });
  });
  return [...seen.values()];
}

function context(instancePath: string): string {
  return ['(root)', ...pointer(instancePath)].join('.');
}

/** One `ResultError.String()`. */
function describe(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  const limit = (): string => goNumber(Number(p.limit));
  let description: string;
  let given: unknown = e.data;
  switch (e.keyword) {
    case 'type': {
      const type = (e.parentSchema as { type?: unknown } | undefined)?.type ?? p.type;
      description = `must be of type ${Array.isArray(type) ? `[${type.join(',')}]` : String(type)}`;
      break;
    }
    case 'required':
      description = `"${String(p.missingProperty)}" property is missing and required`;
      break;
    case 'additionalProperties':
      description = `additional property "${String(p.additionalProperty)}" is not allowed`;
      break;
    case 'enum':
      description = `must match one of the enum values [${(p.allowedValues as unknown[]).map(goJson).join(',')}]`;
      break;
    // gojsonschema words the limits the other way round from their meaning (locales.go):
    // a plain maximum says "lower than", an exclusive one "lower than or equal to".
    case 'maximum':
      description = p.comparison === '<' ? `must be lower than or equal to ${limit()}` : `must be lower than ${limit()}`;
      given = goNumber(Number(e.data));
      break;
    case 'minimum':
      description = p.comparison === '>' ? `must be greater than or equal to ${limit()}` : `must be greater than ${limit()}`;
      given = goNumber(Number(e.data));
      break;
    case 'multipleOf':
      description = `must be a multiple of ${goNumber(Number(p.multipleOf))}`;
      given = goNumber(Number(e.data));
      break;
    case 'minLength':
      description = `string length must be greater or equal to ${limit()}`;
      break;
    case 'maxLength':
      description = `string length must be lower or equal to ${limit()}`;
      break;
    case 'pattern':
      description = `does not match pattern '${String(p.pattern)}'`;
      break;
    case 'minItems':
      description = `array must have at least ${limit()} items`;
      break;
    case 'maxItems':
      description = `array must have at the most ${limit()} items`;
      break;
    case 'uniqueItems':
      description = 'array items must be unique';
      break;
    case 'additionalItems':
      description = 'no additional item allowed on array';
      break;
    case 'minProperties':
      description = `must have at least ${limit()} properties`;
      break;
    case 'maxProperties':
      description = `must have at the most ${limit()} properties`;
      break;
    case 'dependencies':
      description = `has a dependency on ${String(p.missingProperty)}`;
      break;
    case 'anyOf':
      description = 'must validate at least one schema (anyOf)';
      break;
    case 'oneOf':
      description = 'must validate one and only one schema (oneOf)';
      break;
    case 'not':
      description = 'must not validate the schema (not)';
      break;
    default:
      description = e.message ?? e.keyword;
  }
  return `${context(e.instancePath)} : ${description}, given ${given === undefined || given === null ? 'null' : goJson(given)}`;
}
