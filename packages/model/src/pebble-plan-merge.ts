/**
 * Pebble's plan: layers combined in order with each entry's `override` (merge or replace,
 * canonical/pebble internals/plan/plan.go's CombineLayers and each Merge), a layer added
 * or combined with the one of its label (planstate's AppendLayer and CombineLayer), the
 * combined plan checked as a whole (Plan.Validate: every service has a command, checks
 * name one kind, no before/after loop), the start and stop order of services, and the
 * plan's YAML as `GET /v1/plan` prints it.
 */
import { stringify } from 'yaml';
import { formatDuration, parseDuration } from './pebble-durations.js';
import { CHECK_FIELDS, CHECK_KIND_FIELDS, DURATION_FIELDS, PebblePlanError, SERVICE_FIELDS, type PebbleCheck, type PebbleLayer, type PebbleLogTarget, type PebbleService } from './pebble-layer-parse.js';

/** The combined plan: the layers' sections merged (what `GET /v1/plan` shows and what the service and check managers act on), and the layers. */
export interface PebblePlan extends Readonly<Pick<PebbleLayer, 'services' | 'checks' | 'log-targets'>> {
  readonly layers: readonly PebbleLayer[];
}

export const EMPTY_PLAN: PebblePlan = { layers: [], services: {}, checks: {}, 'log-targets': {} };

/**
 * Combines layers in order as plan.go's CombineLayers: per service, check and log target,
 * `override: merge` merges into what the earlier layers built and `override: replace`
 * replaces it; any other value (or none) is an error naming the layer.
 */
export function combineLayers(layers: readonly PebbleLayer[]): Omit<PebbleLayer, 'label' | 'order'> {
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
 * `layers` with `layer` added as planstate does: a new label goes last (AppendLayer: orders
 * count up in steps of 1000); with `combine`, a layer of a label already there merges into
 * that one, which keeps its place and order (CombineLayer).
 * @throws PebblePlanError when the label is taken and `combine` is false, or merging fails.
 */
export function addLayer(layers: readonly PebbleLayer[], layer: PebbleLayer, combine: boolean): PebbleLayer[] {
  const added = [...layers];
  const index = added.findIndex((existing) => existing.label === layer.label);
  if (index >= 0 && !combine) throw new PebblePlanError(`layer ${q(layer.label)} already exists`);
  if (index >= 0) {
    const found = added[index]!;
    const combined = combineLayers([found, layer]);
    added[index] = { label: found.label, order: found.order, ...(combined.summary !== undefined ? { summary: combined.summary } : {}), ...(combined.description !== undefined ? { description: combined.description } : {}), services: combined.services, checks: combined.checks, 'log-targets': combined['log-targets'] };
  } else {
    added.push({ ...layer, order: (added.at(-1)?.order ?? 0) + 1000 });
  }
  return added;
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

function q(text: string): string {
  return JSON.stringify(text);
}
