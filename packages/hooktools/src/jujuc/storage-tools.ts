import { checkEmpty, optionText, parseArgs } from './args.js';
import { OUTPUT_OPTIONS, writeOutput } from './output.js';
import { failure, ok, usage } from './result.js';
import { parseStorageDirectives, type StorageDirective } from './storage-directives.js';
import type { JujucTool, JujucWorld } from './world.js';

// names.IsValidStorage: a storage name, a slash, a number.
const STORAGE_ID = /^[a-z][a-z0-9]*(?:-[a-z0-9]*[a-z][a-z0-9]*)*\/\d+$/;

/** The unit's storage attachments by id (`data/0`); a world without storage has none. */
function attachments(world: JujucWorld): Readonly<Record<string, { readonly kind: string; readonly location: string }>> {
  return world.storage?.() ?? {};
}

/**
 * `storage-get [-s <id>] [<key>]`: the attachment's `kind` and `location`, or one of
 * them (storage-get.go). `-s` defaults to the hook's storage; an id the unit has no
 * attachment for is refused while the options are read (storage-id.go), as the state
 * names it (`storage attachment data/0:kv/0 not found`).
 */
export const storageGet: JujucTool = (argv, _stdin, world) => {
  const { options, positional } = parseArgs(argv, { ...OUTPUT_OPTIONS, s: 'value' });
  const given = optionText(options, 's');
  if (given !== undefined) {
    if (!STORAGE_ID.test(given)) usage(`invalid value "${given}" for option -s: invalid storage ID "${given}"`);
    if (!attachments(world)[given]) usage(`invalid value "${given}" for option -s: storage attachment ${given}:${world.unitName} not found`);
  }
  const id = given ?? world.hook.storageId;
  if (!id) return usage('no storage instance specified');
  checkEmpty(positional, 1);
  const attachment = attachments(world)[id];
  if (!attachment) return failure(`storage attachment ${id}:${world.unitName} not found`);
  const values = { kind: attachment.kind, location: attachment.location };
  const key = positional[0];
  if (!key) return ok(writeOutput(values, options, world.files));
  if (!Object.hasOwn(values, key)) failure(`invalid storage attribute "${key}"`);
  return ok(writeOutput(values[key as keyof typeof values], options, world.files));
};

/** `storage-list [<storage-name>]`: the ids of the unit's attachments, sorted (storage-list.go). */
export const storageList: JujucTool = (argv, _stdin, world) => {
  const { options, positional } = parseArgs(argv, OUTPUT_OPTIONS);
  checkEmpty(positional, 1);
  const name = positional[0];
  const ids = Object.keys(attachments(world))
    .filter((id) => !name || id.split('/')[0] === name)
    .sort();
  return ok(writeOutput(ids, options, world.files));
};

/**
 * `storage-add <name>[=<count>] …`: asks for more storage instances, which Juju adds when
 * the hook succeeds (storage-add.go: the directives parsed by ParseConstraintsMap, only a
 * count allowed; the request is sent with the hook's other changes at commit, where an
 * unknown store or a count over the charm's maximum fails the hook).
 */
export const storageAdd: JujucTool = (argv, _stdin, world) => {
  const { positional } = parseArgs(argv, {});
  if (positional.length === 0) usage('storage add requires a storage directive');
  let directives: StorageDirective[];
  try {
    directives = parseStorageDirectives(positional);
  } catch (error) {
    return usage((error as Error).message);
  }
  const asked = directives.find((d) => d.pool !== undefined || d.size !== undefined);
  if (asked) usage(`only count can be specified for ${JSON.stringify(asked.name)}`);
  for (const { name, count } of directives) world.changes.storage.push({ name, count });
  return ok();
};
