import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { CliError } from '../cli-error.js';
import { openModel } from './open-model.js';

// The action commands of the local model, after Juju 2.9's `juju actions`, `juju run-action`
// and `juju show-action-output` (cmd/juju/action/; docs/explanation/juju-actions-and-storage.md
// §2). They print what Juju prints, so they open the model without the per-hook progress
// lines: the hooks that run before the action are in `charms timeline` and `charms log`.

/** Juju's rule for an action name and for each segment of a run-action key (actionNameRule). */
const KEY_SEGMENT = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
/** The exit status of `run-action --wait` whose action failed (docs/reference/cli.md). */
const EXIT_ACTION_FAILED = 2;

/** Sets `path` in `map` as Juju's addValueToMap does: a non-map on the way is replaced by a map. */
function addValueToMap(map: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = map;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    node = (next !== null && typeof next === 'object' && !Array.isArray(next) ? next : (node[key] = {})) as Record<string, unknown>;
  }
  node[path.at(-1)!] = value;
}

/**
 * run-action's params: the `--params` file's map, then each `a.b=value` argument over it
 * (YAML 1.1 values, as Juju's yaml.v2, unless `stringArgs`), with Juju's texts.
 * @throws CliError `INVALID_ARGUMENT` before the model is opened.
 */
export async function actionParams(args: readonly string[], options: { params?: string; stringArgs?: boolean }): Promise<Record<string, unknown>> {
  const YAML = await import('yaml');
  const parse = (text: string): unknown => {
    try {
      return YAML.parse(text, { version: '1.1' });
    } catch (error) {
      throw new CliError('INVALID_ARGUMENT', `yaml: ${(error as Error).message.split('\n')[0]}`, { cause: error });
    }
  };
  const split = args.map((arg) => {
    const at = arg.indexOf('=');
    if (at <= 0) throw new CliError('INVALID_ARGUMENT', `argument "${arg}" must be of the form key...=value`);
    const path = arg.slice(0, at).split('.');
    for (const segment of path) {
      if (!KEY_SEGMENT.test(segment)) throw new CliError('INVALID_ARGUMENT', `key "${segment}" must start and end with lowercase alphanumeric, and contain only lowercase alphanumeric and hyphens`);
    }
    return { path, text: arg.slice(at + 1) };
  });
  let params: Record<string, unknown> = {};
  if (options.params !== undefined) {
    let text: string;
    try {
      text = readFileSync(resolve(options.params), 'utf8');
    } catch (error) {
      throw new CliError('INVALID_ARGUMENT', `open ${options.params}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
    }
    const document = parse(text);
    if (document === null || typeof document !== 'object' || Array.isArray(document)) throw new CliError('INVALID_ARGUMENT', 'params must contain a YAML map with string keys');
    params = document as Record<string, unknown>;
  }
  for (const { path, text } of split) addValueToMap(params, path, options.stringArgs ? text : parse(text));
  return params;
}

/** YAML as Juju's CLI prints it: keys sorted, numeric-looking strings quoted. */
async function yaml(value: unknown): Promise<string> {
  const YAML = await import('yaml');
  return YAML.stringify(value, { sortMapEntries: true });
}

/** The `unit-<app>-<n>` tag of a unit name. */
function unitTag(unit: string): string {
  return `unit-${unit.replace('/', '-')}`;
}

export function addActionCommands(program: Command): void {
  program
    .command('actions')
    .description('list the actions of an application’s charm, as juju actions')
    .argument('<app>')
    .action(async (app: string) => {
      const model = await openModel(program);
      const actions = model.actions(app);
      if (actions.length === 0) {
        process.stdout.write(`No actions defined for ${app}.\n`);
        return;
      }
      const width = Math.max('Action'.length, ...actions.map((a) => a.name.length));
      process.stdout.write(`${'Action'.padEnd(width)}  Description\n`);
      for (const action of actions) process.stdout.write(`${action.name.padEnd(width)}  ${action.description}\n`);
    });

  program
    .command('run-action')
    .description('queue an action on a unit and run it, as juju run-action')
    .argument('<unit>')
    .argument('<action>')
    .argument('[params...]', 'key=value, a.b=value for nested keys')
    .option('--params <file>', 'a YAML file of params (the key=value arguments win)')
    .option('--string-args', 'take every value as a string (no YAML parsing)')
    .option('--wait', 'print the action’s output, as show-action-output, instead of its id')
    .action(async (unit: string, name: string, args: string[], options: { params?: string; stringArgs?: boolean; wait?: boolean }) => {
      if (!KEY_SEGMENT.test(name)) throw new CliError('INVALID_ARGUMENT', `invalid unit or action name "${name}"`);
      const params = await actionParams(args, options);
      const model = await openModel(program);
      const action = await model.runAction(unit, name, params);
      if (!options.wait) {
        process.stdout.write(await yaml({ 'Action queued with id': action.id }));
        return;
      }
      const { actionOutput } = await import('@charms/model/internal');
      process.stdout.write(await yaml({ [unitTag(action.unit)]: actionOutput(action) }));
      if (action.status !== 'completed') process.exitCode = EXIT_ACTION_FAILED;
    });

  program
    .command('show-action-output')
    .description('an action’s status, results and timing, as juju show-action-output')
    .argument('<id>')
    .option('--format <format>', 'yaml or json', 'yaml')
    .action(async (id: string, options: { format: string }) => {
      if (options.format !== 'yaml' && options.format !== 'json') throw new CliError('UNKNOWN_FORMAT', `unknown format "${options.format}": use yaml or json`);
      const model = await openModel(program);
      const { actionOutput } = await import('@charms/model/internal');
      const output = actionOutput(model.action(id));
      process.stdout.write(options.format === 'json' ? `${JSON.stringify(output)}\n` : await yaml(output));
    });
}
