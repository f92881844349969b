import { createHash } from 'node:crypto';
import type { CharmMetadata } from '@charms/manifest';
import { endpoints } from '@charms/manifest/queries';
import { modelTime, type AppRecord, type ModelRecord, type StatusRecord, type UnitRecord } from './model-state.js';
import { CLOUD_NAME, CLOUD_REGION, CONTROLLER_NAME, JUJU_VERSION, MODEL_NAME } from './juju-identity.js';
import { formatSince, formatTimestamp } from './status-time.js';

// `juju status --format json` (and yaml) of a Juju 2.9 Kubernetes model, built from the
// model record. The shape follows Juju 2.9's cmd/juju/status: formatted.go (the structs
// and their json tags: which keys exist, in which order, which are left out when empty),
// formatter.go (how each value is filled in) and, for the error translation,
// state/unit.go `Unit.Status` and state/unitagent.go `UnitAgent.Status`. Go's
// encoding/json writes struct fields in declaration order and map keys sorted; so do we.

/**
 * Juju's `statusInfoContents`: every key is `omitempty`, so an empty message or time is
 * left out rather than printed as `""`.
 */
export interface StatusInfoJson {
  current: string;
  message?: string;
  since?: string;
  version?: string;
  life?: string;
}

/** A unit of `applications.<app>.units` (Juju's `unitStatus`, the keys a Kubernetes unit has). */
export interface UnitStatusJson {
  'workload-status': StatusInfoJson;
  'juju-status': StatusInfoJson;
  leader?: true;
  'open-ports'?: string[];
  address?: string;
  'provider-id'?: string;
}

/** An application (Juju's `applicationStatus`, the keys a local podspec charm has). */
export interface ApplicationStatusJson {
  charm: string;
  series: string;
  os: string;
  'charm-origin': string;
  'charm-name': string;
  'charm-rev': number;
  scale: number;
  'provider-id'?: string;
  address?: string;
  exposed: boolean;
  life?: string;
  'application-status': StatusInfoJson;
  /** Endpoint → the applications related on it (sorted); left out when there are none. */
  relations?: Record<string, string[]>;
  /** Always present: an application of the local model has a unit until it is gone. */
  units: Record<string, UnitStatusJson>;
  version?: string;
  'endpoint-bindings': Record<string, string>;
}

/** `juju status --format json` of the local model, in Juju 2.9's shape and key order. */
export interface StatusJson {
  model: {
    name: string;
    type: 'caas';
    controller: string;
    cloud: string;
    region: string;
    version: string;
    'model-status': StatusInfoJson;
    sla: string;
  };
  /** A Kubernetes model has no machines; Juju still prints the key. */
  machines: Record<string, never>;
  applications: Record<string, ApplicationStatusJson>;
  controller: { timestamp?: string };
}

/** How to print times; Juju's `--utc` flag. */
export interface StatusOptions {
  /** UTC (`2026-12-05 02:10:00Z`) instead of local time (`05 Dec 2026 02:10:00Z`). */
  readonly utc?: boolean;
}

/** A line of `juju status --relations`'s relation section (not part of the JSON, as in Juju). */
export interface RelationStatus {
  /** `app:endpoint` of the providing side (for a peer relation, the one side). */
  readonly provider: string;
  readonly requirer: string;
  readonly interface: string;
  readonly type: 'regular' | 'peer';
  /** `joined`, or `broken` while the relation is being removed. */
  readonly status: 'joined' | 'broken';
}

/** The model's relations as `juju status` lists them: each once, providers first. */
export function relationStatus(state: ModelRecord): RelationStatus[] {
  return state.relations.map((relation) => {
    const [a, b] = relation.ends;
    const key = (end: typeof a) => `${end.app}:${end.endpoint}`;
    const status = relation.dying ? 'broken' : 'joined';
    if (a.role === 'peers') return { provider: key(a), requirer: key(a), interface: relation.interface, type: 'peer', status };
    const [provider, requirer] = a.role === 'provides' ? [a, b] : [b, a];
    return { provider: key(provider), requirer: key(requirer), interface: relation.interface, type: 'regular', status };
  });
}

