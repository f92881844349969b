import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeCharm, charmGraph, toHtml, toSvg, type CharmGraph } from '@charms/cli/testing';

// `charms graph --format svg` as a flow (issue 18): elk's layered layout ranks flags and
// handlers left to right, draws one edge of each cycle backwards, and puts each layer in
// a box. These tests read the positions back from the SVG itself (its data-* attributes),
// so they check what a reader sees, not an intermediate structure.

const here = dirname(fileURLToPath(import.meta.url));
const minio = join(here, '..', '..', '..', 'examples', 'minio');

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
interface Point {
  x: number;
  y: number;
}
interface DrawnEdge {
  from: string;
  to: string;
  kind: string;
  back: boolean;
  /** Colour and dash pattern. */
  look: string;
  start: Point;
  end: Point;
}
interface Drawing {
  nodes: Map<string, Box & { kind: string }>;
  layers: Map<string, Box>;
  edges: DrawnEdge[];
  legend: string;
}

type Element = Record<string, unknown> & { rect?: Record<string, string>[]; text?: unknown[] };

/** The boxes, layer boxes and edge ends of an SVG `charms graph` drew. */
function readDrawing(svg: string): Drawing {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['g', 'path', 'rect', 'text', 'line', 'title'].includes(name) });
  const root = (parser.parse(svg) as { svg: { g: Element[]; path: Record<string, string>[] } }).svg;
  const box = (rect: Record<string, string>): Box => ({ x: Number(rect.x), y: Number(rect.y), width: Number(rect.width), height: Number(rect.height) });
  const nodes = new Map<string, Box & { kind: string }>();
  const layers = new Map<string, Box>();
  let legend = '';
  for (const g of root.g) {
    const classes = String(g.class).split(' ');
    if (classes[0] === 'node') nodes.set(String(g['data-id']), { ...box(g.rect![0]!), kind: classes[1]! });
    if (classes[0] === 'layer') layers.set(String(g['data-layer']), box(g.rect![0]!));
    if (classes[0] === 'legend') legend = (g.text ?? []).map((t) => (typeof t === 'string' ? t : String((t as { '#text': string })['#text']))).join(' | ');
  }
  const edges = (root.path ?? [])
    .filter((p) => p.class?.split(' ')[0] === 'edge')
    .map((p) => {
      const start = /^M([-\d.]+),([-\d.]+)/.exec(p.d!)!;
      const end = /L([-\d.]+),([-\d.]+)$/.exec(p.d!)!;
      return {
        from: p['data-from']!,
        to: p['data-to']!,
        kind: p['data-kind']!,
        back: p.class!.split(' ').includes('back'),
        look: `${p.stroke} ${p['stroke-dasharray'] ?? 'solid'}`,
        start: { x: Number(start[1]), y: Number(start[2]) },
        end: { x: Number(end[1]), y: Number(end[2]) },
      };
    });
  return { nodes, layers, edges, legend };
}

const right = (b: Box) => b.x + b.width;
const inside = (inner: Box, outer: Box) => inner.x >= outer.x && inner.y >= outer.y && right(inner) <= right(outer) && inner.y + inner.height <= outer.y + outer.height;
const overlap = (a: Box, b: Box) => a.x < right(b) && b.x < right(a) && a.y < b.y + b.height && b.y < a.y + a.height;
/** On the border of the box, give or take the tenth of a pixel the SVG rounds to. */
function onBorder(p: Point, b: Box): boolean {
  const near = (a: number, c: number) => Math.abs(a - c) <= 0.15;
  const withinX = p.x >= b.x - 0.15 && p.x <= right(b) + 0.15;
  const withinY = p.y >= b.y - 0.15 && p.y <= b.y + b.height + 0.15;
  return withinX && withinY && (near(p.x, b.x) || near(p.x, right(b)) || near(p.y, b.y) || near(p.y, b.y + b.height));
}

let graph: CharmGraph;
let svg: string;
let drawing: Drawing;

