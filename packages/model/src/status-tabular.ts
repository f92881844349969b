import type { RelationStatus, StatusInfoJson, StatusJson, UnitStatusJson } from './status.js';

// `juju status` (tabular) of a Kubernetes model, after Juju 2.9's
// cmd/juju/status/output_tabular.go: a Model section, then App, Unit and (with
// `--relations`) Relation sections, each a block of columns as Go's tabwriter lays them
// out with cmd/output's settings (two spaces of padding, no minimum width). Like Juju, a
// line's last cell is not padded, so a line whose last cell is empty ends in the padding
// of the cell before it.

/** One tabwriter block: every cell but a line's last is padded to its column's width + 2. */
export function block(lines: readonly (readonly string[])[], alignRight: ReadonlySet<number> = new Set()): string {
  const widths: number[] = [];
  for (const line of lines) line.slice(0, -1).forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return lines
    .map((line) =>
      line
        .map((cell, i) => {
          if (i === line.length - 1) return cell;
          const width = widths[i]!;
          return `${alignRight.has(i) ? cell.padStart(width) : cell.padEnd(width)}  `;
        })
        .join(''),
    )
    .map((text) => `${text}\n`)
    .join('');
}

// naturalsort (github.com/juju/naturalsort): runs of digits compare as numbers.
function naturalCompare(a: string, b: string): number {
  const chunks = (s: string) => s.match(/\d+|\D+/g) ?? [];
  const [x, y] = [chunks(a), chunks(b)];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const [p, q] = [x[i]!, y[i]!];
    if (p === q) continue;
    if (/^\d/.test(p) && /^\d/.test(q)) return Number(p) - Number(q) || p.length - q.length;
    return p < q ? -1 : 1;
  }
  return x.length - y.length;
}

const CAAS_MAX_VERSION_WIDTH = 30;
const ELLIPSIS = '...';

// The grammar of github.com/docker/distribution/reference, which Juju uses to shorten a
// Kubernetes application's version when it is an image reference.
const NAME_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*';
const DOMAIN = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]+)?';
const REFERENCE = new RegExp(
  `^((?:${DOMAIN}/)?${NAME_COMPONENT}(?:/${NAME_COMPONENT})*)(?::([\\w][\\w.-]{0,127}))?(?:@([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?$`,
);

/** `reference.ParseNamed`: the path, tag and digest of a canonical reference; `not-canonical`; or undefined when it is no reference. */
function parseNamed(text: string): { path: string; tag?: string; digest?: string } | 'not-canonical' | undefined {
  if (/^[a-f0-9]{64}$/.test(text)) return undefined;
  const slash = text.indexOf('/');
  const explicit = slash !== -1 && (/[.:]/.test(text.slice(0, slash)) || text.slice(0, slash) === 'localhost');
  let domain = explicit ? text.slice(0, slash) : 'docker.io';
  let remainder = explicit ? text.slice(slash + 1) : text;
  if (domain === 'index.docker.io') domain = 'docker.io';
  if (domain === 'docker.io' && !remainder.includes('/')) remainder = `library/${remainder}`;
  const name = remainder.split(/[:@]/)[0]!;
  if (name !== name.toLowerCase()) return undefined;
  const match = REFERENCE.exec(`${domain}/${remainder}`);
  if (!match || match[1]!.length > 255) return undefined;
  if (`${domain}/${remainder}` !== text) return 'not-canonical';
  return { path: remainder.split(/[:@]/)[0]!, tag: match[2], digest: match[3]?.split(':')[1] };
}

