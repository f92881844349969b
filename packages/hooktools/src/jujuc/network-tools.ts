import { checkEmpty, parseArgs } from './args.js';
import { OUTPUT_OPTIONS, writeOutput } from './output.js';
import { failure, ok, usage } from './result.js';
import type { JujucTool } from './world.js';

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
  const full = {
    'bind-addresses': [{ 'mac-address': '', 'interface-name': 'eth0', addresses: [{ hostname: '', value: address, cidr, address }] }],
    'egress-subnets': [`${address}/32`],
    'ingress-addresses': [address],
  };
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

/** `goal-state [--format yaml|json]`: yaml by default, no smart. */
export const goalState: JujucTool = (argv, _stdin, world) => {
  const { options, positional } = parseArgs(argv, OUTPUT_OPTIONS);
  checkEmpty(positional);
  return ok(writeOutput(world.goalState(), options, world.files, ['yaml', 'json']));
};