// core/status: the severity Juju uses to derive an application's status from its units
// when the charm has not set one; the most severe wins.
const SEVERITY = ['error', 'blocked', 'maintenance', 'waiting', 'active', 'terminated', 'unknown'];

const sortedEntries = <T>(entries: [string, T][]) => entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/**
 * `juju status --format json` of the model: the model, `machines: {}`, the applications
 * with their units, and the controller's timestamp. Statuses are rendered from the record
 * as they are, except that a unit whose agent is in `error` shows the error as its
 * workload status and `idle` as its agent status, as Juju's state does.
 * @param state the model record.
 * @param metadataOf each application's charm metadata.
 * @param options `utc` for times in UTC (default: local time, as Juju prints them).
 */
export function modelStatus(state: ModelRecord, metadataOf: (app: AppRecord) => CharmMetadata, options: StatusOptions = {}): StatusJson {
  const utc = options.utc ?? false;
  const info = (status: StatusRecord, extra: { version?: string } = {}): StatusInfoJson => statusInfo(status.status, status.message, status.since, utc, extra.version);
  const appNames = Object.keys(state.apps);
  const applications = sortedEntries(
    Object.values(state.apps).map((app) => {
      const metadata = metadataOf(app);
      const appIndex = appNames.indexOf(app.name);
      // A sidecar application is always a StatefulSet (sidecar-manifests.ts).
      const stateful = app.sidecar !== undefined || metadata.deployment?.type === 'stateful' || Object.keys((metadata as { storage?: object }).storage ?? {}).length > 0;
      const units = sortedEntries(app.units.map((unit) => [unit.name, unitStatus(state, app, unit, appIndex, stateful, info)] as [string, UnitStatusJson]));
      const series = metadata.series?.[0] ?? 'kubernetes';
      const applicationStatus = app.applicationStatus ? info(app.applicationStatus) : derivedStatus(units.map(([, u]) => u['workload-status']));
      const relations = relatedApplications(state, app.name);
      const json: ApplicationStatusJson = {
        // A local charm's URL: local:<series>/<name>-<revision>.
        charm: `local:${series}/${app.charm}-${app.revision}`,
        series,
        os: osOf(series),
        'charm-origin': 'local',
        'charm-name': app.charm,
        'charm-rev': app.revision,
        scale: app.units.length,
        // Juju creates the application's Service when the pod spec is applied; a sidecar
        // application's at deploy, with its StatefulSet. Juju's status has no line per
        // workload container (cmd/juju/status formatted.go unitStatus, 2.9 and 3.x): a unit
        // is its pod, named by provider-id.
        ...(app.podSpec || app.sidecar ? { 'provider-id': standInUid(`service/${app.name}`), address: `10.152.183.${appIndex + 10}` } : {}),
        exposed: false,
        ...(app.dying ? { life: 'dying' } : {}),
        'application-status': applicationStatus,
        ...(Object.keys(relations).length > 0 ? { relations } : {}),
        units: Object.fromEntries(units),
        ...(app.version ? { version: app.version } : {}),
        'endpoint-bindings': endpointBindings(metadata),
      };
      return [app.name, json] as [string, ApplicationStatusJson];
    }),
  );
  return {
    model: {
      name: MODEL_NAME,
      type: 'caas',
      controller: CONTROLLER_NAME,
      cloud: CLOUD_NAME,
      region: CLOUD_REGION,
      version: JUJU_VERSION,
      'model-status': statusInfo('available', '', modelTime({ ...state, clock: 0 }), utc),
      sla: 'unsupported',
    },
    machines: {},
    applications: Object.fromEntries(applications),
    controller: compact({ timestamp: formatTimestamp(modelTime(state), utc) }),
  };
}

type Info = (status: StatusRecord, extra?: { version?: string }) => StatusInfoJson;

