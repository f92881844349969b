import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { HookReport, LocalModel } from '@charms/model';
import type { HookTraceRecord } from '@charms/runtime/internal';
import { Option, type Command } from 'commander';
import pc from 'picocolors';
import { CliError } from '../cli-error.js';
import { collectConfigKey, collectPair, nameArgument } from './name-arguments.js';
import { progress, reportFailures } from './hook-reports.js';
import { modelDir, openModel } from './open-model.js';
import { configFile, configPairs, hookIndex, LOG_LEVELS, logLevel, pairs, unitCount } from './model-arguments.js';

// The model, the build and the tools are loaded by the commands that use them, so that
// `charms --help` or `charms status` does not load the bundler or the Kubernetes schemas.

async function open(program: Command, quiet = false): Promise<LocalModel> {
  return openModel(program, quiet ? undefined : progress);
}

/**
 * Builds a charm source folder first; a built folder or a `.charm` is used as it is.
 * @throws CliError `INVALID_ARGUMENT` when `source` does not exist.
 */
async function builtCharm(source: string): Promise<{ dir: string; name?: string }> {
  const dir = resolve(source);
  const found = statSync(dir, { throwIfNoEntry: false });
  if (!found) throw new CliError('INVALID_ARGUMENT', `${source}: no such file or folder: give a charm source folder, a built charm folder or a .charm file`);
  if (!found.isDirectory() || existsSync(join(dir, 'dispatch'))) return { dir };
  const { buildCharm } = await import('../charm-build.js');
  const summary = await buildCharm({ charmDir: dir });
  return { dir: summary.outDir, name: summary.name };
}

async function printStatus(model: LocalModel, apps: readonly string[] = []): Promise<void> {
  const { statusTable } = await import('@charms/model');
  process.stdout.write(`\n${statusTable(model.status(), model.relations())}`);
  for (const app of apps) {
    const manifests = model.manifestsPath(app);
    if (manifests) process.stdout.write(`\nManifests for ${app}: ${relative(process.cwd(), manifests) || manifests} (kubectl apply -f)\n`);
  }
}

/**
 * The trace of hook `index` among a unit's recorded `hooks` (default: the last; negative
 * counts from the end), for `charms explain`.
 * @throws ModelError `NOT_FOUND` when the unit has run no hook, has none of that index, or
 *   the hook left no trace; `MODEL_CORRUPT` when its trace file cannot be read.
 */
export async function hookTrace(hooks: readonly { index: number; hook: string; trace?: string }[], unit: string, index?: number): Promise<{ index: number; record: HookTraceRecord }> {
  const { ModelError } = await import('@charms/model');
  if (hooks.length === 0) throw new ModelError('NOT_FOUND', `unit ${unit} has run no hook`);
  const hook = hooks[index === undefined ? hooks.length - 1 : index < 0 ? hooks.length + index : index];
  if (!hook) throw new ModelError('NOT_FOUND', `unit ${unit} has no hook ${index}; its hooks:`, hooks.map((h) => `${h.index} ${h.hook}`));
  if (!hook.trace) throw new ModelError('NOT_FOUND', `hook ${hook.index} (${hook.hook}) of ${unit} left no trace: the charm did not run the charms.ts runtime`);
  try {
    return { index: hook.index, record: JSON.parse(readFileSync(hook.trace, 'utf8')) as HookTraceRecord };
  } catch (error) {
    throw new ModelError('MODEL_CORRUPT', `cannot read the trace of hook ${hook.index} (${hook.hook}) of ${unit} in ${hook.trace}: ${(error as Error).message}`);
  }
}

