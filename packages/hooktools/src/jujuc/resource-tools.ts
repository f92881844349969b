import { checkEmpty, parseArgs } from './args.js';
import { failure, ok, usage } from './result.js';
import { appOf, type JujucTool } from './world.js';

/** `resource-get <name>`: the file's path, with no newline (resource-get.go). */
export const resourceGet: JujucTool = (argv, _stdin, world) => {
  const { positional } = parseArgs(argv, {});
  if (positional.length === 0) usage('missing required resource name');
  checkEmpty(positional, 1);
  const name = positional[0]!;
  const path = world.resourcePath(name);
  if (path === undefined) return failure(`could not download resource: resource#${appOf(world.unitName)}/${name} not found`);
  return ok(path);
};
