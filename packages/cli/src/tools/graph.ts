import type { CharmAnalysis } from './charm-analysis.js';
import { EDGE_LABEL, type GraphEdge } from './graph-edge.js';
import { layoutGraph } from './graph-layout.js';
import { drawHtml, drawSvg } from './graph-svg.js';

/** Flags and handlers, and which waits for or changes which. */
export interface CharmGraph {
  readonly flags: readonly string[];
  readonly handlers: readonly { readonly id: string; readonly layer: string; readonly label: string }[];
  readonly edges: readonly GraphEdge[];
}

/** The graph of a charm's handlers (from every layer it includes) and the flags they wait for, set and clear. */
export function charmGraph(analysis: CharmAnalysis): CharmGraph {
  const edges: GraphEdge[] = [];
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
 * An SVG of the graph laid out as a flow (see {@link layoutGraph}): flags and handlers in
 * ranks left to right, layers as boxes, one edge of each cycle drawn backwards over a
 * yellow band, and a legend of the edge styles. Async: elk's layout is.
 */
export async function toSvg(graph: CharmGraph): Promise<string> {
  return drawSvg(await layoutGraph(graph));
}

/** A page with a title and the SVG, to open in a browser. */
export async function toHtml(graph: CharmGraph, title: string): Promise<string> {
  return drawHtml(await layoutGraph(graph), title);
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
