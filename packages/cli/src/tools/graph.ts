import type { CharmAnalysis } from './charm-analysis.js';

/** An edge of the handler/flag graph. */
interface Edge {
  readonly from: string;
  readonly to: string;
  readonly kind: 'when' | 'any' | 'not' | 'sets' | 'clears';
}

/** Flags and handlers, and which waits for or changes which. */
export interface CharmGraph {
  readonly flags: readonly string[];
  readonly handlers: readonly { readonly id: string; readonly layer: string; readonly label: string }[];
  readonly edges: readonly Edge[];
}

export function charmGraph(analysis: CharmAnalysis): CharmGraph {
  const edges: Edge[] = [];
  const flags = new Set<string>();
  for (const handler of analysis.handlers) {
    for (const predicate of handler.predicates) {
      if (!('flags' in predicate)) continue;
      const kind = predicate.kind === 'whenAll' ? 'when' : predicate.kind === 'whenAny' ? 'any' : 'not';
      for (const flag of predicate.flags) {
        flags.add(flag);
        edges.push({ from: flag, to: handler.id, kind });
      }
    }
    for (const flag of handler.sets) {
      flags.add(flag);
      edges.push({ from: handler.id, to: flag, kind: 'sets' });
    }
    for (const flag of handler.clears) {
      flags.add(flag);
      edges.push({ from: handler.id, to: flag, kind: 'clears' });
    }
  }
  return {
    flags: [...flags].sort(),
    handlers: analysis.handlers.map((h) => ({ id: h.id, layer: h.layer, label: h.id.slice(h.id.indexOf(':') + 1) })),
    edges,
  };
}

const EDGE_LABEL: Record<Edge['kind'], string> = { when: 'when', any: 'when any', not: 'when not', sets: 'sets', clears: 'clears' };