beforeAll(async () => {
  graph = charmGraph(await analyzeCharm(minio));
  svg = await toSvg(graph);
  drawing = readDrawing(svg);
}, 60_000);

describe('charms graph --format svg lays the MinIO graph out as a flow', () => {
  it('draws every flag and handler once, and every edge', () => {
    expect(XMLValidator.validate(svg)).toBe(true);
    expect([...drawing.nodes.keys()].sort()).toEqual([...graph.flags, ...graph.handlers.map((h) => h.id)].sort());
    expect(drawing.edges.map(({ from, to, kind }) => ({ from, to, kind }))).toEqual(graph.edges);
  });

  it('reads image available → start → started → ready from left to right, a rank each', () => {
    const chain = ['layer.docker-resource.pending', 'docker-resource:fetch', 'layer.docker-resource.oci-image.available', 'minio:Minio.start', 'charm.minio.started', 'minio:Minio.ready'];
    const boxes = chain.map((id) => drawing.nodes.get(id)!);
    for (const [i, box] of boxes.entries()) {
      if (i > 0) expect(right(boxes[i - 1]!), `${chain[i - 1]} ends left of where ${chain[i]} starts`).toBeLessThan(box.x);
    }
  });

  it('puts a flag a handler sets to the right of the handler, and every edge left to right, unless it is a back edge', () => {
    const sets = drawing.edges.filter((e) => e.kind === 'sets');
    expect(sets.length).toBeGreaterThan(8);
    for (const edge of drawing.edges) {
      const [from, to] = [drawing.nodes.get(edge.from)!, drawing.nodes.get(edge.to)!];
      const name = `${edge.from} ${edge.kind} ${edge.to}${edge.back ? ' (back)' : ''}`;
      if (edge.back) expect(right(to), name).toBeLessThan(from.x);
      else expect(right(from), name).toBeLessThan(to.x);
    }
  });

  it('draws backwards exactly the guard or clear that closes each cycle (start waits for started unset, then sets it)', () => {
    expect(drawing.edges.filter((e) => e.back).map((e) => `${e.from} ${e.kind} ${e.to}`)).toEqual([
      'layer.docker-resource.auto-fetched not docker-resource:autoFetch',
      'docker-resource:fetch clears layer.docker-resource.pending',
      'charm.minio.started not minio:Minio.start',
      'object-storage.joined not ObjectStorageProvides.joined[object-storage]',
      'ObjectStorageProvides.broken[object-storage] clears object-storage.joined',
    ]);
    // A back edge stands out: it runs over a band of its own.
    expect(svg.match(/class="back-band"/g)).toHaveLength(5);
  });

  it('boxes each layer around its handlers and the flags only its handlers set; runtime flags stay outside', () => {
    expect([...drawing.layers.keys()]).toEqual(['docker-resource', 'minio', 'interface:object-storage']);
    for (const handler of graph.handlers) expect(inside(drawing.nodes.get(handler.id)!, drawing.layers.get(handler.layer)!), `${handler.id} in layer ${handler.layer}`).toBe(true);
    expect(inside(drawing.nodes.get('layer.docker-resource.pending')!, drawing.layers.get('docker-resource')!)).toBe(true);
    expect(inside(drawing.nodes.get('charm.minio.started')!, drawing.layers.get('minio')!)).toBe(true);
    for (const flag of ['config.changed', 'endpoint.object-storage.joined']) {
      for (const [layer, box] of drawing.layers) expect(overlap(drawing.nodes.get(flag)!, box), `${flag} outside layer ${layer}`).toBe(false);
    }
    const layerBoxes = [...drawing.layers.values()];
    for (const [i, a] of layerBoxes.entries()) for (const b of layerBoxes.slice(i + 1)) expect(overlap(a, b)).toBe(false);
  });

  it('starts every edge on its source box and ends it on its target box; no two boxes overlap', () => {
    for (const edge of drawing.edges) {
      const name = `${edge.from} ${edge.kind} ${edge.to}`;
      expect(onBorder(edge.start, drawing.nodes.get(edge.from)!), `${name} starts on ${edge.from}`).toBe(true);
      expect(onBorder(edge.end, drawing.nodes.get(edge.to)!), `${name} ends on ${edge.to}`).toBe(true);
    }
    const boxes = [...drawing.nodes];
    for (const [i, [a, boxA]] of boxes.entries()) for (const [b, boxB] of boxes.slice(i + 1)) expect(overlap(boxA, boxB), `${a} and ${b}`).toBe(false);
  });

  it('has a legend naming every edge style, the back edge and the node shapes', () => {
    for (const words of ['when', 'when any', 'when not', 'sets', 'clears', 'back edge', 'flag', 'handler', 'layer']) expect(drawing.legend).toContain(words);
    // Five kinds, five looks (colour and dash together), one look a kind.
    const looks = new Map<string, Set<string>>();
    for (const edge of drawing.edges) looks.set(edge.kind, new Set([...(looks.get(edge.kind) ?? []), edge.look]));
    expect([...looks.values()].map((set) => set.size)).toEqual([1, 1, 1, 1, 1]);
    expect(new Set([...looks.values()].map((set) => [...set][0])).size).toBe(5);
  });

  it('gives the same bytes for the same graph', async () => {
    expect(await toSvg(graph)).toBe(svg);
    expect(await toHtml(graph, 'minio')).toBe(await toHtml(graph, 'minio'));
  });
});

