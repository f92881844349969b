import { parse, stringify } from 'yaml';
import { PebbleError } from './errors.js';

/*
 * Layers and the plan keep Pebble's own YAML keys (`working-dir`, `on-failure`, …), as
 * ops' `LayerDict` does: they are Pebble's configuration format, written in charms and
 * docs as they are in Pebble's, and they travel to Pebble as YAML unchanged. The fields
 * follow Pebble's `internals/plan/plan.go`; unknown keys pass through untouched. The local
 * model's Pebble server derives its layer types from these (@charms/model's
 * pebble-layer-parse.ts), so a field added here must be added to its parser too.
 */

/** `on-success`, `on-failure`, `on-check-failure` values. */
export type ServiceAction = 'restart' | 'shutdown' | 'failure-shutdown' | 'success-shutdown' | 'ignore';

/** How a service's or an exec check's command runs (plan.go's options for command execution). */
interface CommandOptions {
  environment?: Record<string, string>;
  'user-id'?: number;
  user?: string;
  'group-id'?: number;
  group?: string;
  'working-dir'?: string;
}

/** One service of a layer (Pebble's `plan.Service`). */
export interface ServiceDefinition extends CommandOptions {
  summary?: string;
  description?: string;
  startup?: 'enabled' | 'disabled';
  override?: 'merge' | 'replace';
  command?: string;
  after?: string[];
  before?: string[];
  requires?: string[];
  'on-success'?: ServiceAction;
  'on-failure'?: ServiceAction;
  'on-check-failure'?: Record<string, ServiceAction>;
  'backoff-delay'?: string;
  'backoff-factor'?: number;
  'backoff-limit'?: string;
  'kill-delay'?: string;
  [key: string]: unknown;
}

/** One health check of a layer (Pebble's `plan.Check`): exactly one of `http`, `tcp`, `exec`. */
export interface CheckDefinition {
  override?: 'merge' | 'replace';
  level?: 'alive' | 'ready';
  startup?: 'enabled' | 'disabled';
  period?: string;
  timeout?: string;
  threshold?: number;
  http?: { url: string; headers?: Record<string, string> };
  tcp?: { port: number; host?: string };
  exec?: CommandOptions & { command: string; 'service-context'?: string; [key: string]: unknown };
  [key: string]: unknown;
}

/** One log target of a layer (Pebble's `plan.LogTarget`). */
export interface LogTargetDefinition {
  type?: 'loki' | 'opentelemetry';
  location?: string;
  services?: string[];
  override?: 'merge' | 'replace';
  labels?: Record<string, string>;
  [key: string]: unknown;
}

/** A layer, as written in YAML (Pebble's `plan.Layer`). */
export interface Layer {
  summary?: string;
  description?: string;
  services?: Record<string, ServiceDefinition>;
  checks?: Record<string, CheckDefinition>;
  'log-targets'?: Record<string, LogTargetDefinition>;
  [key: string]: unknown;
}

/** The combined plan Pebble runs from: every layer merged, by name (`GET /v1/plan`). */
export interface Plan {
  readonly services: Readonly<Record<string, ServiceDefinition>>;
  readonly checks: Readonly<Record<string, CheckDefinition>>;
  readonly logTargets: Readonly<Record<string, LogTargetDefinition>>;
}

/** A layer as YAML text, ready for `POST /v1/layers`. */
export function layerYaml(layer: string | Layer): string {
  return typeof layer === 'string' ? layer : stringify(layer);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads the plan's YAML as Pebble sends it (`yaml.Marshal` of `plan.Plan`; empty
 * sections are left out, an empty plan is `{}`).
 *
 * @throws {PebbleError} `PEBBLE_PROTOCOL` when the text is not a YAML map.
 */
export function parsePlan(text: string): Plan {
  let document: unknown;
  try {
    document = parse(text) ?? {};
  } catch (error) {
    throw new PebbleError(`Pebble sent a plan that is not YAML: ${(error as Error).message}`, { code: 'PEBBLE_PROTOCOL' });
  }
  if (!isRecord(document)) throw new PebbleError(`Pebble sent a plan that is not a YAML map: ${JSON.stringify(text.slice(0, 200))}`, { code: 'PEBBLE_PROTOCOL' });
  const section = <T>(key: string): Record<string, T> => (isRecord(document[key]) ? (document[key] as Record<string, T>) : {});
  return { services: section('services'), checks: section('checks'), logTargets: section('log-targets') };
}
