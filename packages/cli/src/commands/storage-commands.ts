import type { Command } from 'commander';
import { CliError } from '../cli-error.js';
import { progress, reportFailures } from './hook-reports.js';
import { openModel } from './open-model.js';

// The storage commands of the local model, after Juju 2.9's `juju add-storage` and
// `juju storage` (cmd/juju/storage/add.go, list.go; docs/explanation/
// juju-actions-and-storage.md §5.4).

const FORMATS = ['tabular', 'yaml', 'json'] as const;

export function addStorageCommands(program: Command): void {
  program
    .command('add-storage')
    .description('add storage instances to a unit, as juju add-storage: <store>[=<pool>,<count>,<size>]…')
    .argument('<unit>')
    .argument('<directives...>', 'a store of the charm, optionally =count (and the pool, a size of at least the store\'s minimum)')
    .action(async (unit: string, directives: string[]) => {
      const model = await openModel(program, progress);
      const app = model.snapshot().apps[unit.split('/')[0]!];
      // Juju 2.9 refuses add-storage on a Kubernetes model; the local model adds it, so that a
      // podspec charm's storage-attached can be exercised, and says so.
      if (app?.container) process.stderr.write(`note: Juju 2.9 refuses add-storage on Kubernetes models (Juju command "add-storage" not supported on kubernetes models); the local model adds it\n`);
      const { added, reports } = await model.addStorage(unit, directives);
      // add.go prints one line per new instance, on stderr.
      for (const id of added) process.stderr.write(`added storage ${id} to ${unit}\n`);
      reportFailures(model, reports, [unit]);
    });

  program
    .command('storage')
    .description('the storage instances of the model, as juju storage')
    .option('--format <format>', 'tabular, yaml or json', 'tabular')
    .option('--utc', 'times in UTC (also JUJU_STATUS_ISO_TIME=true), as charms status')
    .action(async (options: { format: string; utc?: boolean }) => {
      if (!(FORMATS as readonly string[]).includes(options.format)) throw new CliError('UNKNOWN_FORMAT', `unknown format "${options.format}": use ${FORMATS.join(', ')}`);
      const model = await openModel(program);
      const { isoTime } = await import('./model-status.js');
      const listing = model.storage({ utc: isoTime(options.utc) });
      if (options.format === 'json') {
        process.stdout.write(`${JSON.stringify(listing)}\n`);
        return;
      }
      if (options.format === 'yaml') {
        const YAML = await import('yaml');
        process.stdout.write(YAML.stringify(listing, { sortMapEntries: true }));
        return;
      }
      const { storageTable } = await import('@charms/model/internal');
      const table = storageTable(listing);
      // list.go: an empty tabular listing says so on stderr.
      if (table === '') process.stderr.write('No storage to display.\n');
      else process.stdout.write(table);
    });
}
