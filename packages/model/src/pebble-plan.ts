/**
 * Pebble's layers and plan, as canonical/pebble's internals/plan/plan.go builds them:
 * a layer is parsed from YAML (unknown fields refused), validated on its own
 * (`Layer.Validate`), the layers are combined in label order with each entry's
 * `override` (merge or replace, `CombineLayers`), and the combined plan is validated as a
 * whole (`Plan.Validate`: every service has a command, checks name a kind, no
 * before/after loop). Error texts are Pebble's, so a charm sees what it would see in a pod.
 */
import { isMap, isScalar, LineCounter, parseDocument, stringify, type Document } from 'yaml';

/** A Pebble layer or plan problem; `message` is Pebble's own text (plan.go's FormatError). */
export class PebblePlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PebblePlanError';
  }
}

/** A duration as Pebble's OptionalDuration holds it: a value in milliseconds, and whether the layer set it. */
export interface OptionalDuration {
  readonly ms: number;
  readonly set: boolean;
}

export interface PebbleService {
  summary?: string;
  description?: string;
  /** Pebble does not check it: anything but "enabled" is disabled. */
  startup?: string;
  override?: string;
  command?: string;
  after?: string[];
  before?: string[];
  requires?: string[];
  environment?: Record<string, string>;
  'user-id'?: number;
  user?: string;
  'group-id'?: number;
  group?: string;
  'working-dir'?: string;
  'on-success'?: string;
  'on-failure'?: string;
  'on-check-failure'?: Record<string, string>;
  'backoff-delay'?: string;
  'backoff-factor'?: number;
  'backoff-limit'?: string;
  'kill-delay'?: string;
}

export interface PebbleCheck {
  override?: string;
  level?: string;
  startup?: string;
  period?: string;
  timeout?: string;
  threshold?: number;
  http?: { url?: string; headers?: Record<string, string> };
  tcp?: { port?: number; host?: string };
  exec?: {
    command?: string;
    'service-context'?: string;
    environment?: Record<string, string>;
    'user-id'?: number;
    user?: string;
    'group-id'?: number;
    group?: string;
    'working-dir'?: string;
  };
}

export type PebbleLogTarget = Record<string, unknown> & { override?: string; type?: string; services?: string[] };

export interface PebbleLayer {
  label: string;
  order: number;
  summary?: string;
  description?: string;
  services: Record<string, PebbleService>;
  checks: Record<string, PebbleCheck>;
  'log-targets': Record<string, PebbleLogTarget>;
}

/** The combined plan: what `GET /v1/plan` shows and what the service and check managers act on. */
export interface PebblePlan {
  readonly layers: readonly PebbleLayer[];
  readonly services: Record<string, PebbleService>;
  readonly checks: Record<string, PebbleCheck>;
  readonly 'log-targets': Record<string, PebbleLogTarget>;
}

export const EMPTY_PLAN: PebblePlan = { layers: [], services: {}, checks: {}, 'log-targets': {} };

// Field order is the order of plan.go's struct fields: the YAML that GET /v1/plan prints follows it.
const SERVICE_FIELDS: Record<string, 'string' | 'number' | 'list' | 'map'> = {
  summary: 'string', description: 'string', startup: 'string', override: 'string', command: 'string',
  after: 'list', before: 'list', requires: 'list', environment: 'map', 'user-id': 'number', user: 'string',
  'group-id': 'number', group: 'string', 'working-dir': 'string', 'on-success': 'string', 'on-failure': 'string',
  'on-check-failure': 'map', 'backoff-delay': 'string', 'backoff-factor': 'number', 'backoff-limit': 'string',
  'kill-delay': 'string',
};
const CHECK_FIELDS: Record<string, 'string' | 'number' | 'object'> = {
  override: 'string', level: 'string', startup: 'string', period: 'string', timeout: 'string',
  threshold: 'number', http: 'object', tcp: 'object', exec: 'object',
};
const CHECK_KIND_FIELDS: Record<string, Record<string, 'string' | 'number' | 'map'>> = {
  http: { url: 'string', headers: 'map' },
  tcp: { port: 'number', host: 'string' },
  exec: {
    command: 'string', 'service-context': 'string', environment: 'map', 'user-id': 'number', user: 'string',
    'group-id': 'number', group: 'string', 'working-dir': 'string',
  },
};
const SECTIONS = ['summary', 'description', 'services', 'checks', 'log-targets'];
const DURATION_FIELDS = ['backoff-delay', 'backoff-limit', 'kill-delay'];

