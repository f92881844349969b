/**
 * TypeScript for the params of each action, from the JSON schemas of actions.yaml (draft 4,
 * as Juju 2.9 reads them): `ActionParams['backup']` is what `ctx.params` holds in the
 * `backup` action. A param is non-optional when the schema requires it or gives it a
 * default (Juju inserts defaults before the action runs); nested objects become nested
 * types. Returns no text for a charm without actions.
 */
export function actionParamsTypes(actions: Record<string, unknown> | undefined): string {
  const entries = Object.entries(actions ?? {});
  if (entries.length === 0) return '';
  const members = entries.map(([name, spec]) => {
    const action = (spec ?? {}) as Record<string, unknown>;
    // An action's params are the properties of an object schema: its `required` and
    // `additionalProperties` sit beside `params`, as in Juju's ActionSpec.
    const schema = { ...action, type: 'object', properties: action.params ?? {} };
    return `${doc(action.description, '  ')}  readonly ${JSON.stringify(name)}: ${typeOf(schema, '  ')};`;
  });
  return [
    '/** The params of each action of actions.yaml, as `ctx.params` holds them (Juju inserts the defaults). */',
    'export interface ActionParams {',
    ...members,
    '}',
    '',
  ].join('\n');
}

const PRIMITIVE: Record<string, string> = { string: 'string', integer: 'number', number: 'number', boolean: 'boolean', null: 'null' };

/** The TypeScript type of one JSON schema; `indent` is that of the line the type starts on. */
function typeOf(schema: unknown, indent: string): string {
  if (typeof schema !== 'object' || schema === null) return 'unknown';
  const s = schema as Record<string, unknown>;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum.map((value) => JSON.stringify(value)).join(' | ');
  const types = Array.isArray(s.type) ? s.type : typeof s.type === 'string' ? [s.type] : [];
  // No type: any JSON value, unless the schema has properties (then it is an object).
  if (types.length === 0) return s.properties !== undefined ? objectType(s, indent) : 'unknown';
  return types.map((type) => (type === 'object' ? objectType(s, indent) : type === 'array' ? arrayType(s, indent) : (PRIMITIVE[String(type)] ?? 'unknown'))).join(' | ');
}

function arrayType(schema: Record<string, unknown>, indent: string): string {
  // `items` as a list (a tuple in draft 4) is left loose.
  const items = schema.items !== undefined && !Array.isArray(schema.items) ? typeOf(schema.items, indent) : 'unknown';
  return /^[\w.]+$/.test(items) ? `readonly ${items}[]` : `ReadonlyArray<${items}>`;
}

function objectType(schema: Record<string, unknown>, indent: string): string {
  const properties = (typeof schema.properties === 'object' && schema.properties !== null ? schema.properties : {}) as Record<string, unknown>;
  const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
  const names = Object.keys(properties);
  if (names.length === 0) return schema.additionalProperties === false ? 'Record<string, never>' : 'Readonly<Record<string, unknown>>';
  const inner = `${indent}  `;
  const lines = names.map((name) => {
    const property = (properties[name] ?? {}) as Record<string, unknown>;
    const present = required.has(name) || property.default !== undefined;
    const description = [typeof property.description === 'string' ? property.description : undefined, property.default === undefined ? undefined : `Default: ${JSON.stringify(property.default)}.`]
      .filter(Boolean)
      .join(' ');
    return `${doc(description, inner)}${inner}readonly ${JSON.stringify(name)}${present ? '' : '?'}: ${typeOf(property, inner)};`;
  });
  return ['{', ...lines, `${indent}}`].join('\n');
}

function doc(text: unknown, indent: string): string {
  return typeof text === 'string' && text !== '' ? `${indent}/** ${text.replace(/\*\//g, '*\\/').replace(/\s*\n\s*/g, ' ')} */\n` : '';
}
