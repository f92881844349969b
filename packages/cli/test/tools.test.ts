import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCharm } from '@charms/build';
import { analyzeCharm, charmGraph, explainTrace, lintCharm, toDot, toHtml, toMermaid, toSvg } from '@charms/cli/testing';
import { createModel } from '@charms/model';
import type { HookTraceRecord } from '@charms/runtime/internal';
import { XMLValidator } from 'fast-xml-parser';
import { fromDot } from 'ts-graphviz';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..', '..');
const minio = join(repo, 'examples', 'minio');
const mistakes = join(here, 'fixtures', 'mistakes');

describe('charms lint', () => {
  it('finds each mistake of the mistakes charm, with file and line', async () => {
    const findings = lintCharm(await analyzeCharm(mistakes));
    const file = join(mistakes, 'reactive', 'mistakes.ts');
    expect(findings.map((f) => [f.file === file, f.line, f.level, f.code, f.handler])).toEqual([
      [true, 11, 'error', 'unset-flag', 'mistakes:restartOnConfigOrImage'],
      [true, 11, 'warning', 'and-or', 'mistakes:restartOnConfigOrImage'],
      [true, 15, 'error', 'never-runs', 'mistakes:startWhenInstalled'],
      [true, 17, 'error', 'unset-flag', 'mistakes:useDatabase'],
      [true, 19, 'warning', 'never-cleared', 'mistakes:reconfigure'],
      [true, 23, 'error', 'no-flags', 'mistakes:everyIteration'],
    ]);
    expect(findings[1]!.fix).toBe("use @whenAny('config.changed', 'image.changed') to run when any of them is set");
  });

  it('finds nothing in the MinIO example', async () => {
    expect(lintCharm(await analyzeCharm(minio))).toEqual([]);
  });
});