/** Pebble's defaults for what a layer leaves unset (plan.go). */
export const DEFAULT_BACKOFF_DELAY_MS = 500;
export const DEFAULT_BACKOFF_FACTOR = 2;
export const DEFAULT_BACKOFF_LIMIT_MS = 30_000;
export const DEFAULT_CHECK_PERIOD_MS = 10_000;
export const DEFAULT_CHECK_TIMEOUT_MS = 3_000;
export const DEFAULT_CHECK_THRESHOLD = 3;

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

/**
 * Combines layers in order as plan.go's CombineLayers: per service, check and log target,
 * `override: merge` merges into what the earlier layers built and `override: replace`
 * replaces it; any other value (or none) is an error naming the layer.
 */
export function combineLayers(layers: readonly PebbleLayer[]): Omit<PebblePlan, 'layers'> & { summary?: string; description?: string } {
  const services: Record<string, PebbleService> = {};
  const checks: Record<string, PebbleCheck> = {};
  const logTargets: Record<string, PebbleLogTarget> = {};
  for (const layer of layers) {
    combineSection(layer, 'service', layer.services, services, mergeService);
    combineSection(layer, 'check', layer.checks, checks, mergeCheck);
    combineSection(layer, 'log target', layer['log-targets'], logTargets, (old, next) => mergeLogTarget(old, next));
  }
  const last = layers.at(-1);
  return {
    ...(last?.summary !== undefined ? { summary: last.summary } : {}),
    ...(last?.description !== undefined ? { description: last.description } : {}),
    services, checks, 'log-targets': logTargets,
  };
}

function combineSection<T extends { override?: string }>(layer: PebbleLayer, what: string, from: Record<string, T>, into: Record<string, T>, merge: (old: T, next: T) => T): void {
  for (const [name, entry] of Object.entries(from)) {
    if (entry.override === 'merge') {
      into[name] = into[name] === undefined ? structuredClone(entry) : merge(into[name]!, entry);
    } else if (entry.override === 'replace') {
      into[name] = structuredClone(entry);
    } else if (entry.override === undefined || entry.override === '') {
      throw new PebblePlanError(`layer ${q(layer.label)} must define "override" for ${what} ${q(name)}`);
    } else {
      throw new PebblePlanError(`layer ${q(layer.label)} has invalid "override" value for ${what} ${q(name)}`);
    }
  }
}

// Service.Merge: scalars replace when set, lists append, maps merge key by key.
function mergeService(old: PebbleService, next: PebbleService): PebbleService {
  const merged: PebbleService = structuredClone(old);
  for (const [field, kind] of Object.entries(SERVICE_FIELDS)) {
    const value = next[field as keyof PebbleService];
    if (value === undefined || field === 'override') continue;
    const key = field as keyof PebbleService;
    if (kind === 'list') (merged as Record<string, unknown>)[key] = [...((merged[key] as string[] | undefined) ?? []), ...(value as string[])];
    else if (kind === 'map') (merged as Record<string, unknown>)[key] = { ...((merged[key] as Record<string, string> | undefined) ?? {}), ...(value as Record<string, string>) };
    else (merged as Record<string, unknown>)[key] = value;
  }
  return merged;
}

// Check.Merge: scalars replace when set; http, tcp and exec merge field by field.
function mergeCheck(old: PebbleCheck, next: PebbleCheck): PebbleCheck {
  const merged: PebbleCheck = structuredClone(old);
  for (const field of ['level', 'startup', 'period', 'timeout', 'threshold'] as const) {
    if (next[field] !== undefined) (merged as Record<string, unknown>)[field] = next[field];
  }
  for (const kind of ['http', 'tcp', 'exec'] as const) {
    const part = next[kind] as Record<string, unknown> | undefined;
    if (part === undefined) continue;
    const into = ((merged as Record<string, unknown>)[kind] ??= {}) as Record<string, unknown>;
    for (const [field, value] of Object.entries(part)) {
      into[field] = typeof value === 'object' && value !== null ? { ...((into[field] as object | undefined) ?? {}), ...value } : value;
    }
  }
  return merged;
}

function mergeLogTarget(old: PebbleLogTarget, next: PebbleLogTarget): PebbleLogTarget {
  const merged: PebbleLogTarget = structuredClone(old);
  for (const [field, value] of Object.entries(next)) {
    if (field === 'override') continue;
    if (field === 'services' && Array.isArray(value)) merged.services = [...(merged.services ?? []), ...(value as string[])];
    else if (typeof value === 'object' && value !== null && !Array.isArray(value)) merged[field] = { ...((merged[field] as object | undefined) ?? {}), ...value };
    else merged[field] = value;
  }
  return merged;
}

/**
 * The plan of `layers`, validated as plan.go's Plan.Validate and the plan manager's update do.
 * @throws PebblePlanError when the combination is invalid.
 */
