import { ModelError } from './model-errors.js';
import type { RelationEnd } from './model-state.js';
import type { CharmEndpoint } from './scheduler-operations.js';

/** The two ends `juju integrate` would join, and their interface. */
export interface MatchedEndpoints {
  readonly interface: string;
  readonly ends: readonly [RelationEnd, RelationEnd];
}

/**
 * Finds the endpoints `juju integrate a b` joins: `a` and `b` are `app:endpoint`, or
 * `app` when only one endpoint fits. Two endpoints fit when they share the interface and
 * one provides while the other requires; exactly one pair must fit.
 * @param endpointsOf the endpoints of a deployed application's charm; throws for an unknown one.
 * @throws ModelError `INVALID_RELATION` when no pair fits, several do, or the endpoint is a peer relation.
 */
export function matchEndpoints(a: string, b: string, endpointsOf: (app: string) => readonly CharmEndpoint[]): MatchedEndpoints {
  const resolveEnd = (spec: string) => {
    const [app, endpoint] = spec.split(':');
    return { app: app!, candidates: endpointsOf(app!).filter((e) => !endpoint || e.name === endpoint) };
  };
  const left = resolveEnd(a);
  const right = resolveEnd(b);
  const pairs = left.candidates.flatMap((l) =>
    right.candidates
      .filter((r) => r.interface === l.interface && ((l.role === 'provides' && r.role === 'requires') || (l.role === 'requires' && r.role === 'provides')))
      .map((r) => [l, r] as const),
  );
  const peer = left.app === right.app ? left.candidates.find((e) => e.role === 'peers') : undefined;
  if (pairs.length === 0 && peer) {
    throw new ModelError('INVALID_RELATION', `${left.app}:${peer.name} is a peer relation: Juju makes it when the application is deployed, and it cannot be related by hand`);
  }
  if (pairs.length !== 1) {
    throw new ModelError(
      'INVALID_RELATION',
      pairs.length === 0
        ? `no endpoints of ${a} and ${b} fit together (one must provide and the other require the same interface)`
        : `${a} and ${b} fit on several endpoints: name them, e.g. ${left.app}:${pairs[0]![0].name} ${right.app}:${pairs[0]![1].name}`,
    );
  }
  const [l, r] = pairs[0]!;
  return {
    interface: l.interface,
    ends: [
      { app: left.app, endpoint: l.name, role: l.role },
      { app: right.app, endpoint: r.name, role: r.role },
    ],
  };
}
