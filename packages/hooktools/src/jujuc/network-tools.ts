import { checkEmpty, parseArgs } from './args.js';
import { goStruct, OUTPUT_OPTIONS, writeOutput } from './output.js';
import { failure, ok, usage } from './result.js';
import type { GoalStateData, JujucTool } from './world.js';

const SELECTORS = ['bind-address', 'ingress-address', 'egress-subnets', 'primary-address'] as const;

/**
 * `network-get [-r <id>] [--bind-address] [--ingress-address] [--egress-subnets]
 * [--primary-address] <binding>`: the full record, one selected value, or a map of several.
 */
export const networkGet: JujucTool = (argv, _stdin, world) => {
  const { options, positional } = parseArgs(argv, {
    ...OUTPUT_OPTIONS,
    r: 'value',
    relation: 'value',
    ...Object.fromEntries(SELECTORS.map((name) => [name, 'bool' as const])),
  });
  if (positional.length === 0) usage('no arguments specified');
  checkEmpty(positional, 1);
  if (!world.bindings().includes(positional[0]!)) failure(`no network config found for binding "${positional[0]}"`);
  const { address, cidr } = world.network();
  // Structs in Juju (params.NetworkInfoResult): their fields keep this order.
  const full = goStruct({
    'bind-addresses': [goStruct({ 'mac-address': '', 'interface-name': 'eth0', addresses: [goStruct({ hostname: '', value: address, cidr, address })] })],
    'egress-subnets': [`${address}/32`],
    'ingress-addresses': [address],
  });
  const selected = { 'bind-address': address, 'ingress-address': address, 'egress-subnets': [`${address}/32`], 'primary-address': address };
  const asked = SELECTORS.filter((name) => options[name]);
  const value = asked.length === 0 ? full : asked.length === 1 ? selected[asked[0]!] : Object.fromEntries(asked.map((name) => [name, selected[name]]));
  return ok(writeOutput(value, options, world.files));
};

/** `unit-get private-address|public-address` (deprecated in Juju for network-get). */
export const unitGet: JujucTool = (argv, _stdin, world) => {
  const { options, positional } = parseArgs(argv, OUTPUT_OPTIONS);
  if (positional.length === 0) usage('no setting specified');
  if (!['private-address', 'public-address'].includes(positional[0]!)) usage(`unknown setting "${positional[0]}"`);
  checkEmpty(positional, 1);
  return ok(writeOutput(world.network().address, options, world.files));
};

/** A time as Juju's `common.FormatTime(t, true)` prints it: UTC, a space for the T, whole seconds. */
function goalTime(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

/**
 * `goal-state [--format yaml|json]`: yaml by default, no smart (goal-state.go). A struct
 * of `units` (the unit's application) and `relations` (by local endpoint: the remote
 * application with the relation's status, and its units), each entry `{status, since}`
 * with `since` left out when unknown.
 */
export const goalState: JujucTool = (argv, _stdin, world) => {
  const { options, positional } = parseArgs(argv, OUTPUT_OPTIONS);
  checkEmpty(positional);
  const data = world.goalState();
  const entries = (units: GoalStateData['units']) =>
    Object.fromEntries(Object.entries(units).map(([name, { status, since }]) => [name, goStruct({ status, ...(since ? { since: goalTime(since) } : {}) })]));
  const document = goStruct({
    units: entries(data.units),
    relations: Object.fromEntries(Object.entries(data.relations).map(([endpoint, units]) => [endpoint, entries(units)])),
  });
  return ok(writeOutput(document, options, world.files, ['yaml', 'json']));
};
