import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk.bundled.js';
import { backEdges } from './graph-back-edges.js';
import type { GraphEdge } from './graph-edge.js';
import type { CharmGraph } from './graph.js';

/** A rectangle of the drawing, in pixels from its top left corner. */
export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** A flag or a handler where the layout put it. `layer` is the box it sits in, if any. */
export interface PlacedNode extends Box {
  readonly id: string;
  readonly kind: 'flag' | 'handler';
  readonly label: string;
  readonly layer: string | undefined;
}

/** A layer's box, around its handlers and the flags only its handlers set. */
export interface PlacedLayer extends Box {
  readonly name: string;
  readonly label: string;
}

/**
 * An edge as drawn: `points` run from `from` to `to` (arrow at the last point), joined by
 * horizontal and vertical segments. A back edge runs against the flow, right to left.
 */
export interface PlacedEdge extends GraphEdge {
  readonly back: boolean;
  readonly points: readonly { readonly x: number; readonly y: number }[];
}

/** Where everything of a charm's graph goes. */
export interface GraphLayout {
  readonly width: number;
  readonly height: number;
  readonly layers: readonly PlacedLayer[];
  readonly nodes: readonly PlacedNode[];
  readonly edges: readonly PlacedEdge[];
}

/** Node heights and the room a layer box keeps above its members for its label. */
export const NODE_HEIGHT = 24;
export const LAYER_LABEL_ROOM = 28;

/**
 * A box wide enough for a label at font-size 12. DejaVu Sans (Debian's sans-serif)
 * draws MinIO's flag names at about 5.4 px a character; 7.2 leaves room for wider fonts
 * and capitals. The browser test checks every label fits.
 */
export function labelWidth(label: string): number {
  return Math.ceil(label.length * 7.2) + 24;
}

/**
 * Room between ranks and between parallel edges, for the drawing and for each layer box
 * (elk does not pass a graph's options down to the graphs inside its compound nodes).
 * Ranks are far enough apart for a back edge and two edges into the same flag to run
 * side by side and still be told apart.
 */
const SPACING = {
  'elk.spacing.nodeNode': '16',
  'elk.spacing.edgeEdge': '10',
  'elk.spacing.edgeNode': '12',
  'elk.layered.spacing.nodeNodeBetweenLayers': '64',
  'elk.layered.spacing.edgeNodeBetweenLayers': '16',
  'elk.layered.spacing.edgeEdgeBetweenLayers': '10',
};

/**
 * Lays the graph out as a flow with elk's layered algorithm (ranks left to right): a box
 * per layer with its handlers and the flags only that layer's handlers set; the flags the
 * runtime or several layers set stay outside. The edges {@link backEdges} picks are given
 * to elk reversed, so elk ranks an acyclic graph and the chosen edge of each cycle comes
 * out drawn right to left. elk runs in this process (its bundled build, no worker) and is
 * loaded only here, so `charms --help` and the Mermaid and DOT formats never load it.
 * Deterministic: elk's layered algorithm has a fixed random seed, and the input order is
 * the graph's.
 */