/** The Version cell of a Kubernetes application (output_tabular.go printApplications). */
function versionCell(version: string | undefined, charmOrigin: string, charm: string): string {
  let text = (version ?? '').split('\n')[0]!;
  if (text !== '') {
    const ref = parseNamed(text);
    if (ref === undefined) text = ELLIPSIS;
    else if (ref !== 'not-canonical') text = `${ref.path}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest.slice(0, 7)}` : ''}`;
    let parts = text.split('/');
    // An image of the charm store's registry (<registry>/<user>/<charm>/<resource>) shows
    // as res:<resource> for a charmhub or charm store charm.
    const fromJujuRepo = version!.includes('jujucharms.') || version!.includes('rocks.');
    if (fromJujuRepo && parts.length > 2 && (text.length > CAAS_MAX_VERSION_WIDTH || parts[1] === charm) && ['charmhub', 'charmstore'].includes(charmOrigin)) {
      text = [`res:${parts[2]}`, ...parts.slice(3)].join('/');
    }
    parts = text.split('/');
    if (parts.length > 1 && text.length > CAAS_MAX_VERSION_WIDTH) text = [ELLIPSIS, ...parts.slice(1)].join('/');
  }
  return text.length > CAAS_MAX_VERSION_WIDTH ? `${text.slice(0, CAAS_MAX_VERSION_WIDTH - ELLIPSIS.length)}${ELLIPSIS}` : text;
}

// charm/v9 hooks.UnitHooks() and RelationHooks(): the hook names the Message column
// recognises in an executing agent's "running <hook> hook".
const UNIT_HOOKS = [
  'install', 'start', 'config-changed', 'upgrade-charm', 'stop', 'remove', 'collect-metrics', 'meter-status-changed', 'leader-elected',
  'leader-deposed', 'leader-settings-changed', 'update-status', 'pre-series-upgrade', 'post-series-upgrade',
  'relation-created', 'relation-joined', 'relation-changed', 'relation-departed', 'relation-broken',
];
const RUNNING_HOOK = new RegExp(`running (${UNIT_HOOKS.join('|')}) hook`);

/** What the agent is doing, for `(hook) message`: only while executing a hook or action. */
function agentDoing(agent: StatusInfoJson): string {
  if (agent.current !== 'executing') return '';
  const hook = RUNNING_HOOK.exec(agent.message ?? '');
  if (hook) return hook[1]!;
  return /running action (.*)/.exec(agent.message ?? '')?.[1] ?? '';
}

function unitMessage(unit: UnitStatusJson): string {
  let message = unit['workload-status'].message ?? '';
  if (unit['juju-status'].current === 'allocating' && message === '') message = unit['juju-status'].message ?? '';
  const doing = agentDoing(unit['juju-status']);
  return doing ? `(${doing}) ${message}` : message;
}

/** The Scale cell: units whose agent is running, over the application's scale when they differ. */
function scaleCell(scale: number, units: readonly UnitStatusJson[]): string {
  const running = units.filter((u) => u['workload-status'].current !== 'terminated' && ['executing', 'idle', 'running'].includes(u['juju-status'].current)).length;
  return running === scale ? String(running) : `${running}/${scale}`;
}

/**
 * The status as `juju status` prints it for a Kubernetes model: the Model line, the
 * applications, the units (the leader marked `*`), and the relations when given (Juju
 * shows them with `--relations`).
 * @param status what `modelStatus` (or `LocalModel.status()`) returned.
 * @param relations the relation section's lines; none: no section.
 * @example process.stdout.write(statusTable(model.status(), model.relations()));
 */
export function statusTable(status: StatusJson, relations: readonly RelationStatus[] = []): string {
  const { model } = status;
  const header = ['Model', 'Controller', 'Cloud/Region', 'Version'];
  const values = [model.name, model.controller, model.region ? `${model.cloud}/${model.region}` : model.cloud, model.version];
  if (model.sla) {
    header.push('SLA');
    values.push(model.sla);
  }
  if (status.controller.timestamp) {
    header.push('Timestamp');
    values.push(status.controller.timestamp);
  }
  if (model['model-status']?.message) {
    header.push('Notes');
    values.push(model['model-status'].message);
  }
  const sections = [block([header, values])];

  const apps = Object.entries(status.applications).sort(([a], [b]) => naturalCompare(a, b));
  if (apps.length > 0) {
    const appLines = apps.map(([name, app]) => [
      name,
      versionCell(app.version, app['charm-origin'], app.charm),
      app['application-status'].current,
      scaleCell(app.scale, Object.values(app.units)),
      app['charm-name'],
      '',
      String(app['charm-rev']),
      app.address ?? '',
      app.exposed ? 'yes' : 'no',
      app['application-status'].message ?? '',
    ]);
    sections.push(block([['App', 'Version', 'Status', 'Scale', 'Charm', 'Channel', 'Rev', 'Address', 'Exposed', 'Message'], ...appLines], new Set([3, 6])));
    const units = apps.flatMap(([, app]) => Object.entries(app.units)).sort(([a], [b]) => naturalCompare(a, b));
    if (units.length > 0) {
      const unitLines = units.map(([name, unit]) => [
        `${name}${unit.leader ? '*' : ''}`,
        unit['workload-status'].current,
        unit['juju-status'].current,
        unit.address ?? '',
        (unit['open-ports'] ?? []).join(','),
        unitMessage(unit),
      ]);
      sections.push(block([['Unit', 'Workload', 'Agent', 'Address', 'Ports', 'Message'], ...unitLines]));
    }
  }

  if (relations.length > 0) {
    const sorted = [...relations].sort((a, b) => (a.provider === b.provider ? cmp(a.requirer, b.requirer) : cmp(a.provider, b.provider)));
    const relationLines = sorted.map((r) => [r.provider, r.requirer, r.interface, r.type, ...(r.status === 'joined' ? [] : [r.status]), '']);
    sections.push(block([['Relation provider', 'Requirer', 'Interface', 'Type', 'Message'], ...relationLines]));
  }
  return sections.join('\n');
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
