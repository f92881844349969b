import { InvalidArgumentError, Option, type Command } from 'commander';
import { CliError } from '../cli-error.js';
import { LOG_LEVELS, logLevel } from './model-arguments.js';
import { openModel } from './open-model.js';

// The commands a charm author reaches for in jhack while a model runs: show-relation,
// show-stored and tail, over the local model. Each reads the model and changes nothing;
// what they print is built in ../tools/ (relation-view, stored-view, tail-view).

type Format = 'tabular' | 'json' | 'yaml';

const formatOption = (shape: string) =>
  new Option('--format <format>', `tabular, json or yaml (json and yaml: ${shape}, docs/reference/cli.md)`).choices(['tabular', 'json', 'yaml']).default('tabular');

/** Prints a view as JSON (one line) or YAML, or as the text `table` makes of it. */
async function print<T>(view: T, format: Format, table: (view: T) => string): Promise<void> {
  if (format === 'json') process.stdout.write(`${JSON.stringify(view)}\n`);
  else if (format === 'yaml') {
    const { stringify } = await import('yaml');
    process.stdout.write(stringify(view, { lineWidth: 0 }));
  } else process.stdout.write(table(view));
}

/** A commander parser for `tail -n`: a whole number from 0. */
function hookCount(text: string): number {
  const count = /^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(count)) throw new InvalidArgumentError(`the number of hooks must be a whole number from 0, got ${JSON.stringify(text)}`);
  return count;
}

export function addInspectCommands(program: Command): void {
  program
    .command('show-relation')
    .description('both sides of a relation: each application databag and unit databag (as jhack show-relation)')
    .argument('[end-or-id]', 'app or app:endpoint of one end, or a relation id')
    .argument('[other-end]', 'app or app:endpoint of the other end')
    .option('-n, --relation-id <id>', 'the relation with this id (as jhack show-relation -n)')
    .addOption(formatOption('{id, interface, dying, sides: [{app, endpoint, role, leader, application-data, unit-data}]}'))
    .action(async (firstArgument: string | undefined, second: string | undefined, options: { format: Format; relationId?: string }) => {
      if (options.relationId !== undefined && !/^\d+$/.test(options.relationId)) throw new CliError('INVALID_ARGUMENT', `the relation id must be a whole number, got ${JSON.stringify(options.relationId)}`);
      if ((options.relationId === undefined) === (firstArgument === undefined)) {
        throw new CliError('INVALID_ARGUMENT', 'name the relation by its ends (app or app:endpoint, one or both) or by its id (a number, or -n ID), not both');
      }
      const first = firstArgument ?? options.relationId!;
      const model = await openModel(program);
      const [{ relationView, relationTable, findRelation }, { stdoutColors }, { inspectionSecrets }] = await Promise.all([
        import('../tools/relation-view.js'),
        import('../tools/output-colors.js'),
        import('@charms/model/internal'),
      ]);
      const record = model.snapshot();
      const relation = findRelation(record, first, second);
      const secrets = inspectionSecrets(model.dir, record);
      await print(relationView(record, relation, secrets, first.split(':')[0]), options.format, (view) => relationTable(view, stdoutColors()));
    });

  program
    .command('show-stored')
    .description("a unit's committed flags with their values, key-value data, config snapshot and controller state, secrets masked (as jhack show-stored)")
    .argument('<unit>')
    .addOption(formatOption('{unit, store, committed, flags, unit-data, framework-data, config-snapshot, controller-state}'))
    .action(async (unit: string, options: { format: Format }) => {
      if (!/^[^/]+\/\d+$/.test(unit)) throw new CliError('INVALID_ARGUMENT', `"${unit}" is not a unit name: state is kept per unit, name one such as ${unit.split('/')[0]}/0`);
      const model = await openModel(program);
      const [{ readStored, storedTable }, { stdoutColors }] = await Promise.all([import('../tools/stored-view.js'), import('../tools/output-colors.js')]);
      const view = await readStored(model.dir, model.snapshot(), unit);
      await print(view, options.format, (v) => storedTable(v, stdoutColors()));
    });

  program
    .command('tail')
    .description('hooks and actions as they start and end, with their outcome (as jhack tail); --follow keeps watching')
    .argument('[units...]', 'units or applications (default: all)')
    .option('-f, --follow', 'keep printing hooks as other commands run them, until interrupted (Ctrl-C)')
    .option('-n, --hooks <count>', 'how many of the last hooks and actions to print first', hookCount, 10)
    .option('--level <level>', `also print the charm's log from this level: ${LOG_LEVELS.join(', ')}`, logLevel)
    .option('--tools', 'also print each hook tool call')
    .action(async (units: string[], options: { follow?: boolean; hooks: number; level?: (typeof LOG_LEVELS)[number]; tools?: boolean }) => {
      const model = await openModel(program);
      const [{ JournalFollower, inspectionSecrets }, { TailPrinter, lastHooks, tailEntries }, { stdoutColors }] = await Promise.all([
        import('@charms/model/internal'),
        import('../tools/tail-view.js'),
        import('../tools/output-colors.js'),
      ]);
      const selection = { units, tools: options.tools === true, ...(options.level ? { level: options.level } : {}) };
      const unitNames = Object.values(model.snapshot().apps).flatMap((app) => app.units.map((unit) => unit.name));
      const printer = new TailPrinter(stdoutColors(), (id) => model.snapshot().actions?.find((action) => action.id === id), Math.max(0, ...unitNames.map((name) => name.length)));
      const journal = new JournalFollower(model.dir);
      const write = (entries: ReturnType<typeof tailEntries>) => {
        if (entries.length === 0) return;
        // Read again for each batch: a secret set since (config, relation data) is masked from then on.
        const record = model.snapshot();
        const secrets = inspectionSecrets(model.dir, record);
        const text = entries.map((entry) => printer.line(entry, secrets)).join('');
        if (text) process.stdout.write(text);
      };
      write(lastHooks(tailEntries(journal.read(), selection), options.hooks));
      if (!options.follow) return;
      await new Promise<void>((done, fail) => {
        const finish = (error?: unknown) => {
          stop();
          process.off('SIGINT', end);
          process.off('SIGTERM', end);
          process.stdout.off('error', end);
          if (error === undefined) done();
          else fail(error);
        };
        const end = () => finish();
        const stop = journal.follow((entries) => {
          try {
            write(tailEntries(entries, selection));
          } catch (error) {
            // A model that became unreadable (model.json damaged) ends the command with its error, not a crash in a timer.
            finish(error);
          }
        });
        process.once('SIGINT', end);
        process.once('SIGTERM', end);
        // The reader of a pipe went away (`charms tail -f | head`): nothing more to do.
        process.stdout.once('error', end);
      });
    });
}
