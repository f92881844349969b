import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyzeCharm, charmGraph, lintCharm } from '@charms/cli/testing';
import { runCommand } from './helpers/run-command.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..', '..');
const workspace = join(here, 'fixtures', 'declared-layer');
const charm = join(workspace, 'charm');
const charmsBin = join(repo, 'packages', 'cli', 'bin', 'charms.mjs');
const charms = (...args: string[]) => runCommand(process.execPath, [charmsBin, ...args], { cwd: repo, env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 });

// layer:gauge exists only in the fixture's own layer index, and changes its flags inside
// a library function: what lint and graph know of it comes from its declarations, read
// as for every layer, with nothing in the CLI about it.
describe('a layer the CLI has never heard of', () => {
  it('shows in the graph with the flags its handler declares, names and flags named after the resources', async () => {
    const graph = charmGraph(await analyzeCharm(charm));
    expect(graph.handlers).toContainEqual({ id: 'gauge:calibrate', layer: 'gauge', label: 'calibrate' });
    expect(graph.edges).toEqual(
      expect.arrayContaining([
        { from: 'gauge.calibrated', to: 'gauge:calibrate', kind: 'not' },
        { from: 'gauge:calibrate', to: 'gauge.calibrated', kind: 'sets' },
        { from: 'gauge:calibrate', to: 'gauge.needle.ready', kind: 'sets' },
        { from: 'gauge:calibrate', to: 'gauge.stale', kind: 'clears' },
        // The charm's own handlers are read from their module: constants resolved.
        { from: 'dial:Dial.start', to: 'dial.started', kind: 'sets' },
        { from: 'dial:Dial.report', to: 'dial.started', kind: 'clears' },
      ]),
    );
  });

  it('lint finds nothing: the charm waits on flags the layer declares it sets', async () => {
    expect(lintCharm(await analyzeCharm(charm))).toEqual([]);
  });

  it('without its declarations, the same layer leaves the charm waiting on a flag nothing sets', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'declared-layer-'));
    cpSync(workspace, copy, { recursive: true });
    writeFileSync(
      join(copy, 'layer-gauge', 'src', 'index.ts'),
      "import { defineLayer } from '@charms/reactive';\nimport { calibrateAll } from './gauge.js';\n\n" +
        "export default defineLayer('gauge', (r) => {\n  r.handle({ whenNot: 'gauge.calibrated' }, function calibrate(ctx) {\n    calibrateAll(ctx as never);\n  });\n});\n",
    );
    const findings = lintCharm(await analyzeCharm(join(copy, 'charm')));
    expect(findings.map((f) => [f.code, f.handler, f.line])).toEqual([
      ['unset-flag', 'dial:Dial.start', 8],
      ['unset-flag', 'dial:Dial.report', 14],
    ]);
  });

  it('charms graph and charms lint print it', async () => {
    const graph = await charms('graph', charm, '--format', 'dot');
    expect(graph.stderr).toBe('');
    expect(graph.stdout).toContain('"gauge:calibrate" -> "gauge.needle.ready" [label="sets"];');
    expect(graph.stdout).toContain('"gauge:calibrate" -> "gauge.stale" [label="clears", style=dashed];');
    const lint = await charms('lint', charm);
    expect([lint.status, lint.stdout.trim()]).toEqual([0, `no findings in ${charm}`]);
  }, 120_000);
});
