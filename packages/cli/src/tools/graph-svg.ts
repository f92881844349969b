import { EDGE_KINDS, EDGE_LABEL, type GraphEdgeKind } from './graph-edge.js';
import { LAYER_LABEL_ROOM, NODE_HEIGHT, type GraphLayout, type PlacedEdge, type PlacedNode } from './graph-layout.js';

/**
 * How each kind of edge is drawn. Waiting edges are blue (dotted when any of several
 * flags will do), a `when not` is a dashed purple, `sets` green, `clears` a dashed red:
 * told apart by line as well as colour, for readers who do not see the colours.
 */
const EDGE_STYLE: Readonly<Record<GraphEdgeKind, { readonly color: string; readonly dash?: string }>> = {
  when: { color: '#3366cc' },
  any: { color: '#3366cc', dash: '2,3' },
  not: { color: '#8e44ad', dash: '7,4' },
  sets: { color: '#2e8b57' },
  clears: { color: '#cc3333', dash: '7,4' },
};

/** Back edges run over a pale yellow band, so a cycle is seen at a glance. */
const BACK_EDGE_BAND = '#ffe08a';

const LEGEND_HEIGHT = 36;
const FLAG_FILL = '#eef5ff';

/**
 * The layout as a standalone SVG: layer boxes, then edges, then flags (rounded) and
 * handlers (square) on top, and a legend under the drawing. Each part carries what it
 * stands for (`data-id`, `data-layer`, `data-from`/`data-to`/`data-kind`, class `back`),
 * so tests and scripts can read the drawing back. Numbers are rounded to a tenth of a
 * pixel; the same layout gives the same bytes.
 */
export function drawSvg(layout: GraphLayout): string {
  const legend = legendItems();
  const width = Math.max(layout.width, legend.width + 24);
  const height = layout.height + LEGEND_HEIGHT;
  const markers = EDGE_KINDS.map(
    (kind) => `<marker id="arrow-${kind}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="${EDGE_STYLE[kind].color}"/></marker>`,
  );
  const layers = layout.layers.map(
    (layer) =>
      `<g class="layer" data-layer="${escape(layer.name)}"><rect x="${n(layer.x)}" y="${n(layer.y)}" width="${n(layer.width)}" height="${n(layer.height)}" rx="6" fill="#f7f7f7" stroke="#bbb"/>` +
      `<text x="${n(layer.x + 10)}" y="${n(layer.y + LAYER_LABEL_ROOM - 10)}" font-size="11" fill="#555">${escape(layer.label)}</text></g>`,
  );
  const bands = layout.edges.filter((edge) => edge.back).map((edge) => `<path class="back-band" d="${pathData(edge.points)}" fill="none" stroke="${BACK_EDGE_BAND}" stroke-width="7" stroke-linejoin="round"/>`);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${n(width)}" height="${n(height)}" viewBox="0 0 ${n(width)} ${n(height)}" font-family="sans-serif">`,
    `<defs>${markers.join('')}</defs>`,
    '<rect width="100%" height="100%" fill="white"/>',
    ...layers,
    ...bands,
    ...layout.edges.map(edgePath),
    ...layout.nodes.map(nodeGroup),
    `<g class="legend" transform="translate(12,${n(layout.height + 8)})">${legend.parts.join('')}</g>`,
    '</svg>',
    '',
  ].join('\n');
}

