import { checkEmpty, parseArgs } from './args.js';
import { ALL_FORMATS, OUTPUT_OPTIONS, outputFormat, writeOutput } from './output.js';
import { failure, ok, usage } from './result.js';
import type { JujucTool, StatusValue } from './world.js';

const SETTABLE = ['maintenance', 'blocked', 'waiting', 'active'];

/** `status-set [--application] <status> [message]`: immediate (status-set.go). */
export const statusSet: JujucTool = (argv, _stdin, world) => {
  const { options, positional } = parseArgs(argv, { application: 'bool', service: 'bool' });
  if (positional.length === 0) usage('invalid args, require <status> [message]');
  if (!SETTABLE.includes(positional[0]!)) usage(`invalid status "${positional[0]}", expected one of [${SETTABLE.join(' ')}]`);
  checkEmpty(positional, 2);
  const application = Boolean(options.application || options.service);
  if (application && !world.isLeader()) failure('this unit is not the leader');
  world.setStatus({ status: positional[0]!, message: positional[1] ?? '' }, application);
  return ok();
};

/**
 * `status-get [--include-data] [--application]`. Without --include-data in the smart
 * format, only the status word; otherwise a map, with `message` and `status-data` only
 * under --include-data, and for --application each unit's under `units`
 * (juju/juju worker/uniter/runner/jujuc/status-get.go, `toDetails`).
 */
export const statusGet: JujucTool = (argv, _stdin, world) => {
  const { options, positional } = parseArgs(argv, { ...OUTPUT_OPTIONS, 'include-data': 'bool', application: 'bool' });
  checkEmpty(positional);
  const format = outputFormat(options, ALL_FORMATS);
  const includeData = Boolean(options['include-data']);
  const details = (value: StatusValue) => (includeData ? { status: value.status, message: value.message, 'status-data': {} } : { status: value.status });
  if (options.application) {
    if (!world.isLeader()) failure('finding application status: this unit is not the leader');
    const app = world.applicationStatus();
    if (!includeData && format === 'smart') return ok(writeOutput(app.status, options, world.files));
    const units = Object.fromEntries(Object.entries(app.units).map(([name, value]) => [name, details(value)]));
    return ok(writeOutput({ 'application-status': { ...details(app), units } }, options, world.files));
  }
  const unit = world.unitStatus();
  if (!includeData && format === 'smart') return ok(writeOutput(unit.status, options, world.files));
  return ok(writeOutput(details(unit), options, world.files));
};

/** `application-version-set <new-version>` (application-version-set.go). */
export const applicationVersionSet: JujucTool = (argv, _stdin, world) => {
  const { positional } = parseArgs(argv, {});
  if (positional.length === 0) usage('no version specified');
  checkEmpty(positional, 1);
  world.setApplicationVersion(positional[0]!);
  return ok();
};
