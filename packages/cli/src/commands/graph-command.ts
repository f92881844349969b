import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import pc from 'picocolors';
import type { CharmGraph } from '../tools/graph.js';

const FORMATS = ['mermaid', 'dot', 'svg', 'html'] as const;

/** `charms graph [charm-dir]`: which handlers wait for which flags, and which flags they change. */
export function addGraphCommand(program: Command): void {
  program
    .command('graph')
    .description('draw which handlers wait for which flags, and which flags they set or clear')
    .argument('[charm-dir]', 'the charm source', '.')
    .option('--format <format>', 'mermaid, dot, svg or html', 'mermaid')
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .action(async (charmDir: string, options: { format: string; output?: string }) => {
      if (!(FORMATS as readonly string[]).includes(options.format)) {
        const { CliError } = await import('../cli-error.js');
        throw new CliError('UNKNOWN_FORMAT', `unknown format ${options.format}: use mermaid, dot, svg or html`);
      }
      const [{ analyzeCharm }, graph] = await Promise.all([import('../tools/charm-analysis.js'), import('../tools/graph.js')]);
      // svg and html are laid out by elk, which answers with a promise; graph.ts loads elk only for them.
      const renderers: Record<(typeof FORMATS)[number], (g: CharmGraph, title: string) => string | Promise<string>> = { mermaid: graph.toMermaid, dot: graph.toDot, svg: graph.toSvg, html: graph.toHtml };
      const render = renderers[options.format as (typeof FORMATS)[number]];
      const analysis = await analyzeCharm(charmDir);
      const text = await render(graph.charmGraph(analysis), `${analysis.name}: handlers and flags`);
      if (options.output) {
        writeFileSync(options.output, text);
        console.log(`${pc.green('wrote')} ${options.output}`);
      } else process.stdout.write(text);
    });
}
