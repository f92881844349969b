import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import pc from 'picocolors';
import { addActionCommands } from './commands/action-commands.js';
import { addBuildCommand } from './commands/build-command.js';
import { addDebugCommands } from './commands/debug-commands.js';
import { addGraphCommand } from './commands/graph-command.js';
import { addInitCommand } from './commands/init-command.js';
import { addInspectCommands } from './commands/inspect-commands.js';
import { addLintCommand } from './commands/lint-command.js';
import { addModelCommands } from './commands/model-commands.js';
import { addPackCommand } from './commands/pack-command.js';
import { addStorageCommands } from './commands/storage-commands.js';
import { addTypesCommand } from './commands/types-command.js';

// The charms program: commander, picocolors and the command definitions, which every
// `charms` run loads (bin.ts is the executable that runs it). Each command imports what
// it needs (the bundler, the model, the schemas) when it runs, so that `charms --help`
// loads none of them.

/** This package's version. Read when the program runs, not on import: importing runs nothing. */
function packageVersion(): string {
  // This module sits one folder below the package, in src/ and in dist/ (bundled into bin.js and index.js).
  return (JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'package.json'), 'utf8')) as { version: string }).version;
}

/** Errors the user can fix: printed as their message, with no stack trace unless --debug. */
const USER_ERRORS = new Set(['BuildError', 'CliError', 'InitError', 'ManifestError', 'ModelError']);

/**
 * Runs the charms command with `argv` (the arguments after node and the script) in this
 * process, printing to its stdout and stderr; returns the exit status (docs/reference/cli.md,
 * "Exit status") and leaves setting it to the caller.
 *
 * @example
 * process.exitCode = await run(['build', './my-charm']);
 */
export async function run(argv: readonly string[]): Promise<number> {
  const debug = argv.includes('--debug');
  const version = packageVersion();
  const program = new Command('charms')
    .description('Build, pack and run reactive Juju charms written in TypeScript.')
    .version(version, '-V, --version')
    .option('--debug', 'show stack traces on errors')
    .option('--model <dir>', 'the local model directory (default: $CHARMS_MODEL, else ./.charms-model)')
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });

  addInitCommand(program, version);
  addBuildCommand(program);
  addPackCommand(program);
  addTypesCommand(program);
  addLintCommand(program);
  addGraphCommand(program);
  addModelCommands(program);
  addActionCommands(program);
  addStorageCommands(program);
  addInspectCommands(program);
  addDebugCommands(program);

  try {
    await program.parseAsync(argv, { from: 'user' });
    // A command may report failure without throwing (lint with errors).
    return Number(process.exitCode ?? 0);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    // By name, not instanceof: the classes live in modules this file does not load.
    const known = error instanceof Error && USER_ERRORS.has(error.name);
    process.stderr.write(`${pc.red('error:')} ${(error as Error)?.message ?? String(error)}\n`);
    if (debug) process.stderr.write(`${(error as Error)?.stack}\n`);
    else if (!known) process.stderr.write('(run again with --debug for the stack trace)\n');
    // `run` refused because its unit is in error: the same status as a command whose hook failed.
    return known && (error as { code?: unknown }).code === 'UNIT_IN_ERROR' ? 2 : 1;
  }
}

