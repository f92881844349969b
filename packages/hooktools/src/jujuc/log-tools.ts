import { optionText, parseArgs } from './args.js';
import { ok, usage } from './result.js';
import type { JujucTool } from './world.js';

// loggo.ParseLevel: case-insensitive, WARN for WARNING.
const LEVELS: Readonly<Record<string, string>> = {
  TRACE: 'TRACE',
  DEBUG: 'DEBUG',
  INFO: 'INFO',
  WARN: 'WARNING',
  WARNING: 'WARNING',
  ERROR: 'ERROR',
  CRITICAL: 'CRITICAL',
};

/**
 * `juju-log [--debug] [-l|--log-level <level>] <message…>`: the arguments joined with
 * spaces; an invalid level is a warning and the message goes out at INFO; in a relation
 * hook the message starts with `<endpoint>:<id>: ` (juju-log.go).
 */
export const jujuLog: JujucTool = (argv, _stdin, world) => {
  const { options, positional } = parseArgs(argv, { debug: 'bool', l: 'value', 'log-level': 'value', format: 'value' });
  if (positional.length === 0) usage('no message specified');
  // juju-log.go prints the warning with no newline.
  const stderr = options.format ? '--format flag deprecated for command "juju-log"' : '';
  const given = optionText(options, 'log-level', 'l') ?? 'INFO';
  let level = options.debug ? 'DEBUG' : LEVELS[given.toUpperCase()];
  if (level === undefined) {
    world.log('WARNING', `Specified log level of "${given}" is not valid`);
    level = 'INFO';
  }
  const relation = world.relations().find((r) => r.id === world.hook.relationId);
  const prefix = relation ? `${relation.endpoint}:${relation.id}: ` : '';
  world.log(level, `${prefix}${positional.join(' ')}`);
  return ok('', stderr);
};
