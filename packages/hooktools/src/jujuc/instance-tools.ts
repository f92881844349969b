import { checkEmpty, keyValues, parseArgs } from './args.js';
import { OUTPUT_OPTIONS, writeOutput } from './output.js';
import { failure, ok, usage } from './result.js';
import type { JujucTool } from './world.js';

/**
 * `credential-get`: the model's cloud spec, for an application trusted with it
 * (credential-get.go); the controller refuses any other (`permission denied`).
 */
export const credentialGet: JujucTool = (argv, _stdin, world) => {
  const { options, positional } = parseArgs(argv, OUTPUT_OPTIONS);
  checkEmpty(positional);
  const spec = world.cloudSpec?.();
  if (!spec) return failure('cannot access cloud credentials: permission denied');
  return ok(writeOutput(spec, options, world.files));
};

/**
 * `add-metric [-l <labels>] <key>=<value> …` (add-metric.go): empty values refused;
 * `juju-` keys are Juju's own; outside collect-metrics the hook context takes no
 * metrics (`metrics not allowed in this context`).
 */
export const addMetric: JujucTool = (argv, _stdin, world) => {
  const { positional } = parseArgs(argv, { l: 'value', labels: 'value' });
  if (positional.length === 0) usage('no metrics specified');
  const metrics = keyValues(positional, false);
  for (const key of Object.keys(metrics)) {
    if (key.startsWith('juju-')) failure(`${key} uses a reserved prefix`);
    failure('cannot record metric: metrics not allowed in this context');
  }
  return ok();
};

/**
 * `juju-reboot [--now]` (reboot.go): refused in an action; in a hook Juju reboots the
 * machine once the hook ends (with --now, at once, running the hook again after). A
 * Kubernetes unit has no machine of its own: the local model notes the request in the
 * log and goes on.
 */
export const jujuReboot: JujucTool = (argv, _stdin, world) => {
  const { options, positional } = parseArgs(argv, { now: 'bool' });
  checkEmpty(positional);
  if (world.action()) failure('juju-reboot is not supported when running an action.');
  world.log('WARNING', `juju-reboot${options.now ? ' --now' : ''}: the local model has no machine to reboot; the request is ignored`);
  return ok();
};
