import { relative } from 'node:path';
import type { Command } from 'commander';
import pc from 'picocolors';
import { withSpinner } from './spinner.js';

/** `charms build [charm-dir]`: merge a charm with its layers and bundle it. */
export function addBuildCommand(program: Command): void {
  program
    .command('build')
    .description('merge a charm with its layers and bundle it into a charm directory Juju can run')
    .argument('[charm-dir]', 'the charm source', '.')
    .option('-o, --output <dir>', 'where to write the built charm (default: <charm-dir>/build/<name>)')
    .option('-f, --force', 'overwrite files changed by hand since the last build')
    .option('--no-typecheck', 'skip the type check of the charm (the registration check and lint still run)')
    .action(async (charmDir: string, options: { output?: string; force?: boolean; typecheck?: boolean }) => {
      const { buildCharm, buildMessages } = await import('../charm-build.js');
      const summary = await withSpinner('building', (onStep) => buildCharm({ charmDir, outDir: options.output, force: options.force, typecheck: options.typecheck, onStep }));
      for (const line of buildMessages(summary)) console.error(line);
      console.log(`${pc.green('built')} ${summary.name} → ${relative(process.cwd(), summary.outDir) || '.'}`);
      console.log(`  layers: ${summary.layers.join(' → ')}`);
      const actions = summary.actions.length === 0 ? '' : `, ${summary.actions.length} action${summary.actions.length === 1 ? '' : 's'}`;
      console.log(`  ${summary.files} files, ${summary.hooks} hooks${actions}, bundle ${(summary.bundleBytes / 1024).toFixed(0)} KiB (dist/charm.cjs)`);
    });
}