describe('charms graph --format svg on small graphs', () => {
  it('ranks a chain left to right and draws the edge closing its cycle backwards', async () => {
    // a → first → b → second → c → third, and third clears a: the clear closes the loop.
    const chain: CharmGraph = {
      flags: ['a', 'b', 'c'],
      handlers: ['first', 'second', 'third'].map((name) => ({ id: `chain:${name}`, layer: 'chain', label: name })),
      edges: [
        { from: 'chain:third', to: 'a', kind: 'clears' },
        { from: 'c', to: 'chain:third', kind: 'when' },
        { from: 'chain:second', to: 'c', kind: 'sets' },
        { from: 'b', to: 'chain:second', kind: 'when' },
        { from: 'chain:first', to: 'b', kind: 'sets' },
        { from: 'a', to: 'chain:first', kind: 'when' },
      ],
    };
    const drawn = readDrawing(await toSvg(chain));
    const order = ['a', 'chain:first', 'b', 'chain:second', 'c', 'chain:third'].map((id) => drawn.nodes.get(id)!);
    for (const [i, box] of order.entries()) if (i > 0) expect(right(order[i - 1]!)).toBeLessThan(box.x);
    expect(drawn.edges.filter((e) => e.back).map((e) => `${e.from} ${e.kind} ${e.to}`)).toEqual(['chain:third clears a']);
    // 'a' is set by no handler: the runtime's, drawn outside the box; 'b' and 'c' are the layer's.
    expect(inside(drawn.nodes.get('b')!, drawn.layers.get('chain')!)).toBe(true);
    expect(overlap(drawn.nodes.get('a')!, drawn.layers.get('chain')!)).toBe(false);
  });

  it('makes a layer box wide enough for its name, however narrow its handlers', async () => {
    const layer = 'interface:an-interface-with-a-rather-long-name';
    const drawn = readDrawing(await toSvg({ flags: ['x'], handlers: [{ id: `${layer}:h`, layer, label: 'h' }], edges: [{ from: 'x', to: `${layer}:h`, kind: 'when' }] }));
    // 7.2 px a character: the widest the node labels are reckoned at (font-size 12; the layer's is 11).
    expect(drawn.layers.get(layer)!.width).toBeGreaterThanOrEqual(`layer ${layer}`.length * 7.2);
  });

  it('draws a charm with no handlers as a legend alone', async () => {
    const empty = await toSvg({ flags: [], handlers: [], edges: [] });
    expect(XMLValidator.validate(empty)).toBe(true);
    expect(readDrawing(empty).nodes.size).toBe(0);
    expect(readDrawing(empty).legend).toContain('sets');
  });
});