/** Mermaid flowchart text: layers as subgraphs, flags as rounded nodes. */
export function toMermaid(graph: CharmGraph): string {
  const ids = nodeIds(graph);
  const lines = ['flowchart LR'];
  for (const flag of graph.flags) lines.push(`  ${ids.get(flag)}(["${flag}"])`);
  for (const layer of layersOf(graph)) {
    lines.push(`  subgraph ${ids.get(`layer:${layer}`)}["layer ${layer}"]`);
    for (const h of graph.handlers.filter((h) => h.layer === layer)) lines.push(`    ${ids.get(h.id)}["${h.label}"]`);
    lines.push('  end');
  }
  for (const edge of graph.edges) {
    const arrow = edge.kind === 'not' || edge.kind === 'clears' ? '-.->' : '-->';
    lines.push(`  ${ids.get(edge.from)} ${arrow}|${EDGE_LABEL[edge.kind]}| ${ids.get(edge.to)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Graphviz DOT text: a cluster per layer. */
export function toDot(graph: CharmGraph): string {
  const q = (text: string) => JSON.stringify(text);
  const lines = ['digraph charm {', '  rankdir=LR;', '  node [fontname="sans-serif", fontsize=11];'];
  for (const flag of graph.flags) lines.push(`  ${q(flag)} [shape=ellipse, style=filled, fillcolor="#eef5ff"];`);
  for (const [index, layer] of layersOf(graph).entries()) {
    lines.push(`  subgraph cluster_${index} {`, `    label=${q(`layer ${layer}`)};`);
    for (const h of graph.handlers.filter((h) => h.layer === layer)) lines.push(`    ${q(h.id)} [shape=box, label=${q(h.label)}];`);
    lines.push('  }');
  }
  for (const edge of graph.edges) {
    const style = edge.kind === 'not' || edge.kind === 'clears' ? ', style=dashed' : '';
    lines.push(`  ${q(edge.from)} -> ${q(edge.to)} [label=${q(EDGE_LABEL[edge.kind])}${style}];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/**
 * An SVG drawn without Graphviz: flags in a column on the left, handlers grouped by
 * layer on the right; edges from a flag to the handlers waiting for it (solid: when,
 * dashed: when not), and from a handler back to the flags it sets (green) or clears (red).
 */
export function toSvg(graph: CharmGraph): string {
  const rowHeight = 30;
  const flagX = 20;
  const flagWidth = boxWidth(graph.flags);
  // Room between the columns for the edges to fan out.
  const handlerX = flagX + flagWidth + 210;
  const handlerWidth = boxWidth(graph.handlers.map((h) => h.label));
  const flagY = new Map(graph.flags.map((flag, i) => [flag, 40 + i * rowHeight]));
  const handlerY = new Map<string, number>();
  const groups: string[] = [];
  let y = 40;
  for (const layer of layersOf(graph)) {
    const members = graph.handlers.filter((h) => h.layer === layer);
    groups.push(`<rect x="${handlerX - 10}" y="${y - 22}" width="${handlerWidth + 20}" height="${members.length * rowHeight + 24}" rx="6" fill="#f7f7f7" stroke="#bbb"/>`);
    groups.push(`<text x="${handlerX}" y="${y - 8}" font-size="11" fill="#555">layer ${escape(layer)}</text>`);
    y += 8;
    for (const h of members) {
      handlerY.set(h.id, y);
      y += rowHeight;
    }
    y += 30;
  }
  const height = Math.max(y, 60 + graph.flags.length * rowHeight);
  const color: Record<Edge['kind'], string> = { when: '#3366cc', any: '#3366cc', not: '#3366cc', sets: '#2e8b57', clears: '#cc3333' };
  const paths = graph.edges.map((edge) => {
    const toHandler = edge.kind === 'when' || edge.kind === 'any' || edge.kind === 'not';
    const fy = flagY.get(toHandler ? edge.from : edge.to)! ;
    const hy = handlerY.get(toHandler ? edge.to : edge.from)!;
    const [x1, y1, x2, y2] = toHandler ? [flagX + flagWidth, fy, handlerX, hy] : [handlerX, hy + 6, flagX + flagWidth, fy + 6];
    const dash = edge.kind === 'not' ? ' stroke-dasharray="5,4"' : '';
    return `<path d="M${x1},${y1} C${(x1 + x2) / 2},${y1} ${(x1 + x2) / 2},${y2} ${x2},${y2}" fill="none" stroke="${color[edge.kind]}" stroke-width="1.3"${dash} marker-end="url(#arrow-${edge.kind})"><title>${escape(`${edge.from} ${EDGE_LABEL[edge.kind]} ${edge.to}`)}</title></path>`;
  });
  const markers = (Object.keys(color) as Edge['kind'][]).map(
    (kind) => `<marker id="arrow-${kind}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${color[kind]}"/></marker>`,
  );
  const flagNodes = graph.flags.map((flag) => `<g><rect x="${flagX}" y="${flagY.get(flag)! - 11}" width="${flagWidth}" height="22" rx="11" fill="#eef5ff" stroke="#88a"/><text x="${flagX + 10}" y="${flagY.get(flag)! + 4}" font-size="12">${escape(flag)}</text></g>`);
  const handlerNodes = graph.handlers.map((h) => `<g><rect x="${handlerX}" y="${handlerY.get(h.id)! - 11}" width="${handlerWidth}" height="22" fill="#fff" stroke="#333"/><text x="${handlerX + 8}" y="${handlerY.get(h.id)! + 4}" font-size="12">${escape(h.label)}</text></g>`);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${handlerX + handlerWidth + 40}" height="${height}" font-family="sans-serif">`,
    `<defs>${markers.join('')}</defs>`,
    '<rect width="100%" height="100%" fill="white"/>',
    ...groups,
    ...paths,
    ...flagNodes,
    ...handlerNodes,
    '</svg>',
    '',
  ].join('\n');
}

/** A page with the SVG and a legend, to open in a browser. */
export function toHtml(graph: CharmGraph, title: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>body{font-family:sans-serif;margin:24px}.legend span{margin-right:18px}</style></head>
<body><h1>${escape(title)}</h1>
<p class="legend"><span style="color:#3366cc">— waits for (dashed: waits for it to be unset)</span><span style="color:#2e8b57">— sets</span><span style="color:#cc3333">— clears</span></p>
${toSvg(graph)}</body></html>
`;
}

/**
 * A box wide enough for the longest label at font-size 12. DejaVu Sans (Debian's
 * sans-serif) draws MinIO's flag names at about 5.4 px a character; 7.2 leaves room for
 * wider fonts and capitals. The browser test checks every label fits.
 */
function boxWidth(labels: readonly string[]): number {
  const longest = Math.max(0, ...labels.map((label) => label.length));
  return Math.max(160, Math.ceil(longest * 7.2) + 24);
}

function layersOf(graph: CharmGraph): string[] {
  return [...new Set(graph.handlers.map((h) => h.layer))];
}

function nodeIds(graph: CharmGraph): Map<string, string> {
  const ids = new Map<string, string>();
  graph.flags.forEach((flag, i) => ids.set(flag, `f${i}`));
  graph.handlers.forEach((h, i) => ids.set(h.id, `h${i}`));
  layersOf(graph).forEach((layer, i) => ids.set(`layer:${layer}`, `l${i}`));
  return ids;
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
