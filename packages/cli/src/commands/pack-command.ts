import { relative } from 'node:path';
import type { Command } from 'commander';
import pc from 'picocolors';
import { withSpinner } from './spinner.js';

/** `charms pack [built-dir]`: zip a built charm into a `.charm`. */
export function addPackCommand(program: Command): void {
  program
    .command('pack')
    .description('zip a built charm into a .charm file for juju deploy')
    .argument('[built-dir]', 'a directory written by charms build', '.')
    .option('-o, --output <file>', 'the .charm file (default: ./<name>.charm)')
    .option('--with-node', 'embed a Node.js runtime, for Juju hosts without node (podspec operator pods)')
    .action(async (builtDir: string, options: { output?: string; withNode?: boolean }) => {
      const { packCharm } = await import('@charms/build');
      const summary = await withSpinner('packing', (onStep) => packCharm({ builtDir, output: options.output, withNode: options.withNode, onStep }));
      console.log(`${pc.green('packed')} ${relative(process.cwd(), summary.file) || summary.file}: ${summary.entries} files, ${(summary.bytes / 1024 / 1024).toFixed(1)} MiB`);
      if (summary.embeddedNode) console.log(`  with Node ${process.version} embedded as bin/charm`);
    });
}
