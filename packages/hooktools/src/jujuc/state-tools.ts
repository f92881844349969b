import { checkEmpty, keyValues, optionText, parseArgs } from './args.js';
import { readArgumentFile, settingsMap } from './files.js';
import { OUTPUT_OPTIONS, outputFormat, writeOutput } from './output.js';
import { failure, ok } from './result.js';
import type { JujucTool, JujucWorld } from './world.js';

// quota.MaxCharmStateKeySize and MaxCharmStateValueSize.
const MAX_KEY = 256;
const MAX_VALUE = 64 * 1024;

/** The unit's controller-side state as this hook sees it: committed, then its own writes. */
function currentState(world: JujucWorld): Record<string, string> {
  const state = { ...world.controllerState() };
  for (const [key, value] of Object.entries(world.changes.state)) {
    if (value === null) delete state[key];
    else state[key] = value;
  }
  return state;
}

/**
 * `state-get [--strict] [<key>|-]` (state-get.go): a missing key is an empty string (so
 * nothing in the smart format, `""` in json), or `"<key>" not found` with --strict; the
 * whole state when empty is a nil map: `{}` in smart and yaml, `null` in json.
 */
export const stateGet: JujucTool = (argv, _stdin, world) => {
  const { options, positional } = parseArgs(argv, { ...OUTPUT_OPTIONS, strict: 'bool' });
  checkEmpty(positional, 1);
  const state = currentState(world);
  const key = positional[0];
  if (!key || key === '-') {
    if (Object.keys(state).length > 0) return ok(writeOutput(state, options, world.files));
    return ok(outputFormat(options) === 'json' ? writeOutput(null, options, world.files) : writeOutput({}, options, world.files));
  }
  if (!Object.hasOwn(state, key) && options.strict) failure(`"${key}" not found`);
  return ok(writeOutput(state[key] ?? '', options, world.files));
};

/** `state-set [--file <yaml>|-] [key=value …]`: transactional; the arguments override the file (state-set.go). */
export const stateSet: JujucTool = (argv, stdin, world) => {
  const { options, positional } = parseArgs(argv, { file: 'value' });
  const overrides = keyValues(positional);
  const file = optionText(options, 'file');
  const data = { ...(file === undefined ? {} : settingsMap(readArgumentFile(file, stdin, world.files))), ...overrides };
  for (const [key, value] of Object.entries(data)) {
    if (Buffer.byteLength(key) > MAX_KEY) failure(`key "${key.slice(0, 20)}…" exceeds the ${MAX_KEY} byte limit`);
    if (Buffer.byteLength(value) > MAX_VALUE) failure(`value for key "${key}" exceeds the ${MAX_VALUE} byte limit`);
    world.changes.state[key] = value;
  }
  return ok();
};

/**
 * `state-delete <key>`: transactional. With no key it does nothing and succeeds, as
 * juju/juju worker/uniter/runner/jujuc/state-delete.go does (`Init` accepts no
 * arguments; `Run` returns when the key is empty).
 */
export const stateDelete: JujucTool = (argv, _stdin, world) => {
  const { positional } = parseArgs(argv, {});
  checkEmpty(positional, 1);
  if (positional[0]) world.changes.state[positional[0]] = null;
  return ok();
};
