import { checkEmpty, parseArgs } from './args.js';
import { OUTPUT_OPTIONS, writeOutput } from './output.js';
import { ok, usage } from './result.js';
import type { JujucTool } from './world.js';

/** `open-port` / `close-port <port>[/<protocol>] | <from>-<to>[/<protocol>] | icmp [--endpoints a,b]`: transactional. */
function portTool(action: 'open' | 'close'): JujucTool {
  return (argv, _stdin, world) => {
    const { positional } = parseArgs(argv, { endpoints: 'value' });
    if (positional.length === 0) usage('no port or range specified');
    checkEmpty(positional, 1);
    const text = positional[0]!.toLowerCase();
    const match = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp))?$/.exec(text);
    if (text !== 'icmp' && !match) usage(`invalid port or range "${positional[0]}"`);
    const port = text === 'icmp' ? 'icmp' : `${match![1]}${match![2] ? `-${match![2]}` : ''}/${match![3] ?? 'tcp'}`;
    world.changes.ports.push({ action, port });
    return ok();
  };
}

/** `open-port`. */
export const openPort = /* @__PURE__ */ portTool('open');
/** `close-port`. */
export const closePort = /* @__PURE__ */ portTool('close');

/** `opened-ports [--endpoints]`: the committed ports, as `9000/tcp`. */
export const openedPorts: JujucTool = (argv, _stdin, world) => {
  const { options, positional } = parseArgs(argv, { ...OUTPUT_OPTIONS, endpoints: 'bool' });
  checkEmpty(positional);
  return ok(writeOutput([...world.openedPorts()], options, world.files));
};
