import { checkEmpty, parseArgs } from './args.js';
import { OUTPUT_OPTIONS, writeOutput } from './output.js';
import { failure, ok, usage } from './result.js';
import type { JujucAction, JujucTool, JujucWorld } from './world.js';

const RESERVED = ['stdout', 'stdout-encoding', 'stderr', 'stderr-encoding'];
const KEY = /^[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?$/;

/** The running action; every action tool fails outside one. */
function running(world: JujucWorld): JujucAction {
  const action = world.action();
  if (!action) return failure('not running an action');
  return action;
}

/** `action-get [<key>[.<key>…]]`: the parameters, or one of them (a missing one prints nothing). */
export const actionGet: JujucTool = (argv, _stdin, world) => {
  const { options, positional } = parseArgs(argv, OUTPUT_OPTIONS);
  checkEmpty(positional, 1);
  const action = running(world);
  let value: unknown = action.params;
  for (const part of positional[0] ? positional[0].split('.') : []) {
    value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
  }
  return ok(writeOutput(value ?? null, options, world.files));
};

/** `action-set <key>=<value> …`: dotted keys nest (`a.b=1` → `{a: {b: "1"}}`); values are strings. */
export const actionSet: JujucTool = (argv, _stdin, world) => {
  const { positional } = parseArgs(argv, {});
  const pairs = positional.map((argument) => {
    const at = argument.indexOf('=');
    if (at <= 0) usage(`argument "${argument}" must be of the form key...=value`);
    const key = argument.slice(0, at);
    // action-set.go Init: each segment of the dotted key is checked, for its form and then
    // against the reserved keys (so `a.stdout` is refused as `stdout` is).
    for (const part of key.split('.')) {
      if (!KEY.test(part)) usage(`key "${part}" must start and end with lowercase alphanumeric, and contain only lowercase alphanumeric, hyphens and periods`);
      if (RESERVED.includes(part)) usage(`cannot set reserved action key "${part}"`);
    }
    return [key.split('.'), argument.slice(at + 1)] as const;
  });
  const action = running(world);
  for (const [path, value] of pairs) {
    let node = action.results;
    for (const part of path.slice(0, -1)) {
      const next = node[part];
      node = (next !== null && typeof next === 'object' ? next : (node[part] = {})) as Record<string, unknown>;
    }
    node[path.at(-1)!] = value;
  }
  return ok();
};

/** `action-fail [<message>]`: marks the action failed; the hook goes on; the last call wins. */
export const actionFail: JujucTool = (argv, _stdin, world) => {
  const { positional } = parseArgs(argv, {});
  checkEmpty(positional, 1);
  running(world).failed = positional[0] || 'action failed without reason given, check action for errors';
  return ok();
};

/** `action-log <message…>`. */
export const actionLog: JujucTool = (argv, _stdin, world) => {
  const { positional } = parseArgs(argv, {});
  if (positional.length === 0) usage('no message specified');
  running(world).log.push(positional.join(' '));
  return ok();
};
