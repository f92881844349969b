/**
 * One Pebble layer read from YAML and checked on its own, as canonical/pebble's
 * internals/plan/plan.go does (ParseLayer, Layer.Validate): unknown fields refused with
 * yaml.v3's text and line, then names, commands, actions, durations and check fields
 * checked. Error texts are Pebble's, so a charm sees what it would see in a pod. Combining
 * layers into a plan is pebble-plan-merge.ts's.
 */
import type { CheckDefinition, Layer, LogTargetDefinition, ServiceDefinition } from '@charms/pebble';
import { isMap, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import { parseCommand, shellSplit } from './pebble-command.js';
import { parseDuration } from './pebble-durations.js';

/** A Pebble layer or plan problem; `message` is Pebble's own text (plan.go's FormatError). */
export class PebblePlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PebblePlanError';
  }
}

/*
 * The layer types are the client's (@charms/pebble's layer.ts, which follows plan.go's
 * structs), adjusted where what the server holds differs from what a charm writes:
 * - no index signature: the parser refuses unknown fields (log targets, kept as written, excepted);
 * - any text where Pebble checks the value only when layers combine (`override`), never
 *   (a service's `startup`: anything but "enabled" is disabled) or takes more than the
 *   client's type (empty actions; a `syslog` log target);
 * - a check's http, tcp and exec parts may be partial in a layer: the layers below may give
 *   the rest, and the plan must end up with them (pebble-plan-merge.ts's buildPlan).
 */

/** `T`'s named fields, without the index signature through which the client passes unknown keys. */
type Named<T> = { [K in keyof T as string extends K ? never : K]: T[K] };
/** `T` with fields `F` holding any text (or, for a map of such values, a map of any text). */
type AnyText<T, F extends keyof T> = Omit<T, F> & { [K in F]?: NonNullable<T[K]> extends string ? string : Record<string, string> };
type CheckKind = 'http' | 'tcp' | 'exec';

/** A service as a parsed layer and the plan hold it. */
export type PebbleService = AnyText<Named<ServiceDefinition>, 'startup' | 'override' | 'on-success' | 'on-failure' | 'on-check-failure'>;
/** A check as a parsed layer and the plan hold it. */
export type PebbleCheck = Omit<AnyText<Named<CheckDefinition>, 'override'>, CheckKind> & { [K in CheckKind]?: Partial<Named<NonNullable<CheckDefinition[K]>>> };
/** A log target as a parsed layer and the plan hold it: as written, its type and override any text. */
export type PebbleLogTarget = AnyText<Named<LogTargetDefinition>, 'override' | 'type'> & Record<string, unknown>;

/** A parsed layer: Pebble's plan.Layer, with its label and order, every section present. */
export interface PebbleLayer extends Pick<Layer, 'summary' | 'description'> {
  label: string;
  order: number;
  services: Record<string, PebbleService>;
  checks: Record<string, PebbleCheck>;
  'log-targets': Record<string, PebbleLogTarget>;
}

// Field order is the order of plan.go's struct fields: the YAML that GET /v1/plan prints follows it.
// Typed by the fields of the types above, so that a field missing here or there does not compile.
export const SERVICE_FIELDS: { readonly [K in keyof PebbleService]-?: 'string' | 'number' | 'list' | 'map' } = {
  summary: 'string', description: 'string', startup: 'string', override: 'string', command: 'string',
  after: 'list', before: 'list', requires: 'list', environment: 'map', 'user-id': 'number', user: 'string',
  'group-id': 'number', group: 'string', 'working-dir': 'string', 'on-success': 'string', 'on-failure': 'string',
  'on-check-failure': 'map', 'backoff-delay': 'string', 'backoff-factor': 'number', 'backoff-limit': 'string',
  'kill-delay': 'string',
};
export const CHECK_FIELDS: { readonly [K in keyof PebbleCheck]-?: 'string' | 'number' | 'object' } = {
  override: 'string', level: 'string', startup: 'string', period: 'string', timeout: 'string',
  threshold: 'number', http: 'object', tcp: 'object', exec: 'object',
};
export const CHECK_KIND_FIELDS: { readonly [K in CheckKind]: { readonly [F in keyof NonNullable<PebbleCheck[K]>]-?: 'string' | 'number' | 'map' } } = {
  http: { url: 'string', headers: 'map' },
  tcp: { port: 'number', host: 'string' },
  exec: {
    command: 'string', 'service-context': 'string', environment: 'map', 'user-id': 'number', user: 'string',
    'group-id': 'number', group: 'string', 'working-dir': 'string',
  },
};
const SECTIONS = ['summary', 'description', 'services', 'checks', 'log-targets'];
export const DURATION_FIELDS = ['backoff-delay', 'backoff-limit', 'kill-delay'];

const SERVICE_ACTIONS = ['', 'restart', 'shutdown', 'ignore', 'success-shutdown', 'failure-shutdown'];

