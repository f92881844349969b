import type { Command } from 'commander';
import pc from 'picocolors';

/** `charms lint [charm-dir]`: the mistakes reactive charms are known for; exit status 1 on errors. */
export function addLintCommand(program: Command): void {
  program
    .command('lint')
    .description('find handlers that can never run, flags nothing sets, @when meant as OR, and more')
    .argument('[charm-dir]', 'the charm source', '.')
    .action(async (charmDir: string) => {
      const [{ analyzeCharm }, { formatFindings, lintCharm }] = await Promise.all([import('../tools/charm-analysis.js'), import('../tools/lint.js')]);
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
}
