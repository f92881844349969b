import { relative } from 'node:path';
import type { Command } from 'commander';
import pc from 'picocolors';

/** `charms init <name>`: a new charm project in ./<name>, its packages pinned to this command's version. */
export function addInitCommand(program: Command, version: string): void {
  program
    .command('init')
    .description('start a charm in its own folder: package.json, layer.yaml, a handler, a test on the local model')
    .argument('<name>', "the charm's name (lower-case letters, digits and single hyphens, e.g. my-charm)")
    .action(async (name: string) => {
      const { initCharm } = await import('../init/init-charm.js');
      const summary = initCharm({ name, version });
      const where = relative(process.cwd(), summary.dir) || '.';
      console.log(`${pc.green('created')} ${where}/ with ${summary.files.length} files (the charm ${name}, on layer:status, @charms/* ${version})`);
      console.log('next:');
      console.log(`  cd ${where}`);
      console.log('  npm install');
      console.log('  npm test         # builds the charm and deploys it on a local model');
      console.log('  npx charms deploy . && npx charms status');
    });
}