/** A page with a title and the SVG (its legend included), to open in a browser. */
export function drawHtml(layout: GraphLayout, title: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>body{font-family:sans-serif;margin:24px}svg{display:block;max-width:none}</style></head>
<body><h1>${escape(title)}</h1>
${drawSvg(layout)}</body></html>
`;
}

function edgePath(edge: PlacedEdge): string {
  const style = EDGE_STYLE[edge.kind];
  const dash = style.dash ? ` stroke-dasharray="${style.dash}"` : '';
  const description = `${edge.from} ${EDGE_LABEL[edge.kind]} ${edge.to}${edge.back ? ' (back edge: closes a cycle)' : ''}`;
  return (
    `<path class="edge ${edge.kind}${edge.back ? ' back' : ''}" data-from="${escape(edge.from)}" data-to="${escape(edge.to)}" data-kind="${edge.kind}" ` +
    `d="${pathData(edge.points)}" fill="none" stroke="${style.color}" stroke-width="1.4"${dash} marker-end="url(#arrow-${edge.kind})"><title>${escape(description)}</title></path>`
  );
}

function nodeGroup(node: PlacedNode): string {
  const shape = node.kind === 'flag' ? `rx="${NODE_HEIGHT / 2}" fill="${FLAG_FILL}" stroke="#88a"` : 'rx="2" fill="#fff" stroke="#333"';
  const hover = node.kind === 'handler' && node.id !== node.label ? `<title>${escape(node.id)}</title>` : '';
  return (
    `<g class="node ${node.kind}" data-id="${escape(node.id)}">${hover}<rect x="${n(node.x)}" y="${n(node.y)}" width="${n(node.width)}" height="${n(node.height)}" ${shape}/>` +
    `<text x="${n(node.x + 12)}" y="${n(node.y + NODE_HEIGHT / 2 + 4)}" font-size="12">${escape(node.label)}</text></g>`
  );
}

/** One row: a sample line per edge kind, the back-edge band, and the two node shapes. */
function legendItems(): { parts: string[]; width: number } {
  const parts: string[] = [];
  let x = 0;
  const entry = (sample: string, text: string) => {
    parts.push(sample.replaceAll('X0', n(x)).replaceAll('X1', n(x + 28)), `<text x="${n(x + 34)}" y="14" font-size="11" fill="#333">${escape(text)}</text>`);
    // 6.6 px a character at font-size 11 leaves room for wider fonts than DejaVu Sans and Open Sans.
    x += 34 + Math.ceil(text.length * 6.6) + 18;
  };
  for (const kind of EDGE_KINDS) {
    const style = EDGE_STYLE[kind];
    const dash = style.dash ? ` stroke-dasharray="${style.dash}"` : '';
    entry(`<line x1="X0" y1="10" x2="X1" y2="10" stroke="${style.color}" stroke-width="1.4"${dash}/>`, EDGE_LABEL[kind]);
  }
  entry(`<line x1="X0" y1="10" x2="X1" y2="10" stroke="${BACK_EDGE_BAND}" stroke-width="7"/><line x1="X0" y1="10" x2="X1" y2="10" stroke="#555" stroke-width="1.4"/>`, 'back edge: closes a cycle, runs right to left');
  entry(`<rect x="X0" y="3" width="28" height="14" rx="7" fill="${FLAG_FILL}" stroke="#88a"/>`, 'flag');
  entry('<rect x="X0" y="3" width="28" height="14" rx="2" fill="#fff" stroke="#333"/>', 'handler');
  entry('<rect x="X0" y="3" width="28" height="14" rx="4" fill="#f7f7f7" stroke="#bbb"/>', 'layer: its handlers and the flags only they set');
  return { parts, width: x };
}

/**
 * An SVG path through the points, with the corners rounded: elk's orthogonal routes
 * turn at right angles, and a small curve keeps crossing edges apart from turning ones.
 */
function pathData(points: readonly { x: number; y: number }[]): string {
  const [first, ...rest] = points;
  if (!first) return '';
  const parts = [`M${n(first.x)},${n(first.y)}`];
  for (const [i, corner] of rest.entries()) {
    const before = i === 0 ? first : rest[i - 1]!;
    const after = rest[i + 1];
    if (!after) {
      parts.push(`L${n(corner.x)},${n(corner.y)}`);
      break;
    }
    const radius = Math.min(6, distance(before, corner) / 2, distance(corner, after) / 2);
    const enter = toward(corner, before, radius);
    const leave = toward(corner, after, radius);
    parts.push(`L${n(enter.x)},${n(enter.y)}`, `Q${n(corner.x)},${n(corner.y)} ${n(leave.x)},${n(leave.y)}`);
  }
  return parts.join(' ');
}

function distance(a: { x: number; y: number }, b: { x: number; y: number }): number {
  return Math.hypot(b.x - a.x, b.y - a.y);
}

/** The point `length` away from `from` in the direction of `to` (`from` itself when they meet). */
function toward(from: { x: number; y: number }, to: { x: number; y: number }, length: number): { x: number; y: number } {
  const d = distance(from, to);
  return d === 0 ? from : { x: from.x + ((to.x - from.x) / d) * length, y: from.y + ((to.y - from.y) / d) * length };
}

/** A coordinate rounded to a tenth of a pixel, without a trailing `.0` or a `-0`. */
function n(value: number): string {
  const rounded = Math.round(value * 10) / 10;
  return String(rounded === 0 ? 0 : rounded);
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
