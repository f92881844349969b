/**
 * How a handler and a flag are joined: a flag to a handler that waits for it (`when`,
 * `any` for one of several, `not` for waiting until it is unset), or a handler to a flag
 * it `sets` or `clears`.
 */
export type GraphEdgeKind = 'when' | 'any' | 'not' | 'sets' | 'clears';

/** An edge of the handler/flag graph: `from` and `to` are a flag name and a handler id. */
export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: GraphEdgeKind;
}

/** Every kind, in the order legends list them. */
export const EDGE_KINDS: readonly GraphEdgeKind[] = ['when', 'any', 'not', 'sets', 'clears'];

/** The words an edge of each kind is labelled with. */
export const EDGE_LABEL: Readonly<Record<GraphEdgeKind, string>> = { when: 'when', any: 'when any', not: 'when not', sets: 'sets', clears: 'clears' };