/** Adds the local model's commands to the charms program. */
export function addModelCommands(program: Command): void {
  program
    .command('deploy')
    .description('deploy a charm on the local model (a source folder is built first; a .charm is unpacked)')
    .argument('<charm>', 'a charm source folder, a built charm folder, or a .charm file')
    .option('--app <name>', 'the application name (default: the charm name)', nameArgument('application'))
    .option('--config <key=value>', 'a config value (repeatable); key=@path takes it from a file', collectPair('--config', 'config'), [])
    .option('--resource <name=image>', 'an oci-image resource (repeatable)', collectPair('--resource', 'resource'), [])
    .option('-n, --num-units <n>', 'how many units', unitCount, 1)
    .option('--timings', 'print where the time went')
    .option('--run-workloads', "a sidecar charm: its units' Pebble runs the services' commands on this machine (only while a command of the model runs)")
    .action(async (source: string, options: { app?: string; config: string[]; resource: string[]; numUnits: number; timings?: boolean; runWorkloads?: boolean }) => {
      // Every value read first: a bad one builds and changes nothing.
      const config = configPairs(options.config, '--config');
      const resources = pairs(options.resource, '--resource');
      const timings: [string, number][] = [];
      let started = performance.now();
      const { dir: built, name } = await builtCharm(source);
      if (name !== undefined) {
        process.stdout.write(`${pc.green('built')} ${name} → ${relative(process.cwd(), built)}\n`);
        timings.push(['build', performance.now() - started]);
      }
      started = performance.now();
      const model = await open(program);
      timings.push(['open model', performance.now() - started]);
      process.stdout.write(`${pc.bold('deploying')} ${options.app ?? source}\n`);
      started = performance.now();
      const reports = await model.deploy(built, { app: options.app, config, resources, units: options.numUnits, ...(options.runWorkloads ? { runWorkloads: true } : {}) });
      const total = performance.now() - started;
      const hooks = reports.reduce((sum, r) => sum + r.ms, 0);
      timings.push(['hooks', hooks], ['model (deploy, tools, commits)', total - hooks]);
      const app = options.app ?? Object.values(model.snapshot().apps).at(-1)?.name;
      await printStatus(model, app ? [app] : []);
      reportFailures(model, reports, app ? [app] : []);
      if (options.timings) {
        process.stdout.write('\nTimings\n');
        for (const [step, ms] of timings) process.stdout.write(`  ${step.padEnd(32)} ${(ms / 1000).toFixed(2)}s\n`);
      }
    });

  program
    .command('status')
    .description('show the model, applications and units, like juju status (Juju 2.9, Kubernetes model)')
    .addOption(new Option('--format <format>', 'tabular, json or yaml (json and yaml in the shape of juju status)').choices(['tabular', 'json', 'yaml']).default('tabular'))
    .option('--utc', 'print times in UTC (also JUJU_STATUS_ISO_TIME=true)')
    .option('--relations', "show the relations section in tabular output (json and yaml have each application's relations)")
    .action(async (options: { format: 'tabular' | 'json' | 'yaml'; utc?: boolean; relations?: boolean }) => {
      const { printModelStatus } = await import('./model-status.js');
      const dir = modelDir(program);
      const printed = await printModelStatus(dir, options);
      if (printed) return;
      // Nothing readable there: opening the model creates it, or reports the damage.
      await open(program, true);
      if (!(await printModelStatus(dir, options))) {
        const { ModelError } = await import('@charms/model');
        throw new ModelError('MODEL_CORRUPT', `cannot read the model in ${dir}: its model.json or a charm's metadata.yaml is damaged`);
      }
    });

  program
    .command('config')
    .description('show an application’s config, or change it (then config-changed runs on every unit)')
    .argument('<app>', 'the application', nameArgument('application'))
    .argument('[key=value...]', 'config values to set; key=@path takes the value from a file', collectPair('config', 'config'), [])
    .option('--reset <key>', 'back to the default (repeatable)', collectConfigKey, [])
    .option('--file <path>', 'YAML settings under the application name (app: {key: value}), as juju config --file')
    .action(async (app: string, values: string[], options: { reset: string[]; file?: string }) => {
      const settings = { ...(options.file === undefined ? {} : await configFile(options.file, app)), ...configPairs(values, 'config') };
      const model = await open(program);
      if (values.length === 0 && options.reset.length === 0 && options.file === undefined) {
        for (const [key, value] of Object.entries(model.config(app))) process.stdout.write(`${key}: ${JSON.stringify(value)}\n`);
        return;
      }
      const reports = await model.setConfig(app, settings, options.reset);
      await printStatus(model);
      reportFailures(model, reports, [app]);
    });

  program
    .command('attach-resource')
    .description('attach a new image to an oci-image resource (then upgrade-charm runs)')
    .argument('<app>', 'the application', nameArgument('application'))
    .argument('<name=image>', 'the resource and its image', (value: string) => collectPair('the resource', 'resource')(value, [])[0]!)
    .action(async (app: string, pair: string) => {
      const model = await open(program);
      const [[name, image]] = Object.entries(pairs([pair], 'the resource')) as [[string, string]];
      const reports = await model.attachResource(app, name, image);
      await printStatus(model, [app]);
      reportFailures(model, reports, [app]);
    });

  program
    .command('upgrade')
    .description('replace an application’s charm with a new build (then upgrade-charm runs)')
    .argument('<app>')
    .argument('<charm>', 'a charm source folder, a built charm folder, or a .charm file')
    .action(async (app: string, source: string) => {
      const { dir: built } = await builtCharm(source);
      const model = await open(program);
      const reports = await model.upgrade(app, built);
      await printStatus(model, [app]);
      reportFailures(model, reports, [app]);
    });

  for (const [name, description] of [
    ['relate', 'relate two applications (app or app:endpoint), with both sides’ hooks'],
    ['unrelate', 'remove a relation: departed and broken on both sides'],
  ] as const) {
    program
      .command(name)
      .description(description)
      .argument('<a>')
      .argument('<b>')
      .action(async (a: string, b: string) => {
        const model = await open(program);
        const reports = await (name === 'relate' ? model.relate(a, b) : model.unrelate(a, b));
        await printStatus(model);
        reportFailures(model, reports, [a.split(':')[0]!, b.split(':')[0]!]);
      });
  }

  program
    .command('run')
    .description('run a hook on a unit, e.g. update-status')
    .argument('<unit>')
    .argument('<hook>')
    .action(async (unit: string, hook: string) => {
      const model = await open(program);
      reportFailures(model, await model.run(unit, hook), [unit]);
    });

  program
    .command('resolve')
    .description('retry a unit’s failed hook (or skip it with --no-retry)')
    .argument('<unit>')
    .option('--no-retry', 'mark the failed hook done without running it again')
    .action(async (unit: string, options: { retry: boolean }) => {
      const model = await open(program);
      const reports = await model.resolve(unit, { retry: options.retry });
      await printStatus(model);
      reportFailures(model, reports, [unit]);
    });

  program
    .command('add-unit')
    .description('add units to an application')
    .argument('<app>')
    .option('-n, --num-units <n>', 'how many', unitCount, 1)
    .action(async (app: string, options: { numUnits: number }) => {
      const model = await open(program);
      const reports = await model.addUnit(app, options.numUnits);
      await printStatus(model);
      reportFailures(model, reports, [app]);
    });

  program
    .command('remove-unit')
    .description('remove a unit: its relations depart, then stop and remove')
    .argument('<unit>')
    .action(async (unit: string) => {
      const model = await open(program);
      const reports = await model.removeUnit(unit);
      await printStatus(model);
      reportFailures(model, reports, [unit]);
    });

  program
    .command('remove')
    .description('remove an application')
    .argument('<app>')
    .action(async (app: string) => {
      const model = await open(program);
      const reports = await model.remove(app);
      await printStatus(model);
      reportFailures(model, reports, [app]);
    });

  program
    .command('log')
    .description('what the charm logged (juju-log, stdout at DEBUG, stderr at WARNING)')
    .argument('[unit]', 'a unit or an application')
    .option('--level <level>', `the lowest level shown: ${LOG_LEVELS.join(', ')}`, logLevel, 'INFO' as const)
    .action(async (unit: string | undefined, options: { level: (typeof LOG_LEVELS)[number] }) => {
      const lowest = LOG_LEVELS.indexOf(options.level);
      const model = await open(program, true);
      const { escapeControl } = await import('@charms/model/internal');
      for (const entry of model.log(unit)) {
        if (LOG_LEVELS.indexOf(entry.level as (typeof LOG_LEVELS)[number]) < lowest) continue;
        // Escaped: a logged value cannot forge a line of another unit or send terminal escapes.
        process.stdout.write(`${entry.time} ${escapeControl(entry.level).padEnd(7)} ${escapeControl(entry.unit)} ${escapeControl(entry.hook)}: ${escapeControl(entry.message)}\n`);
      }
    });

  program
    .command('explain')
    .description('why each handler ran or did not, in one recorded hook of a unit')
    .argument('<unit>')
    .argument('[hook-index]', 'which hook of the unit, from 0 (default: the last; negative counts from the end)', hookIndex)
    .action(async (unit: string, index: number | undefined) => {
      const model = await open(program, true);
      const trace = await hookTrace(model.hooks(unit), unit, index);
      const { explainTrace } = await import('../tools/explain.js');
      process.stdout.write(explainTrace(trace.record, `${unit} hook ${trace.index}`));
    });

  program
    .command('timeline')
    .description('hooks, tool calls, commits and discards, with durations')
    .argument('[unit]', 'a unit or an application')
    .action(async (unit: string | undefined) => {
      const model = await open(program, true);
      const { escapeControl } = await import('@charms/model/internal');
      for (const entry of model.timeline(unit)) {
        const detail =
          entry.kind === 'tool' ? `${entry.tool} ${(entry.argv ?? []).join(' ')} → ${entry.exitCode}` : entry.kind === 'hook-start' ? 'start' : `${entry.kind} (exit ${entry.exitCode})`;
        const ms = entry.ms === undefined ? '' : ` ${entry.ms}ms`;
        process.stdout.write(`${entry.time} ${escapeControl(entry.unit)} ${escapeControl(entry.hook)}: ${escapeControl(detail)}${ms}\n`);
      }
    });
}
