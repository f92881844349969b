import type { ModelRecord, RelationRecord } from '@charms/model';
import { escapeControl } from '@charms/model/internal';
import type { Colors } from './output-colors.js';
import { CliError } from '../cli-error.js';
import { maskedRecord } from './masked-value.js';

// `charms show-relation`: what each side of one relation has written, as `jhack
// show-relation` shows it on Juju (each side's application databag, then each unit's),
// read from the model's record of the relation.

/** One side of a relation in `charms show-relation --format json|yaml`. */
export interface RelationSideView {
  readonly app: string;
  readonly endpoint: string;
  readonly role: 'provides' | 'requires' | 'peers';
  /** The application's leader unit, when it has one. */
  readonly leader?: string;
  /** The application databag (what the leader's `relation-set --app` wrote). */
  readonly 'application-data': Record<string, unknown>;
  /** Each unit's databag, by unit name: the units in the relation's scope, and any unit that left data. */
  readonly 'unit-data': Record<string, Record<string, unknown>>;
}

/** `charms show-relation --format json|yaml`: the relation and its sides (one for a peer relation). */
export interface RelationView {
  readonly id: number;
  readonly interface: string;
  /** Being removed: the relation goes once its hooks have run. */
  readonly dying: boolean;
  readonly sides: RelationSideView[];
}

/** `app:endpoint` or `app`, as the arguments of `charms relate` name an end. */
interface EndSpec {
  readonly app: string;
  readonly endpoint?: string;
}

function endSpec(text: string): EndSpec {
  const [app, endpoint, extra] = text.split(':');
  if (!app || extra !== undefined || endpoint === '') throw new CliError('INVALID_ARGUMENT', `${JSON.stringify(text)} names no relation end: give app or app:endpoint, or a relation id`);
  return endpoint === undefined ? { app } : { app, endpoint };
}

const fits = (spec: EndSpec, end: RelationRecord['ends'][number]) => end.app === spec.app && (spec.endpoint === undefined || end.endpoint === spec.endpoint);

/** `a:x b:y (interface i, id n)` for the lists in error messages. */
function relationLabel(relation: RelationRecord): string {
  const [a, b] = relation.ends;
  const ends = a.role === 'peers' ? `${a.app}:${a.endpoint} (peer)` : `${a.app}:${a.endpoint} ${b.app}:${b.endpoint}`;
  return `${relation.id}: ${ends}`;
}

/**
 * The relation `first` and `second` name: a relation id alone; `app[:endpoint]` alone
 * for the only relation of that end (a peer relation among them); or both ends, in either
 * order, each `app` or `app:endpoint` as `charms relate` takes them.
 * @throws CliError `INVALID_ARGUMENT` when no relation fits or several do, listing the candidates.
 */
export function findRelation(model: ModelRecord, first: string, second?: string): RelationRecord {
  const known = model.relations.map(relationLabel).join('; ') || 'none';
  if (second === undefined && /^\d+$/.test(first)) {
    const relation = model.relations.find((r) => r.id === Number(first));
    if (!relation) throw new CliError('INVALID_ARGUMENT', `no relation has id ${first} (relations: ${known})`);
    return relation;
  }
  const a = endSpec(first);
  const b = second === undefined ? undefined : endSpec(second);
  const candidates = model.relations.filter((relation) => {
    const [x, y] = relation.ends;
    if (!b) return fits(a, x) || fits(a, y);
    // A peer relation's two ends are the same end: `app app` or `app:peer app:peer` names it.
    return (fits(a, x) && fits(b, y)) || (fits(a, y) && fits(b, x));
  });
  const asked = second === undefined ? first : `${first} ${second}`;
  if (candidates.length === 0) throw new CliError('INVALID_ARGUMENT', `no relation joins ${asked} (relations: ${known})`);
  if (candidates.length > 1) {
    throw new CliError('INVALID_ARGUMENT', `${asked} fits several relations: name both ends with their endpoints, or give the id (${candidates.map(relationLabel).join('; ')})`);
  }
  return candidates[0]!;
}

/** Unit names in number order (`app/2` before `app/10`). */
function byUnitNumber(a: string, b: string): number {
  return Number(a.split('/')[1]) - Number(b.split('/')[1]);
}

/**
 * Both sides of `relation` (its one side for a peer relation): each application's
 * databag and its units' databags, with the values of secret-named keys and the known
 * `secrets` shown as `***`. The side of `firstApp` comes first (the end the user named
 * first), else the relation's own order.
 */
export function relationView(model: ModelRecord, relation: RelationRecord, secrets: readonly string[], firstApp?: string): RelationView {
  const [a, b] = relation.ends;
  const ends = a.role === 'peers' ? [a] : b.app === firstApp && a.app !== firstApp ? [b, a] : [a, b];
  const sides = ends.map((end): RelationSideView => {
    const units = new Set<string>();
    for (const name of relation.members ?? []) if (name.startsWith(`${end.app}/`)) units.add(name);
    for (const name of Object.keys(relation.data)) if (name.startsWith(`${end.app}/`)) units.add(name);
    const leader = model.apps[end.app]?.leader;
    return {
      app: end.app,
      endpoint: end.endpoint,
      role: end.role,
      ...(leader ? { leader } : {}),
      'application-data': maskedRecord(sortedRecord(relation.data[end.app] ?? {}), secrets),
      'unit-data': Object.fromEntries([...units].sort(byUnitNumber).map((unit) => [unit, maskedRecord(sortedRecord(relation.data[unit] ?? {}), secrets)])),
    };
  });
  return { id: relation.id, interface: relation.interface, dying: relation.dying === true, sides };
}

function sortedRecord<T>(record: Readonly<Record<string, T>>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * The relation as text: a title line, then for each side a header (app:endpoint, role,
 * leader) and its databags, keys aligned, values escaped so that none can forge a line.
 */
export function relationTable(view: RelationView, colors: Colors): string {
  const peer = view.sides.length === 1;
  const names = view.sides.map((side) => `${side.app}:${side.endpoint}`);
  const lines = [
    colors.bold(`relation ${view.id}: ${peer ? `${names[0]} (peer)` : names.join(' ↔ ')}, interface ${view.interface}${view.dying ? ', dying' : ''}`),
  ];
  for (const side of view.sides) {
    const bags: [string, Record<string, unknown>][] = [['application data', side['application-data']], ...Object.entries(side['unit-data'])];
    const width = Math.max(0, ...bags.flatMap(([, bag]) => Object.keys(bag).map((key) => escapeControl(key).length)));
    lines.push('', colors.bold(`${side.app}:${side.endpoint}`) + colors.dim(` (${side.role}${side.leader ? `, leader ${side.leader}` : ''})`));
    for (const [name, bag] of bags) {
      lines.push(`  ${colors.cyan(name)}`);
      const entries = Object.entries(bag);
      if (entries.length === 0) lines.push(colors.dim('    (empty)'));
      for (const [key, value] of entries) lines.push(`    ${escapeControl(key).padEnd(width)}  ${escapeControl(typeof value === 'string' ? value : JSON.stringify(value))}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