export function buildPlan(layers: readonly PebbleLayer[]): PebblePlan {
  const combined = combineLayers(layers);
  const plan: PebblePlan = { layers, services: combined.services, checks: combined.checks, 'log-targets': combined['log-targets'] };
  for (const name of Object.keys(plan.services).sort()) {
    if (!plan.services[name]!.command) throw new PebblePlanError(`plan must define "command" for service ${q(name)}`);
  }
  for (const name of Object.keys(plan.checks).sort()) {
    const check = plan.checks[name]!;
    if (check.http !== undefined && !check.http.url) throw new PebblePlanError(`plan must set "url" for http check ${q(name)}`);
    if (check.tcp !== undefined && !check.tcp.port) throw new PebblePlanError(`plan must set "port" for tcp check ${q(name)}`);
    if (check.exec !== undefined && !check.exec.command) throw new PebblePlanError(`plan must set "command" for exec check ${q(name)}`);
    const context = check.exec?.['service-context'];
    if (context && plan.services[context] === undefined) throw new PebblePlanError(`plan check ${q(name)} service context specifies non-existent service ${q(context)}`);
    if ([check.http, check.tcp, check.exec].filter((kind) => kind !== undefined).length !== 1) {
      throw new PebblePlanError(`plan must specify one of "http", "tcp", or "exec" for check ${q(name)}`);
    }
  }
  for (const [name, target] of Object.entries(plan['log-targets'])) {
    if (!target.type) throw new PebblePlanError(`plan must define "type" ("loki", "opentelemetry" or "syslog") for log target ${q(name)}`);
    for (const service of target.services ?? []) {
      const bare = service.startsWith('-') ? service.slice(1) : service;
      if (bare !== 'all' && plan.services[bare] === undefined) throw new PebblePlanError(`log target ${q(name)} specifies unknown service ${q(bare)}`);
    }
    if (!target.location) throw new PebblePlanError(`plan must define "location" for log target ${q(name)}`);
  }
  serviceOrder(plan, Object.keys(plan.services), 'start');
  return plan;
}

/**
 * The order to start (requirements first, `after` respected) or stop (the reverse) the
 * named services, as plan.go's StartOrder and StopOrder; starting also brings in the
 * services a named one `requires`, stopping the services that require a named one.
 * @throws PebblePlanError naming a service that does not exist, or a before/after loop.
 */
export function serviceOrder(plan: PebblePlan, names: readonly string[], direction: 'start' | 'stop'): string[] {
  const wanted = new Set<string>();
  const visit = (name: string): void => {
    if (wanted.has(name)) return;
    if (plan.services[name] === undefined) throw new PebblePlanError(`service ${q(name)} does not exist`);
    wanted.add(name);
    if (direction === 'start') {
      for (const required of plan.services[name]!.requires ?? []) visit(required);
    } else {
      // Stopping a service stops those that require it too (plan.go's order with stop).
      for (const [other, service] of Object.entries(plan.services)) if ((service.requires ?? []).includes(name)) visit(other);
    }
  };
  for (const name of names) visit(name);
  // `a after b` and `b before a` both mean b starts first.
  const firstOf = new Map<string, Set<string>>([...wanted].map((name) => [name, new Set<string>()]));
  for (const name of wanted) {
    const service = plan.services[name]!;
    for (const other of service.after ?? []) if (wanted.has(other)) firstOf.get(name)!.add(other);
    for (const other of service.before ?? []) if (wanted.has(other)) firstOf.get(other)!.add(name);
  }
  const ordered: string[] = [];
  const done = new Set<string>();
  const remaining = [...wanted].sort();
  while (remaining.length > 0) {
    const next = remaining.findIndex((name) => [...firstOf.get(name)!].every((other) => done.has(other)));
    if (next === -1) throw new PebblePlanError(`services in before/after loop: ${remaining.join(', ')}`);
    const [name] = remaining.splice(next, 1);
    done.add(name!);
    ordered.push(name!);
  }
  return direction === 'start' ? ordered : ordered.reverse();
}

/** The plan as `GET /v1/plan?format=yaml` prints it: sections and fields in Pebble's order, keys sorted, indented by 4 as yaml.v3 writes. */
export function planYaml(plan: PebblePlan): string {
  const out: Record<string, unknown> = {};
  const sorted = <T>(record: Record<string, T>, shape: (value: T) => unknown): Record<string, unknown> =>
    Object.fromEntries(Object.keys(record).sort().map((name) => [name, shape(record[name]!)]));
  if (Object.keys(plan.services).length > 0) out.services = sorted(plan.services, (service) => ordered(service, Object.keys(SERVICE_FIELDS), DURATION_FIELDS));
  if (Object.keys(plan.checks).length > 0) {
    out.checks = sorted(plan.checks, (check) => {
      const shaped = ordered(check, Object.keys(CHECK_FIELDS), ['period', 'timeout']);
      for (const kind of ['http', 'tcp', 'exec'] as const) {
        if (shaped[kind] !== undefined) shaped[kind] = ordered(shaped[kind] as Record<string, unknown>, Object.keys(CHECK_KIND_FIELDS[kind]!), []);
      }
      return shaped;
    });
  }
  if (Object.keys(plan['log-targets']).length > 0) out['log-targets'] = sorted(plan['log-targets'], (target) => target);
  return Object.keys(out).length === 0 ? '{}\n' : stringify(out, { sortMapEntries: false, lineWidth: 0, indent: 4, indentSeq: true });
}

