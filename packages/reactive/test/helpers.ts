import { UnitState, type DispatchResult, type Phase, type Reactor, type RelationMetadata } from '@charms/reactive';

export interface Round {
  phase: Phase;
  iteration: number | null;
  queued: string[];
  invoked: string[];
}

export interface DispatchRecord {
  state: UnitState;
  result: DispatchResult;
  invoked: string[];
  rounds: Round[];
  flags: string[];
}

/**
 * Runs one dispatch of `reactor` over fresh in-memory state holding `flags`, and
 * records what ran, round by round, from the event stream.
 */
export async function dispatchOnce(
  reactor: Reactor,
  options: { hookName?: string; flags?: string[]; restricted?: boolean; metadata?: RelationMetadata; state?: UnitState } = {},
): Promise<DispatchRecord> {
  const state =
    options.state ?? new UnitState({ flags: Object.fromEntries((options.flags ?? []).map((f) => [f, null])), data: {} });
  const rounds: Round[] = [];
  const invoked: string[] = [];
  const onRound = ({ phase, iteration, queue }: { phase: Phase; iteration: number | null; queue: readonly string[] }) => {
    if (queue.length > 0) rounds.push({ phase, iteration, queued: [...queue], invoked: [] });
  };
  const onStart = ({ handlerId }: { handlerId: string }) => {
    invoked.push(handlerId);
    rounds.at(-1)?.invoked.push(handlerId);
  };
  reactor.events.on('round', onRound);
  reactor.events.on('handler:start', onStart);
  try {
    const run = reactor.beginHook({ hookName: options.hookName ?? 'update-status', state, metadata: options.metadata });
    const result = await run.run(() => run.dispatch(options.restricted ?? false));
    return { state, result, invoked, rounds, flags: [...state.flags.keys()].sort() };
  } finally {
    reactor.events.off('round', onRound);
    reactor.events.off('handler:start', onStart);
  }
}

/** Records the order of calls made by handlers and callbacks. */
export function recorder(): { calls: string[]; note: (entry: string) => () => void } {
  const calls: string[] = [];
  return { calls, note: (entry) => () => void calls.push(entry) };
}