export async function layoutGraph(graph: CharmGraph): Promise<GraphLayout> {
  const back = backEdges(graph.edges);
  const owner = flagOwners(graph);
  const layers = [...new Set(graph.handlers.map((h) => h.layer))];
  const elkId = {
    flag: (name: string) => `flag:${name}`,
    handler: (id: string) => `handler:${id}`,
    layer: (name: string) => `layer:${name}`,
  };
  const leaf = (id: string, label: string): ElkNode => ({ id, width: labelWidth(label), height: NODE_HEIGHT });
  const children: ElkNode[] = [
    ...graph.flags.filter((flag) => owner.get(flag) === undefined).map((flag) => leaf(elkId.flag(flag), flag)),
    ...layers.map((layer): ElkNode => ({
      id: elkId.layer(layer),
      layoutOptions: {
        ...SPACING,
        'elk.padding': `[top=${LAYER_LABEL_ROOM},left=12,bottom=12,right=12]`,
        // Wide enough for its own label, however narrow its members.
        'elk.nodeSize.constraints': 'MINIMUM_SIZE',
        'elk.nodeSize.minimum': `(${labelWidth(layerLabel(layer))}, ${LAYER_LABEL_ROOM + NODE_HEIGHT + 12})`,
      },
      children: [
        ...graph.handlers.filter((h) => h.layer === layer).map((h) => leaf(elkId.handler(h.id), h.label)),
        ...graph.flags.filter((flag) => owner.get(flag) === layer).map((flag) => leaf(elkId.flag(flag), flag)),
      ],
    })),
  ];
  const isFlag = new Set(graph.flags);
  const endpoint = (name: string) => (isFlag.has(name) ? elkId.flag(name) : elkId.handler(name));
  const edges: ElkExtendedEdge[] = graph.edges.map((edge, index) => {
    const [source, target] = back.has(index) ? [edge.to, edge.from] : [edge.from, edge.to];
    return { id: `e${index}`, sources: [endpoint(source)], targets: [endpoint(target)] };
  });
  const root: ElkNode = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      // One layering across the layer boxes: an edge into a box joins the ranks inside it.
      'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
      'elk.edgeRouting': 'ORTHOGONAL',
      // Every coordinate from the drawing's corner, not from the enclosing box.
      'elk.json.shapeCoords': 'ROOT',
      'elk.json.edgeCoords': 'ROOT',
      'elk.padding': '[top=12,left=12,bottom=12,right=12]',
      ...SPACING,
    },
    children,
    edges,
  };
  const { default: ELK } = await import('elkjs/lib/elk.bundled.js');
  const placed = await new ELK().layout(root);

  const shapes = new Map<string, ElkNode>();
  const collect = (node: ElkNode) => {
    for (const child of node.children ?? []) {
      shapes.set(child.id, child);
      collect(child);
    }
  };
  collect(placed);
  const box = (id: string): Box => {
    const shape = shapes.get(id);
    if (shape?.x === undefined || shape.y === undefined || shape.width === undefined || shape.height === undefined) {
      throw new Error(`elk placed no box for ${id}: the graph layout is incomplete (a bug in charms graph)`);
    }
    return { x: shape.x, y: shape.y, width: shape.width, height: shape.height };
  };
  const routes = new Map((placed.edges ?? []).map((edge) => [edge.id, edge]));
  return {
    width: placed.width ?? 0,
    height: placed.height ?? 0,
    layers: layers.map((name) => ({ name, label: layerLabel(name), ...box(elkId.layer(name)) })),
    nodes: [
      ...graph.flags.map((flag): PlacedNode => ({ id: flag, kind: 'flag', label: flag, layer: owner.get(flag), ...box(elkId.flag(flag)) })),
      ...graph.handlers.map((h): PlacedNode => ({ id: h.id, kind: 'handler', label: h.label, layer: h.layer, ...box(elkId.handler(h.id)) })),
    ],
    edges: graph.edges.map((edge, index) => {
      const sections = routes.get(`e${index}`)?.sections ?? [];
      if (sections.length === 0) throw new Error(`elk routed no path for ${edge.from} ${edge.kind} ${edge.to}: the graph layout is incomplete (a bug in charms graph)`);
      const points = sections.flatMap((s) => [s.startPoint, ...(s.bendPoints ?? []), s.endPoint]).map(({ x, y }) => ({ x, y }));
      // A back edge went to elk reversed: turn its path round so it ends at its target.
      return { ...edge, back: back.has(index), points: back.has(index) ? points.reverse() : points };
    }),
  };
}

/** The text on a layer's box. */
export function layerLabel(layer: string): string {
  return `layer ${layer}`;
}

/**
 * The layer whose box a flag is drawn in: the one layer whose handlers set it. A flag
 * set by handlers of several layers, or only by the runtime (`config.changed`,
 * `endpoint.*`), has none and is drawn outside the boxes.
 */
function flagOwners(graph: CharmGraph): Map<string, string | undefined> {
  const layerOf = new Map(graph.handlers.map((h) => [h.id, h.layer]));
  const setters = new Map<string, Set<string>>();
  for (const edge of graph.edges) {
    if (edge.kind !== 'sets') continue;
    const layers = setters.get(edge.to) ?? new Set<string>();
    layers.add(layerOf.get(edge.from)!);
    setters.set(edge.to, layers);
  }
  return new Map(graph.flags.map((flag) => {
    const layers = [...(setters.get(flag) ?? [])];
    return [flag, layers.length === 1 ? layers[0] : undefined];
  }));
}