function ordered(entry: object, fields: readonly string[], durations: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const source = entry as Record<string, unknown>;
  for (const field of fields) {
    const value = source[field];
    if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) continue;
    // OptionalDuration marshals with Go's Duration.String(): "60s" shows as "1m0s".
    out[field] = durations.includes(field) ? formatDuration(parseDuration(String(value)) ?? 0) : value;
  }
  return out;
}

/** A service's numbers with Pebble's defaults for what the plan leaves unset. */
export function serviceTimings(service: PebbleService): { backoffDelayMs: number; backoffFactor: number; backoffLimitMs: number; killDelayMs: number } {
  const ms = (text: string | undefined, fallback: number): number => (text === undefined ? fallback : parseDuration(text) ?? fallback);
  return {
    backoffDelayMs: ms(service['backoff-delay'], DEFAULT_BACKOFF_DELAY_MS),
    backoffFactor: service['backoff-factor'] ?? DEFAULT_BACKOFF_FACTOR,
    backoffLimitMs: ms(service['backoff-limit'], DEFAULT_BACKOFF_LIMIT_MS),
    // servstate/handlers.go: killDelayDefault.
    killDelayMs: ms(service['kill-delay'], 5_000),
  };
}

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go's time.ParseDuration ("1m30s", "500ms", "0"), in milliseconds; undefined when invalid. */
export function parseDuration(text: string): number | undefined {
  if (text === '0') return 0;
  const match = /^([+-]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/.exec(text);
  if (!match) return undefined;
  let total = 0;
  for (const part of text.replace(/^[+-]/, '').matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) total += Number(part[1]) * UNIT_MS[part[2]!]!;
  return match[1] === '-' ? -total : total;
}

/** Go's Duration.String() of `ms` milliseconds: "500ms", "1s", "1m30s", "1h0m0s". */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  const sign = ms < 0 ? '-' : '';
  const abs = Math.abs(ms);
  if (abs < 1) return `${sign}${trim(abs * 1000)}µs`;
  if (abs < 1000) return `${sign}${trim(abs)}ms`;
  const hours = Math.floor(abs / 3_600_000);
  const minutes = Math.floor((abs % 3_600_000) / 60_000);
  const seconds = (abs % 60_000) / 1000;
  return `${sign}${hours > 0 ? `${hours}h` : ''}${hours > 0 || minutes > 0 ? `${minutes}m` : ''}${trim(seconds)}s`;
}

function trim(n: number): string {
  return String(Number(n.toFixed(9)));
}

/**
 * A service command split as plan.go's ParseCommand: shell words, with an optional final
 * `[ ... ]` group of default arguments. Returns the words to run (base and defaults).
 * @throws Error with Pebble's text for a misplaced group or bad quoting.
 */
export function parseCommand(command: string): { base: string[]; extra: string[] } {
  const words = shellSplit(command);
  const base: string[] = [];
  const extra: string[] = [];
  let inGroup = false;
  let groupDone = false;
  for (const word of words) {
    if (word === '[') {
      if (inGroup) throw new Error('cannot nest [ ... ] groups');
      if (base.length === 0) throw new Error('cannot start command with [ ... ] group');
      inGroup = true;
      continue;
    }
    if (word === ']') {
      if (!inGroup) throw new Error('cannot have ] outside of [ ... ] group');
      inGroup = false;
      groupDone = true;
      continue;
    }
    if (groupDone) throw new Error('cannot have any arguments after [ ... ] group');
    (inGroup ? extra : base).push(word);
  }
  if (inGroup) throw new Error('cannot have [ without ] in command');
  return { base, extra };
}

/** POSIX shell word splitting with quotes and backslashes (what shlex.Split does for Pebble). */
export function shellSplit(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end === -1) throw new Error('EOF found when expecting closing quote');
      word += text.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === '\\' && j + 1 < text.length && '"\\$`\n'.includes(text[j + 1]!)) j++;
        word += text[j];
      }
      if (j >= text.length) throw new Error('EOF found when expecting closing quote');
      i = j;
      inWord = true;
    } else if (c === '\\') {
      if (i + 1 >= text.length) throw new Error('EOF found after escape character');
      word += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
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
