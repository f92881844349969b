import { writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import pc from 'picocolors';

/** `charms types [charm-dir]`: TypeScript types for the charm's merged config, and its actions' params. */
export function addTypesCommand(program: Command): void {
  program
    .command('types')
    .description("write TypeScript types for the charm's merged config (ctx.config.port is a number) and its actions' params (ActionParams['backup'])")
    .argument('[charm-dir]', 'the charm source', '.')
    .option('-o, --output <file>', 'where to write them (default: <charm-dir>/charm-config.ts)')
    .action(async (charmDir: string, options: { output?: string }) => {
      const { configTypes } = await import('@charms/build');
      const file = resolve(options.output ?? join(charmDir, 'charm-config.ts'));
      writeFileSync(file, configTypes(charmDir));
      console.log(`${pc.green('wrote')} ${relative(process.cwd(), file) || file}`);
    });
}
