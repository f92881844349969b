import type { CharmMetadata } from '@charms/manifest';
import type { AppRecord, ModelRecord, StatusRecord } from './model-state.js';

/** `juju status --format json`, the parts the local model has. */
export interface StatusJson {
  model: { name: string; type: 'caas' | 'iaas'; version: string };
  applications: Record<
    string,
    {
      charm: string;
      'charm-rev': number;
      series: string;
      scale: number;
      version?: string;
      'application-status': { current: string; message: string; since: string };
      units: Record<
        string,
        {
          'workload-status': { current: string; message: string; since: string };
          'juju-status': { current: string; message?: string; since: string };
          leader?: boolean;
          address: string;
          'open-ports'?: string[];
        }
      >;
      relations: Record<string, string[]>;
      resources: Record<string, { image: string; revision: number }>;
    }
  >;
}

/** A line of `juju status`'s relation section. */
export interface RelationStatus {
  /** `app:endpoint` of the providing side (for a peer relation, the one side). */
  readonly provider: string;
  readonly requirer: string;
  readonly interface: string;
  readonly type: 'regular' | 'peer';
}

/** The model's relations as `juju status` lists them: each once, providers first. */
export function relationStatus(state: ModelRecord): RelationStatus[] {
  return state.relations.map((relation) => {
    const [a, b] = relation.ends;
    const key = (end: typeof a) => `${end.app}:${end.endpoint}`;
    if (a.role === 'peers') return { provider: key(a), requirer: key(a), interface: relation.interface, type: 'peer' };
    const [provider, requirer] = a.role === 'provides' ? [a, b] : [b, a];
    return { provider: key(provider), requirer: key(requirer), interface: relation.interface, type: 'regular' };
  });
}

// The order Juju uses to sum up an application's units: the worst wins.
const SEVERITY = ['error', 'blocked', 'maintenance', 'waiting', 'active', 'unknown'];

export function modelStatus(state: ModelRecord, name: string, metadataOf: (app: AppRecord) => CharmMetadata): StatusJson {
  const apps = Object.values(state.apps);
  const kubernetes = apps.some((app) => metadataOf(app).series?.includes('kubernetes'));
  return {
    model: { name, type: kubernetes || apps.length === 0 ? 'caas' : 'iaas', version: '2.9.44' },
    applications: Object.fromEntries(
      apps.map((app, appIndex) => {
        const metadata = metadataOf(app);
        const units = Object.fromEntries(
          app.units.map((unit) => [
            unit.name,
            {
              'workload-status': unit.agent.status === 'error' ? { current: 'error', message: unit.agent.message, since: unit.agent.since } : current(unit.workload),
              'juju-status': { current: unit.agent.status, ...(unit.agent.message ? { message: unit.agent.message } : {}), since: unit.agent.since },
              ...(app.leader === unit.name ? { leader: true } : {}),
              address: `10.1.${appIndex + 1}.${Number(unit.name.split('/')[1]) + 10}`,
              ...(unit.openedPorts.length > 0 ? { 'open-ports': unit.openedPorts } : {}),
            },
          ]),
        );
        const relations: Record<string, string[]> = {};
        for (const relation of state.relations) {
          const mine = relation.ends.find((e) => e.app === app.name);
          if (!mine) continue;
          const other = relation.ends[0] === mine ? relation.ends[1] : relation.ends[0];
          (relations[mine.endpoint] ??= []).push(other.app);
        }
        const worst = Object.values(units)
          .map((u) => u['workload-status'])
          .sort((a, b) => SEVERITY.indexOf(a.current) - SEVERITY.indexOf(b.current))[0];
        return [
          app.name,
          {
            charm: app.charm,
            'charm-rev': app.revision,
            series: metadata.series?.[0] ?? 'focal',
            scale: app.units.length,
            ...(app.version ? { version: app.version } : {}),
            'application-status': app.applicationStatus ? current(app.applicationStatus) : (worst ?? { current: 'unknown', message: '', since: '' }),
            units,
            relations,
            resources: Object.fromEntries(Object.entries(app.resources).map(([n, r]) => [n, { image: r.image, revision: r.revision }])),
          },
        ];
      }),
    ),
  };
}

function current(status: StatusRecord): { current: string; message: string; since: string } {
  return { current: status.status, message: status.message, since: status.since };
}

/** The status as `juju status` prints it: the model, the applications, the units, and the relations when given. */
export function statusTable(status: StatusJson, relations: readonly RelationStatus[] = []): string {
  const rows = (header: string[], lines: string[][]) => {
    const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
    return [header, ...lines].map((line) => line.map((cell, i) => (i === line.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n');
  };
  const model = rows(['Model', 'Controller', 'Cloud/Region', 'Version'], [[status.model.name, 'charms', 'local/localhost', status.model.version]]);
  const apps = Object.entries(status.applications);
  if (apps.length === 0) return `${model}\n\nModel "${status.model.name}" is empty.\n`;
  const appTable = rows(
    ['App', 'Version', 'Status', 'Scale', 'Charm', 'Rev', 'Image', 'Message'],
    apps.map(([name, app]) => [
      name,
      app.version ?? '',
      app['application-status'].current,
      String(app.scale),
      app.charm,
      String(app['charm-rev']),
      Object.values(app.resources)[0]?.image ?? '',
      app['application-status'].message,
    ]),
  );
  const unitTable = rows(
    ['Unit', 'Workload', 'Agent', 'Address', 'Ports', 'Message'],
    apps.flatMap(([, app]) =>
      Object.entries(app.units).map(([name, unit]) => [
        `${name}${unit.leader ? '*' : ''}`,
        unit['workload-status'].current,
        unit['juju-status'].current,
        unit.address,
        (unit['open-ports'] ?? []).join(','),
        unit['workload-status'].message,
      ]),
    ),
  );
  const relationLines = relations.map((r) => [r.provider, r.requirer, r.interface, r.type]);
  const relationTable = relationLines.length > 0 ? `\n\n${rows(['Relation provider', 'Requirer', 'Interface', 'Type'], relationLines)}` : '';
  return `${model}\n\n${appTable}\n\n${unitTable}${relationTable}\n`;
}
