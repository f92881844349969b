import { checkEmpty, parseArgs } from './args.js';
import { failure, ok, usage } from './result.js';
import { appOf, type JujucTool } from './world.js';

/** `resource-get <name>`: the file's path, with no newline (resource-get.go). */
export const resourceGet: JujucTool = (argv, _stdin, world) => {
  const { positional } = parseArgs(argv, {});
  if (positional.length === 0) usage('missing required resource name');
  checkEmpty(positional, 1);
  const name = positional[0]!;
  // A charm's resource names are single plain words (checked with its metadata); a name
  // that could be read as a path is never handed to the world, which builds paths from it.
  const plain = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name) && !name.includes('..');
  const path = plain ? world.resourcePath(name) : undefined;
  if (path === undefined) return failure(`could not download resource: resource#${appOf(world.unitName)}/${JSON.stringify(name).slice(1, -1)} not found`);
  return ok(path);
};