/**
 * Parses one layer's YAML as plan.go's ParseLayer does: the top level and the services and
 * checks refuse unknown fields, then `Layer.Validate` runs.
 * @throws PebblePlanError with Pebble's message.
 */
export function parseLayer(order: number, label: string, text: string): PebbleLayer {
  const lines = new LineCounter();
  const document = parseDocument(text, { uniqueKeys: true, lineCounter: lines });
  // yaml.v3's unknown-field error: "line N: field F not found in type plan.T".
  const unknownField = (section: string, path: string[], field: string, type: string): PebblePlanError => {
    const line = keyLine(document, lines, [section, ...path], field);
    return sectionError(label, section, `unmarshal errors:\n  ${line ? `line ${line}: ` : ''}field ${field} not found in type plan.${type}`);
  };
  if (document.errors.length > 0) {
    throw new PebblePlanError(`cannot parse layer ${q(label)}: yaml: ${document.errors[0]!.message.split('\n')[0]}`);
  }
  const raw: unknown = document.contents === null ? {} : document.toJS();
  if (raw !== null && (typeof raw !== 'object' || Array.isArray(raw) || !isMap(document.contents))) {
    throw new PebblePlanError(`cannot parse layer ${q(label)}: yaml: cannot unmarshal ${describe(raw)} into the layer's map`);
  }
  const top = (raw ?? {}) as Record<string, unknown>;
  for (const field of Object.keys(top)) {
    if (!SECTIONS.includes(field)) throw new PebblePlanError(`cannot parse layer ${q(label)}: unknown section ${q(field)}`);
  }
  const layer: PebbleLayer = { label, order, services: {}, checks: {}, 'log-targets': {} };
  for (const field of ['summary', 'description'] as const) {
    const value = top[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') throw sectionError(label, field, `cannot unmarshal ${describe(value)} into string`);
    layer[field] = value;
  }
  layer.services = entries(label, 'services', top.services, (name, value) => decodeFields(label, 'services', name, value, SERVICE_FIELDS, (field) => unknownField('services', [name], field, 'Service')) as PebbleService);
  layer.checks = entries(label, 'checks', top.checks, (name, value) => {
    const check = decodeFields(label, 'checks', name, value, CHECK_FIELDS, (field) => unknownField('checks', [name], field, 'Check')) as PebbleCheck & Record<string, unknown>;
    for (const kind of ['http', 'tcp', 'exec'] as const) {
      const type = { http: 'HTTPCheck', tcp: 'TCPCheck', exec: 'ExecCheck' }[kind];
      if (check[kind] !== undefined) check[kind] = decodeFields(label, 'checks', `${name}.${kind}`, check[kind], CHECK_KIND_FIELDS[kind]!, (field) => unknownField('checks', [name, kind], field, type)) as never;
    }
    return check;
  });
  layer['log-targets'] = entries(label, 'log-targets', top['log-targets'], (_name, value) => value as PebbleLogTarget);
  validateLayer(layer);
  return layer;
}

function entries<T>(label: string, section: string, value: unknown, decode: (name: string, value: unknown) => T): Record<string, T> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw sectionError(label, section, `cannot unmarshal ${describe(value)} into a map`);
  const out: Record<string, T> = {};
  for (const [name, entry] of Object.entries(value as Record<string, unknown>)) {
    // A null entry stays null here: Validate reports it with Pebble's own message.
    out[name] = (entry === null ? null : decode(name, entry)) as T;
  }
  return out;
}

/** The line of key `field` in the map at `path`, if the document has it there. */
function keyLine(document: Document, lines: LineCounter, path: string[], field: string): number | undefined {
  const map = document.getIn(path, true);
  if (!isMap(map)) return undefined;
  const pair = map.items.find((item) => isScalar(item.key) && item.key.value === field);
  const offset = pair && isScalar(pair.key) ? pair.key.range?.[0] : undefined;
  return offset === undefined ? undefined : lines.linePos(offset).line;
}