function unitStatus(state: ModelRecord, app: AppRecord, unit: UnitRecord, appIndex: number, stateful: boolean, info: Info): UnitStatusJson {
  const number = Number(unit.name.split('/')[1]);
  // state/unit.go and state/unitagent.go: Juju records a failed hook on the agent; status
  // shows it as the workload's error, with the agent idle since the same time.
  const agentInError = unit.agent.status === 'error';
  const workload = agentInError ? info(unit.agent) : info(unit.workload);
  if (workload.current === 'error' && unit.error?.relationId !== undefined) {
    // formatter.go updateUnitStatusInfo: a failed relation hook names the other side.
    const relation = state.relations.find((r) => r.id === unit.error!.relationId);
    const other = relation?.ends.find((end) => end.app !== app.name);
    if (other && workload.message) workload.message += ` for ${other.app}:${other.endpoint}`;
  }
  const agent = agentInError ? info({ status: 'idle', message: '', since: unit.agent.since }, { version: JUJU_VERSION }) : info(unit.agent, { version: JUJU_VERSION });
  return {
    'workload-status': workload,
    'juju-status': agent,
    ...(app.leader === unit.name ? { leader: true as const } : {}),
    ...(unit.openedPorts.length > 0 ? { 'open-ports': [...unit.openedPorts] } : {}),
    // The pod's address, as network-get answers it.
    address: `10.1.${appIndex + 1}.${number + 10}`,
    // Juju's Kubernetes provider names a unit by its pod: the pod name for a StatefulSet,
    // the pod's UID for a Deployment. The local model has no pods; these stand in.
    'provider-id': stateful ? `${app.name}-${number}` : standInUid(`pod/${unit.name}`),
  };
}

function statusInfo(current: string, message: string, since: string, utc: boolean, version?: string): StatusInfoJson {
  return compact({ current, message: message || undefined, since: formatSince(since, utc), version });
}

/** The most severe of the units' workload statuses; `unknown` without units. */
function derivedStatus(units: StatusInfoJson[]): StatusInfoJson {
  const rank = (s: StatusInfoJson) => (SEVERITY.includes(s.current) ? SEVERITY.indexOf(s.current) : SEVERITY.length);
  const worst = [...units].sort((a, b) => rank(a) - rank(b))[0];
  return worst ? { ...worst } : { current: 'unknown' };
}

/** Endpoint → related applications, sorted and each once; a peer relation names the application itself. */
function relatedApplications(state: ModelRecord, app: string): Record<string, string[]> {
  const related: Record<string, Set<string>> = {};
  for (const relation of state.relations) {
    const mine = relation.ends.find((e) => e.app === app);
    if (!mine) continue;
    const other = relation.ends[0] === mine ? relation.ends[1] : relation.ends[0];
    (related[mine.endpoint] ??= new Set()).add(other.app);
  }
  return Object.fromEntries(sortedEntries(Object.entries(related)).map(([endpoint, apps]) => [endpoint, [...apps].sort()]));
}

/** Every endpoint (and extra binding) bound to the model's default space, `alpha` in 2.9; `""` is the default binding. */
function endpointBindings(metadata: CharmMetadata): Record<string, string> {
  const extra = Object.keys((metadata as { 'extra-bindings'?: object })['extra-bindings'] ?? {});
  const names = ['', ...endpoints(metadata).map((e) => e.name), ...extra];
  return Object.fromEntries([...new Set(names)].sort().map((n) => [n, 'alpha']));
}

// formatter.go: the OS named after the series; a Kubernetes application's is `kubernetes`.
const UBUNTU = new Set(['precise', 'trusty', 'xenial', 'bionic', 'cosmic', 'disco', 'eoan', 'focal', 'groovy', 'hirsute', 'impish', 'jammy']);
function osOf(series: string): string {
  if (UBUNTU.has(series)) return 'ubuntu';
  if (series.startsWith('centos')) return 'centos';
  return series;
}

/** A stable UUID-shaped identifier for something the local model has no real object for. */
function standInUid(what: string): string {
  const hex = createHash('sha1').update(what).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** The object without its undefined values (Go's `omitempty` on strings). */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export { statusTable } from './status-tabular.js';
