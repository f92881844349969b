import type { GraphEdge, GraphEdgeKind } from './graph-edge.js';

/**
 * The kinds the reading flow follows: a flag makes a handler run, the handler sets the
 * next flag. A `when not` guard on a flag the handler sets itself (`start` waits for
 * `started` to be unset, then sets it) and a `clears` that resets a flag the handler
 * waited for close the loops, so they are the first candidates to be drawn backwards.
 */
const FLOW_KINDS: ReadonlySet<GraphEdgeKind> = new Set(['when', 'any', 'sets']);

/**
 * Which edges to draw against the left-to-right flow (by their index in `edges`), so that
 * the rest form no cycle. Flow edges are kept forward first, in the order given, then the
 * guards and clears that do not close a cycle; an edge that would close one is a back
 * edge. The layout then ranks the forward edges only, so `image available → start →
 * started → ready` reads left to right and each cycle shows as one edge drawn backwards.
 * Deterministic: the same edges in the same order give the same answer.
 */
export function backEdges(edges: readonly GraphEdge[]): ReadonlySet<number> {
  const forward = new Map<string, string[]>();
  const reaches = (from: string, to: string): boolean => {
    const seen = new Set<string>();
    const stack = [from];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (node === to) return true;
      if (seen.has(node)) continue;
      seen.add(node);
      stack.push(...(forward.get(node) ?? []));
    }
    return false;
  };
  const back = new Set<number>();
  for (const flow of [true, false]) {
    edges.forEach((edge, index) => {
      if (FLOW_KINDS.has(edge.kind) !== flow) return;
      if (reaches(edge.to, edge.from)) back.add(index);
      else forward.set(edge.from, [...(forward.get(edge.from) ?? []), edge.to]);
    });
  }
  return back;
}
