import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeCharm, charmGraph, toHtml, toMermaid, toSvg, type CharmGraph } from '@charms/cli/testing';
import { testChromium, type TestChromium } from './helpers/chromium.js';

// The graphs of the MinIO example, drawn by a real browser: headless Chromium opens the
// SVG and the HTML page, and Mermaid's own library (in the same browser) parses and
// lays out the Mermaid text. The browser is the one helpers/chromium.ts finds; the
// packaged one draws with its own Open Sans, so the labels are measured in a real font
// on a machine with no fonts at all.

const here = dirname(fileURLToPath(import.meta.url));
const minio = join(here, '..', '..', '..', 'examples', 'minio');
const mermaidScript = createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js');

// The few page globals the code run inside the browser uses. Declared here, in this
// module only: the workspace's TypeScript has no DOM library, and should not get one.
interface Mermaid {
  initialize(options: object): void;
  parse(text: string): Promise<unknown>;
  render(id: string, text: string): Promise<{ svg: string }>;
}
interface PageElement {
  innerHTML: string;
  textContent: string | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
}
declare const window: { mermaid: Mermaid };
declare const document: { createElement(tag: string): PageElement; body: { append(element: PageElement): void } };

/** What the browser drew for the nodes of a graph: each box and the label inside it. */
interface DrawnNode {
  /** The flag name or handler id the node stands for. */
  readonly id: string;
  readonly label: string;
  readonly box: { x: number; y: number; width: number; height: number };
  readonly textWidth: number;
}

let browser: Browser;
let chromium: TestChromium;
let graph: CharmGraph;
let work: string;
let browserDir: string;

beforeAll(async () => {
  graph = charmGraph(await analyzeCharm(minio));
  work = mkdtempSync(join(tmpdir(), 'graph-browser-'));
  browserDir = mkdtempSync(join(tmpdir(), 'chromium-profile-'));
  // The packaged Chromium is unpacked (about 190 MB) on the first run on a machine.
  chromium = await testChromium(browserDir);
  browser = await puppeteer.launch(chromium.launchOptions);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  for (const dir of [work, browserDir]) if (dir) rmSync(dir, { recursive: true, force: true });
});

async function open(file: string): Promise<Page> {
  const page = await browser.newPage();
  await page.setViewport({ width: 1000, height: 800 });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  expect(errors).toEqual([]);
  return page;
}

/** Every flag and handler of the drawing (`g.node`: a box and a label), as laid out by the browser. */
async function drawnNodes(page: Page): Promise<DrawnNode[]> {
  return page.$$eval('svg g.node', (groups) =>
    groups.flatMap((g) => {
      const rect = g.querySelector('rect');
      const text = g.querySelector('text');
      if (!rect || !text) return [];
      const box = rect.getBBox();
      return [{ id: g.getAttribute('data-id') ?? '', label: text.textContent ?? '', box: { x: box.x, y: box.y, width: box.width, height: box.height }, textWidth: text.getComputedTextLength() }];
    }),
  );
}

/**
 * The font families Chromium drew the node labels with (families that drew at least one
 * glyph), as its DevTools protocol reports them.
 */
async function labelFonts(page: Page): Promise<string[]> {
  const cdp = await page.createCDPSession();
  await cdp.send('DOM.enable');
  await cdp.send('CSS.enable');
  const { root } = await cdp.send('DOM.getDocument', { depth: -1 });
  const { nodeIds } = await cdp.send('DOM.querySelectorAll', { nodeId: root.nodeId, selector: 'svg g text' });
  const families = new Set<string>();
  for (const nodeId of nodeIds) {
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
    for (const font of fonts) if (font.glyphCount > 0) families.add(font.familyName);
  }
  await cdp.detach();
  return [...families].sort();
}

function overlaps(a: DrawnNode['box'], b: DrawnNode['box']): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/**
 * A drawing a person can read: every flag and handler drawn once, all labels in one real
 * font (the one the tests chose, when they chose one), inside their boxes, no box on another.
 */
async function expectReadable(page: Page): Promise<void> {
  const nodes = await drawnNodes(page);
  expect(nodes.map((n) => n.label).sort()).toEqual([...graph.flags, ...graph.handlers.map((h) => h.label)].sort());
  const fonts = await labelFonts(page);
  expect(fonts, `labels are drawn in one font (Chromium from ${chromium.source})`).toHaveLength(1);
  if (chromium.font) expect(fonts, `labels are drawn in the font the tests chose (Chromium from ${chromium.source})`).toEqual([chromium.font]);
  for (const node of nodes) {
    expect(node.textWidth, `label "${node.label}" is drawn`).toBeGreaterThan(10);
    expect(node.textWidth, `label "${node.label}" fits its box in ${fonts[0]}`).toBeLessThan(node.box.width - 8);
  }
  for (const [i, a] of nodes.entries()) {
    for (const b of nodes.slice(i + 1)) expect(overlaps(a.box, b.box), `"${a.label}" and "${b.label}" overlap`).toBe(false);
  }
}

