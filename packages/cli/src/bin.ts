import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ManifestError } from '@charms/manifest';
import { ModelError } from '@charms/model';
import { Command, CommanderError } from 'commander';
import pc from 'picocolors';
import yoctoSpinner from 'yocto-spinner';
import { buildCharm } from './build/build-charm.js';
import { CliError } from './cli-error.js';
import { addModelCommands } from './commands/model-commands.js';
import { configTypes } from './config-types.js';
import { analyzeCharm } from './tools/charm-analysis.js';
import { charmGraph, toDot, toHtml, toMermaid, toSvg, type CharmGraph } from './tools/graph.js';
import { formatFindings, lintCharm } from './tools/lint.js';
import { packCharm } from './pack/pack-charm.js';

const version = (JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'package.json'), 'utf8')) as { version: string }).version;

/** Runs `charms` with `argv` (without node and the script); returns the exit status. */
export async function run(argv: readonly string[]): Promise<number> {
  const debug = argv.includes('--debug');
  const program = new Command('charms')
    .description('Build, pack and run reactive Juju charms written in TypeScript.')
    .version(version, '-V, --version')
    .option('--debug', 'show stack traces on errors')
    .option('--model <dir>', 'the local model directory (default: $CHARMS_MODEL, else ./.charms-model)')
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });

  program
    .command('build')
    .description('merge a charm with its layers and bundle it into a charm directory Juju can run')
    .argument('[charm-dir]', 'the charm source', '.')
    .option('-o, --output <dir>', 'where to write the built charm (default: <charm-dir>/build/<name>)')
    .option('-f, --force', 'overwrite files changed by hand since the last build')
    .action(async (charmDir: string, options: { output?: string; force?: boolean }) => {
      const summary = await withSpinner('building', (onStep) => buildCharm({ charmDir, outDir: options.output, force: options.force, onStep }));
      console.log(`${pc.green('built')} ${summary.name} → ${relative(process.cwd(), summary.outDir) || '.'}`);
      console.log(`  layers: ${summary.layers.join(' → ')}`);
      console.log(`  ${summary.files} files, ${summary.hooks} hooks, bundle ${(summary.bundleBytes / 1024).toFixed(0)} KiB (dist/charm.mjs)`);
    });

  program
    .command('pack')
    .description('zip a built charm into a .charm file for juju deploy')
    .argument('[built-dir]', 'a directory written by charms build', '.')
    .option('-o, --output <file>', 'the .charm file (default: ./<name>.charm)')
    .option('--with-node', 'embed a Node.js runtime, for Juju hosts without node (podspec operator pods)')
    .action(async (builtDir: string, options: { output?: string; withNode?: boolean }) => {
      const summary = await withSpinner('packing', (onStep) => packCharm({ builtDir, output: options.output, withNode: options.withNode, onStep }));
      console.log(`${pc.green('packed')} ${relative(process.cwd(), summary.file) || summary.file}: ${summary.entries} files, ${(summary.bytes / 1024 / 1024).toFixed(1)} MiB`);
      if (summary.embeddedNode) console.log(`  with Node ${process.version} embedded as bin/charm`);
    });

  program
    .command('types')
    .description("write TypeScript types for the charm's merged config (ctx.config.port is a number)")
    .argument('[charm-dir]', 'the charm source', '.')
    .option('-o, --output <file>', 'where to write them (default: <charm-dir>/charm-config.ts)')
    .action((charmDir: string, options: { output?: string }) => {
      const file = resolve(options.output ?? join(charmDir, 'charm-config.ts'));
      writeFileSync(file, configTypes(charmDir));
      console.log(`${pc.green('wrote')} ${relative(process.cwd(), file) || file}`);
    });

  program
    .command('lint')
    .description('find handlers that can never run, flags nothing sets, @when meant as OR, and more')
    .argument('[charm-dir]', 'the charm source', '.')
    .action(async (charmDir: string) => {
      const findings = lintCharm(await analyzeCharm(charmDir));
      if (findings.length === 0) {
        console.log(`${pc.green('no findings')} in ${charmDir}`);
        return;
      }
      console.log(formatFindings(findings, process.cwd()));
      const errors = findings.filter((f) => f.level === 'error').length;
      console.log(`${errors} error(s), ${findings.length - errors} warning(s)`);
      if (errors > 0) process.exitCode = 1;
    });

  program
    .command('graph')
    .description('draw which handlers wait for which flags, and which flags they set or clear')
    .argument('[charm-dir]', 'the charm source', '.')
    .option('--format <format>', 'mermaid, dot, svg or html', 'mermaid')
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .action(async (charmDir: string, options: { format: string; output?: string }) => {
      const formats: Record<string, (g: CharmGraph, title: string) => string> = { mermaid: toMermaid, dot: toDot, svg: toSvg, html: toHtml };
      const render = formats[options.format];
      if (!render) throw new CliError('NOT_A_CHARM', `unknown format ${options.format}: use mermaid, dot, svg or html`);
      const analysis = await analyzeCharm(charmDir);
      const text = render(charmGraph(analysis), `${analysis.name}: handlers and flags`);
      if (options.output) {
        writeFileSync(options.output, text);
        console.log(`${pc.green('wrote')} ${options.output}`);
      } else process.stdout.write(text);
    });

  addModelCommands(program);

  try {
    await program.parseAsync(argv, { from: 'user' });
    // A command may report failure without throwing (lint with errors).
    return Number(process.exitCode ?? 0);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof CliError || error instanceof ManifestError || error instanceof ModelError) {
      process.stderr.write(`${pc.red('error:')} ${error.message}\n`);
      if (debug) process.stderr.write(`${(error as Error).stack}\n`);
      return 1;
    }
    process.stderr.write(`${pc.red('error:')} ${(error as Error)?.message ?? String(error)}\n`);
    if (debug) process.stderr.write(`${(error as Error)?.stack}\n`);
    else process.stderr.write('(run again with --debug for the stack trace)\n');
    return 1;
  }
}

/** Runs a slow step with a spinner on stderr (when it is a terminal), its text following the step. */
async function withSpinner<T>(text: string, work: (onStep: (step: string) => void) => Promise<T>): Promise<T> {
  const spinner = yoctoSpinner({ text, stream: process.stderr });
  if (process.stderr.isTTY) spinner.start();
  try {
    return await work((step) => void (spinner.text = step));
  } finally {
    spinner.stop();
  }
}

process.exitCode = await run(process.argv.slice(2));