describe('charms graph', () => {
  it('the MinIO graph has the layers, the flags and both directions of edges', async () => {
    const graph = charmGraph(await analyzeCharm(minio));
    expect(graph.flags).toContain('charm.minio.started');
    expect(graph.edges).toContainEqual({ from: 'layer.docker-resource.oci-image.available', to: 'minio:Minio.start', kind: 'when' });
    expect(graph.edges).toContainEqual({ from: 'minio:Minio.start', to: 'charm.minio.started', kind: 'sets' });
    expect(graph.edges).toContainEqual({ from: 'minio:Minio.restart', to: 'charm.minio.started', kind: 'clears' });
    expect(graph.flags.some((f) => f.includes('${'))).toBe(false);
    // Flags the docker-resource layer sets inside its library functions are drawn too.
    expect(graph.edges).toContainEqual({ from: 'docker-resource:fetch', to: 'layer.docker-resource.oci-image.available', kind: 'sets' });
    expect(graph.edges).toContainEqual({ from: 'docker-resource:autoFetch', to: 'layer.docker-resource.pending', kind: 'sets' });
  });

  it('reads an interface layer as any layer: its Endpoint handlers per endpoint, with the flags they declare', async () => {
    const analysis = await analyzeCharm(minio);
    const joined = analysis.handlers.find((h) => h.id === 'ObjectStorageProvides.joined[object-storage]');
    expect(joined).toMatchObject({ layer: 'interface:object-storage', sets: ['object-storage.joined'], clears: [] });
    expect(joined!.file).toMatch(/interface-object-storage[/\\]src[/\\]index\.ts$/);
    const broken = analysis.handlers.find((h) => h.id === 'ObjectStorageProvides.broken[object-storage]');
    expect(broken).toMatchObject({ sets: [], clears: ['object-storage.joined'] });
  });

  it('DOT output parses, with a cluster per layer', async () => {
    const dot = toDot(charmGraph(await analyzeCharm(minio)));
    const parsed = fromDot(dot);
    expect(parsed.subgraphs.map((s) => s.get('label'))).toEqual(['layer docker-resource', 'layer minio', 'layer interface:object-storage']);
    expect(parsed.edges.length).toBeGreaterThan(8);
  });

  it('Mermaid output is a flowchart whose edges join declared nodes', async () => {
    const mermaid = toMermaid(charmGraph(await analyzeCharm(minio)));
    const lines = mermaid.trim().split('\n');
    expect(lines[0]).toBe('flowchart LR');
    const declared = new Set(lines.map((l) => /^\s*([fhl]\d+)[[("]/.exec(l)?.[1]).filter(Boolean));
    const edges = lines.filter((l) => / (-->|-\.->)\|/.test(l));
    expect(edges.length).toBeGreaterThan(8);
    for (const edge of edges) {
      const [, from, to] = /^\s*(\w+) -\.?-?>\|[^|]+\| (\w+)$/.exec(edge) ?? [];
      expect(declared.has(from) && declared.has(to), edge).toBe(true);
    }
    expect(lines.filter((l) => l.trim() === 'end')).toHaveLength(3);
  });

  it('SVG and HTML are well-formed, with a box per handler and flag', async () => {
    const graph = charmGraph(await analyzeCharm(minio));
    const svg = await toSvg(graph);
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg.match(/<g class="node (flag|handler)"[^>]*>(<title>[^<]*<\/title>)?<rect /g)).toHaveLength(graph.flags.length + graph.handlers.length);
    const html = await toHtml(graph, 'minio');
    expect(html).toContain('<h1>minio</h1>');
    expect(html).toContain(svg);
  });

  it("the README's picture is the MinIO graph as charms graph draws it today", async () => {
    const picture = readFileSync(join(repo, 'docs', 'images', 'minio-graph.svg'), 'utf8');
    const regenerate = 'regenerate it: pnpm exec charms graph examples/minio --format svg -o docs/images/minio-graph.svg';
    expect(picture, regenerate).toBe(await toSvg(charmGraph(await analyzeCharm(minio))));
  });
});

describe('charms explain', () => {
  let traces: { hook: string; trace: HookTraceRecord }[];
  // Builds MinIO and runs its hooks (a Node start each) in a local model.
  beforeAll(async () => {
    const built = (await buildCharm({ charmDir: minio, outDir: join(mkdtempSync(join(tmpdir(), 'explain-')), 'minio') })).outDir;
    const model = await createModel();
    await model.deploy(built, { resources: { 'oci-image': 'minio/minio:1' } });
    await model.setConfig('minio', { port: '9001' });
    traces = model.hooks('minio/0').map((h) => ({ hook: h.hook, trace: JSON.parse(readFileSync(h.trace!, 'utf8')) as HookTraceRecord }));
    await model.destroy();
  }, 180_000);

  it('shows each round, what ran and what it changed', () => {
    const text = explainTrace(traces[0]!.trace, 'minio/0 hook 0');
    expect(text).toContain('minio/0 hook 0: install — ok');
    expect(text).toContain('iteration 2: queued minio:Minio.start\n  ran minio:Minio.start\n    +charm.minio.started');
  });

  it('says why a handler did not run: a flag not set, a flag set, another hook', () => {
    const text = explainTrace(traces.at(-1)!.trace, 'minio/0 hook 4');
    expect(text).toContain('minio:Minio.publish — needs endpoint.object-storage.joined (not set)');
    expect(text).toContain('docker-resource:autoFetch — blocked by layer.docker-resource.auto-fetched (set)');
    expect(text).toContain('minio:Minio.upgrade — hook handler for upgrade-charm, not config-changed');
  });

  it('shows a handler dropped by a clear in the middle of a round, and why', () => {
    const text = explainTrace(traces.at(-1)!.trace, 'minio/0 hook 4');
    expect(text).toContain('iteration 0: queued minio:Minio.restart, minio:Minio.ready\n  ran minio:Minio.restart\n    -charm.minio.started\n  dropped minio:Minio.ready after a clear: needs charm.minio.started (not set)');
  });
});

describe('charms lint on a handler whose code it cannot read', () => {
  it('warns instead of failing: a function from another module may set the flag, and the fix says to declare it', async () => {
    const findings = lintCharm(await analyzeCharm(join(here, 'fixtures', 'imported-handler')));
    const unset = findings.filter((f) => f.code === 'unset-flag');
    expect(unset).toHaveLength(1);
    expect(unset[0]).toMatchObject({ level: 'warning', handler: 'imported-handler:ready' });
    expect(unset[0]!.fix).toContain('imported-handler:install could not be read');
    expect(findings.filter((f) => f.level === 'error')).toEqual([]);
  });
});