describe('charms graph in headless Chromium', () => {
  it('the SVG renders readably, every edge drawn from its source box to its target box', async () => {
    const file = join(work, 'minio.svg');
    writeFileSync(file, await toSvg(graph));
    const page = await open(file);
    await expectReadable(page);
    const boxes = new Map((await drawnNodes(page)).map((node) => [node.id, node.box]));
    const drawn = await page.$$eval('svg path.edge', (paths) =>
      paths.map((path) => {
        const total = path.getTotalLength();
        const [start, end] = [path.getPointAtLength(0), path.getPointAtLength(total)];
        return {
          name: path.querySelector('title')?.textContent ?? '',
          total,
          start: { x: start.x, y: start.y },
          end: { x: end.x, y: end.y },
          from: path.getAttribute('data-from') ?? '',
          to: path.getAttribute('data-to') ?? '',
        };
      }),
    );
    expect(drawn).toHaveLength(graph.edges.length);
    // Touching the box: on its border, give or take half a pixel of rounding.
    const touches = (p: { x: number; y: number }, b: DrawnNode['box'] | undefined) =>
      b !== undefined && p.x >= b.x - 0.5 && p.x <= b.x + b.width + 0.5 && p.y >= b.y - 0.5 && p.y <= b.y + b.height + 0.5 && (Math.abs(p.x - b.x) <= 0.5 || Math.abs(p.x - b.x - b.width) <= 0.5 || Math.abs(p.y - b.y) <= 0.5 || Math.abs(p.y - b.y - b.height) <= 0.5);
    for (const edge of drawn) {
      expect(edge.total, `${edge.name} is drawn`).toBeGreaterThan(20);
      expect(touches(edge.start, boxes.get(edge.from)), `${edge.name} starts on its source`).toBe(true);
      expect(touches(edge.end, boxes.get(edge.to)), `${edge.name} ends on its target`).toBe(true);
    }
    const png = await page.screenshot({ fullPage: true });
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    await page.close();
  });

  it('the SVG draws each layer as a box around its handlers, and its legend inside the picture', async () => {
    const page = await open(join(work, 'minio.svg'));
    const handlers = new Map((await drawnNodes(page)).map((node) => [node.id, node.box]));
    const layers = new Map(
      await page.$$eval('svg g.layer', (groups) =>
        groups.map((g) => {
          const box = g.querySelector('rect')!.getBBox();
          return [g.getAttribute('data-layer') ?? '', { x: box.x, y: box.y, width: box.width, height: box.height }] as const;
        }),
      ),
    );
    const legendRight = await page.$eval('svg g.legend', (g) => g.getBoundingClientRect().right);
    const pictureRight = await page.$eval('svg', (svg) => svg.getBoundingClientRect().right);
    for (const handler of graph.handlers) {
      const [inner, outer] = [handlers.get(handler.id)!, layers.get(handler.layer)!];
      const inside = inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;
      expect(inside, `${handler.id} inside the box of layer ${handler.layer}`).toBe(true);
    }
    expect(legendRight, 'the legend fits in the picture').toBeLessThanOrEqual(pictureRight);
    await page.close();
  });

  it('the HTML page shows the title, the legend and the drawing', async () => {
    const file = join(work, 'minio.html');
    writeFileSync(file, await toHtml(graph, 'minio'));
    const page = await open(file);
    expect(await page.$eval('h1', (h) => h.textContent)).toBe('minio');
    const legend = await page.$eval('.legend', (g) => g.textContent);
    for (const words of ['when not', 'sets', 'clears', 'back edge']) expect(legend).toContain(words);
    await expectReadable(page);
    // Drawn at its own size, not squeezed into the page.
    const size = await page.$eval('svg', (svg) => ({ drawn: svg.getBoundingClientRect().width, declared: Number(svg.getAttribute('width')) }));
    expect(size.drawn).toBe(size.declared);
    await page.close();
  });

  it("Mermaid's own parser accepts the Mermaid text and lays out every node", async () => {
    const page = await open(join(work, 'minio.html'));
    await page.addScriptTag({ path: mermaidScript });
    const text = toMermaid(graph);
    const result = await page.evaluate(async (source) => {
      const { mermaid } = window;
      mermaid.initialize({ startOnLoad: false });
      const parsed = await mermaid.parse(source);
      const { svg } = await mermaid.render('minio-graph', source);
      const holder = document.createElement('div');
      holder.innerHTML = svg;
      document.body.append(holder);
      return {
        parsed: Boolean(parsed),
        nodes: holder.querySelectorAll('g.node').length,
        edges: holder.querySelectorAll('path.flowchart-link').length,
        clusters: Array.from(holder.querySelectorAll('g.cluster'), (c) => c.textContent?.trim()),
      };
    }, text);
    expect(result.parsed).toBe(true);
    expect(result.nodes).toBe(graph.flags.length + graph.handlers.length);
    expect(result.edges).toBe(graph.edges.length);
    expect(result.clusters.sort()).toEqual(['layer docker-resource', 'layer interface:object-storage', 'layer minio']);
    // The check can fail: Mermaid refuses text with an edge to nowhere.
    const broken = await page.evaluate(async (source) => {
      return window.mermaid.parse(source).then(() => 'accepted', (error: unknown) => String(error));
    }, `${text}  f0 -->|sets|\n`);
    expect(broken).not.toBe('accepted');
    await page.close();
    // Mermaid's layout takes about 4 s on a loaded machine: more than vitest's default 5 s leaves.
  }, 30_000);
});
