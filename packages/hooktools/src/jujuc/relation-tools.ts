import { checkEmpty, keyValues, optionText, parseArgs, type ParsedArgs } from './args.js';
import { readArgumentFile, settingsMap } from './files.js';
import { OUTPUT_OPTIONS, writeOutput } from './output.js';
import { failure, ok, usage } from './result.js';
import { appOf, type JujucRelation, type JujucTool, type JujucWorld } from './world.js';

const RELATION_OPTIONS = { r: 'value', relation: 'value' } as const;
// Juju's limit on one relation's settings (MaxRelationSettingsSize).
const MAX_SETTINGS = 16 * 1024 * 1024;

/**
 * The relation of `-r/--relation` (`5` or `db:5`: only the part after the last colon
 * counts), else the hook's relation.
 * @throws ToolFailure exit 2: no relation, an invalid id, or one the unit does not see.
 */
export function relationFor(world: JujucWorld, options: ParsedArgs['options']): JujucRelation {
  const given = optionText(options, 'r', 'relation');
  const idText = given ?? (world.hook.relationId === undefined ? undefined : String(world.hook.relationId));
  if (idText === undefined) return usage('no relation id specified');
  const id = Number(idText.split(':').at(-1));
  if (!Number.isInteger(id)) usage(`invalid value "${given}" for option -r: invalid relation id`);
  const relation = world.relations().find((r) => r.id === id);
  if (!relation) usage(`invalid value "${given ?? idText}" for option -r: relation not found`);
  return relation!;
}

/** `relation-ids [<endpoint>]`: sorted `<endpoint>:<id>`; the hook's endpoint by default. */
export const relationIds: JujucTool = (argv, _stdin, world) => {
  const { options, positional } = parseArgs(argv, OUTPUT_OPTIONS);
  checkEmpty(positional, 1);
  const hookRelation = world.relations().find((r) => r.id === world.hook.relationId);
  const endpoint = positional[0] ?? hookRelation?.endpoint;
  if (!endpoint) usage('no endpoint name specified');
  const ids = world
    .relations()
    .filter((r) => r.endpoint === endpoint)
    .map((r) => r.id)
    .sort((a, b) => a - b)
    .map((id) => `${endpoint}:${id}`);
  return ok(writeOutput(ids, options, world.files));
};

/** `relation-list [-r <id>] [--app]`: the remote units in scope, or the remote application. */
export const relationList: JujucTool = (argv, _stdin, world) => {
  const { options, positional } = parseArgs(argv, { ...OUTPUT_OPTIONS, ...RELATION_OPTIONS, app: 'bool' });
  checkEmpty(positional);
  const relation = relationFor(world, options);
  if (options.app) return ok(writeOutput(relation.remoteApp, options, world.files));
  return ok(writeOutput([...relation.units].sort(), options, world.files));
};

/**
 * `relation-get [-r <id>] [--app] [<key>|-] [<unit-or-app>]`: one bag, or one key of it.
 * The unit's own bags include this hook's writes; its own application's bag is the
 * leader's to read, or any unit's on a peer relation.
 */
export const relationGet: JujucTool = (argv, _stdin, world) => {
  const { options, positional } = parseArgs(argv, { ...OUTPUT_OPTIONS, ...RELATION_OPTIONS, app: 'bool' });
  checkEmpty(positional, 2);
  const relation = relationFor(world, options);
  const target = positional[1] ?? (options.app ? world.hook.remoteApp : (world.hook.remoteUnit || world.hook.remoteApp));
  if (!target) return usage('no unit or application specified');
  const isApp = !target.includes('/');
  if (isApp && !options.app && positional[1]) usage(`expected unit name, got application name "${target}"`);
  if (!isApp && !/^[a-z][a-z0-9-]*\/\d+$/.test(target)) usage(`invalid unit name "${target}"`);
  const ownApp = appOf(world.unitName);
  if (isApp && target === ownApp && !world.isLeader() && !relation.peer) failure('permission denied');
  // The controller reads other units' bags (apiserver uniter ReadRemoteSettings): a unit
  // or application outside the relation is refused; a unit of it that never entered its
  // scope has no settings (state relationunit.go ReadSettings).
  if (target !== world.unitName && appOf(target) !== relation.remoteApp && appOf(target) !== ownApp) failure('permission denied');
  if (!isApp && target !== world.unitName && !relation.data[target] && !relation.formerUnitsUnknown) {
    failure(`cannot read settings for unit "${target}" in relation "${relation.key ?? `${relation.endpoint}:${relation.id}`}": unit "${target}": settings not found`);
  }
  const bag: Record<string, string> = { ...(relation.data[target] ?? {}) };
  if (target === world.unitName || target === ownApp) {
    for (const write of world.changes.relationSets) if (write.relationId === relation.id && write.bag === target) Object.assign(bag, write.data);
    for (const [key, value] of Object.entries(bag)) if (value === '') delete bag[key];
  }
  const key = positional[0];
  return ok(writeOutput(key && key !== '-' ? (bag[key] ?? null) : bag, options, world.files));
};

/**
 * `relation-set [-r <id>] [--app] [--file <yaml>|-] [key=value …]`: transactional; the
 * arguments override the file; `--app` is the leader's (relation-set.go).
 */
export const relationSet: JujucTool = (argv, stdin, world) => {
  const { options, positional } = parseArgs(argv, { ...RELATION_OPTIONS, app: 'bool', file: 'value', format: 'value' });
  const relation = relationFor(world, options);
  const file = optionText(options, 'file');
  const data = { ...(file === undefined ? {} : settingsMap(readArgumentFile(file, stdin, world.files))), ...keyValues(positional) };
  if (options.app && !world.isLeader()) failure('cannot write relation settings');
  if (JSON.stringify(data).length > MAX_SETTINGS) failure('relation settings exceed the 16 MiB limit');
  world.changes.relationSets.push({ relationId: relation.id, bag: options.app ? appOf(world.unitName) : world.unitName, data });
  return ok();
};
