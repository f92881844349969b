import { checkEmpty, keyValues, parseArgs } from './args.js';
import { OUTPUT_OPTIONS, writeOutput } from './output.js';
import { failure, ok, usage } from './result.js';
import type { JujucTool } from './world.js';

/** `is-leader`: True/False (smart), true/false (json). */
export const isLeader: JujucTool = (argv, _stdin, world) => {
  const { options, positional } = parseArgs(argv, OUTPUT_OPTIONS);
  checkEmpty(positional);
  return ok(writeOutput(world.isLeader(), options, world.files));
};

/** `leader-get [<key>|-]` (leader-get.go): a key with `=` is refused. */
export const leaderGet: JujucTool = (argv, _stdin, world) => {
  const { options, positional } = parseArgs(argv, OUTPUT_OPTIONS);
  checkEmpty(positional, 1);
  const key = positional[0];
  if (key?.includes('=')) usage(`invalid key "${key}"`);
  const settings = world.leaderSettings();
  return ok(writeOutput(key && key !== '-' ? (settings[key] ?? null) : settings, options, world.files));
};

/**
 * `leader-set <key>=<value> …`: immediate; an empty value deletes the key. The
 * arguments are checked (Init, exit 2) before leadership (Run, exit 1), as
 * juju/juju worker/uniter/runner/jujuc/leader-set.go does.
 */
export const leaderSet: JujucTool = (argv, _stdin, world) => {
  const { positional } = parseArgs(argv, {});
  const changes = keyValues(positional);
  if (!world.isLeader()) failure('cannot write leadership settings: cannot write settings: not the leader');
  const settings = { ...world.leaderSettings() };
  for (const [key, value] of Object.entries(changes)) {
    if (value === '') delete settings[key];
    else settings[key] = value;
  }
  world.setLeaderSettings(settings);
  return ok();
};
