import { checkEmpty, parseArgs } from './args.js';
import { OUTPUT_OPTIONS, writeOutput } from './output.js';
import { ok, usage } from './result.js';
import type { JujucTool } from './world.js';

/**
 * `config-get [--all] [<key>]`: one value (an unknown key prints nothing, or `null`), or
 * the map of options that have a value or a default; `--all` keeps the others as null
 * (config-get.go).
 */
export const configGet: JujucTool = (argv, _stdin, world) => {
  const { options, positional } = parseArgs(argv, { ...OUTPUT_OPTIONS, all: 'bool', a: 'bool' });
  checkEmpty(positional, 1);
  const all = Boolean(options.all || options.a);
  const key = positional[0];
  if (all && key) usage(`cannot use argument --all together with key "${key}"`);
  const config = world.config();
  if (key) return ok(writeOutput(config[key] ?? null, options, world.files));
  const shown = all ? config : Object.fromEntries(Object.entries(config).filter(([, value]) => value !== null && value !== undefined));
  return ok(writeOutput(shown, options, world.files));
};