function decodeFields(label: string, section: string, name: string, value: unknown, fields: Record<string, string>, unknown: (field: string) => PebblePlanError): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw sectionError(label, section, `cannot unmarshal ${describe(value)} into the entry ${q(name)}`);
  }
  const out: Record<string, unknown> = {};
  for (const [field, fieldValue] of Object.entries(value as Record<string, unknown>)) {
    const kind = fields[field];
    if (kind === undefined) throw unknown(field);
    if (fieldValue === null) continue;
    const ok =
      kind === 'string' ? typeof fieldValue === 'string' || typeof fieldValue === 'number' || typeof fieldValue === 'boolean'
        : kind === 'number' ? typeof fieldValue === 'number'
          : kind === 'list' ? Array.isArray(fieldValue) && fieldValue.every((item) => typeof item === 'string')
            : typeof fieldValue === 'object' && !Array.isArray(fieldValue);
    if (!ok) throw sectionError(label, section, `cannot unmarshal ${describe(fieldValue)} into field ${field} of ${q(name)}`);
    if (kind === 'map' && typeof fieldValue === 'object') {
      out[field] = Object.fromEntries(Object.entries(fieldValue as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
    } else if (kind === 'string') {
      out[field] = String(fieldValue);
    } else {
      out[field] = Array.isArray(fieldValue) ? [...fieldValue] : fieldValue;
    }
  }
  return out;
}

function sectionError(label: string, section: string, problem: string): PebblePlanError {
  return new PebblePlanError(`cannot parse layer ${q(label)} section ${q(section)}: yaml: ${problem}`);
}

/** plan.go's Layer.Validate: names, commands, actions, durations, check fields. */
export function validateLayer(layer: PebbleLayer): void {
  if (layer.label.startsWith('pebble-')) throw new PebblePlanError('cannot use reserved label prefix "pebble-"');
  for (const [name, service] of Object.entries(layer.services)) {
    if (name === '') throw new PebblePlanError('cannot use empty string as service name');
    if (name === 'pebble') throw new PebblePlanError(`cannot use reserved service name ${q(name)}`);
    if (name.startsWith('-')) throw new PebblePlanError(`cannot use service name ${q(name)}: starting with "-" not allowed`);
    if (service === null) throw new PebblePlanError(`service object cannot be null for service ${q(name)}`);
    try {
      parseCommand(service.command ?? '');
    } catch (error) {
      throw new PebblePlanError(`plan service ${q(name)} command invalid: ${(error as Error).message}`);
    }
    if (!validAction(service['on-success'], 'failure-shutdown')) throw new PebblePlanError(`plan service ${q(name)} on-success action ${q(service['on-success']!)} invalid`);
    if (!validAction(service['on-failure'], 'success-shutdown')) throw new PebblePlanError(`plan service ${q(name)} on-failure action ${q(service['on-failure']!)} invalid`);
    for (const action of Object.values(service['on-check-failure'] ?? {})) {
      if (!validAction(action, 'success-shutdown')) throw new PebblePlanError(`plan service ${q(name)} on-check-failure action ${q(action)} invalid`);
    }
    if (service['backoff-factor'] !== undefined && service['backoff-factor'] < 1) {
      throw new PebblePlanError(`plan service ${q(name)} backoff-factor must be 1.0 or greater, not ${service['backoff-factor']}`);
    }
    for (const field of DURATION_FIELDS) {
      const text = service[field as 'kill-delay'];
      if (text !== undefined) durationOrThrow(layer.label, 'services', text);
    }
  }
  for (const [name, check] of Object.entries(layer.checks)) {
    if (name === '') throw new PebblePlanError('cannot use empty string as check name');
    if (check === null) throw new PebblePlanError(`check object cannot be null for check ${q(name)}`);
    if (check.level !== undefined && check.level !== 'alive' && check.level !== 'ready') throw new PebblePlanError(`plan check ${q(name)} level must be "alive" or "ready"`);
    if (check.startup !== undefined && check.startup !== 'enabled' && check.startup !== 'disabled') throw new PebblePlanError(`plan check ${q(name)} startup must be "enabled" or "disabled"`);
    if (check.period !== undefined && durationOrThrow(layer.label, 'checks', check.period) === 0) throw new PebblePlanError(`plan check ${q(name)} period must not be zero`);
    if (check.timeout !== undefined && durationOrThrow(layer.label, 'checks', check.timeout) === 0) throw new PebblePlanError(`plan check ${q(name)} timeout must not be zero`);
    if (check.exec?.command !== undefined) {
      try {
        shellSplit(check.exec.command);
      } catch (error) {
        throw new PebblePlanError(`plan check ${q(name)} command invalid: ${(error as Error).message}`);
      }
    }
  }
  for (const [name, target] of Object.entries(layer['log-targets'])) {
    if (target === null) throw new PebblePlanError(`log target object cannot be null for log target ${q(name)}`);
    if (target.type !== undefined && !['loki', 'opentelemetry', 'syslog'].includes(target.type)) {
      throw new PebblePlanError(`log target ${q(name)} has unsupported type ${q(String(target.type))}, must be "loki", "opentelemetry" or "syslog"`);
    }
  }
}

function validAction(action: string | undefined, refused: string): boolean {
  return action === undefined || (SERVICE_ACTIONS.includes(action) && action !== refused);
}

function durationOrThrow(label: string, section: string, text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw sectionError(label, section, `invalid duration ${q(text)}`);
  return ms;
}

function q(text: string): string {
  return JSON.stringify(text);
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return '!!seq';
  if (typeof value === 'string') return `!!str \`${value}\``;
  if (typeof value === 'number') return `!!${Number.isInteger(value) ? 'int' : 'float'} \`${value}\``;
  if (typeof value === 'boolean') return `!!bool \`${value}\``;
  return '!!map';
}

