import { invokedHandlerIds, type Predicate, type ReactiveEmitter, type Reactor, type UnitStateSnapshot } from '@charms/reactive';

/** One thing that happened in a hook, as a trace records it. */
export type TraceEvent =
  | { readonly t: 'stage'; readonly stage: 'atstart' | 'dispatch' | 'atexit' }
  | { readonly t: 'round'; readonly phase: string; readonly iteration: number | null; readonly queue: readonly string[] }
  | { readonly t: 'run'; readonly id: string }
  | { readonly t: 'end'; readonly id: string; readonly ok: boolean }
  | { readonly t: 'retest'; readonly dropped: readonly string[] }
  | { readonly t: 'set' | 'clear'; readonly flag: string; readonly by: string }
  | { readonly t: 'cap' };

/**
 * What `charms explain` reads for one hook: the handlers with their conditions, the
 * flags and once-marks at the start, and every round, run and flag change in order,
 * each change with the handler (or stage) that made it. Flag values are not recorded.
 */
export interface HookTraceRecord {
  readonly format: 'charms.hook-trace/1';
  readonly hook: string;
  readonly unit: string;
  readonly handlers: readonly { readonly id: string; readonly predicates: readonly Predicate[]; readonly watched: readonly string[] }[];
  readonly flagsAtStart: readonly string[];
  /** Handlers whose @onlyOnce mark was already set at the start. */
  readonly alreadyRan: readonly string[];
  readonly events: TraceEvent[];
  outcome?: { readonly ok: boolean; readonly stage?: string; readonly error?: string };
}

/** Starts recording a hook's trace from the engine's events. */
export function recordTrace(
  events: ReactiveEmitter,
  start: { committed: UnitStateSnapshot | undefined; handlers: Reactor['handlers'] },
  hook: string,
  unit: string,
): HookTraceRecord {
  const trace: HookTraceRecord = {
    format: 'charms.hook-trace/1',
    hook,
    unit,
    handlers: start.handlers.map(({ id, predicates, watched }) => ({ id, predicates, watched })),
    flagsAtStart: Object.keys(start.committed?.flags ?? {}).sort(),
    alreadyRan: invokedHandlerIds(start.committed?.data ?? {}),
    events: [{ t: 'stage', stage: 'atstart' }],
  };
  const running: string[] = [];
  let stage = 'atstart';
  events.on('dispatch:start', () => {
    stage = 'dispatch';
    trace.events.push({ t: 'stage', stage: 'dispatch' });
  });
  events.on('dispatch:end', () => {
    stage = 'atexit';
    trace.events.push({ t: 'stage', stage: 'atexit' });
  });
  events.on('round', ({ phase, iteration, queue }) => void trace.events.push({ t: 'round', phase, iteration, queue }));
  events.on('handler:start', ({ handlerId }) => {
    running.push(handlerId);
    trace.events.push({ t: 'run', id: handlerId });
  });
  events.on('handler:end', ({ handlerId, ok }) => {
    running.pop();
    trace.events.push({ t: 'end', id: handlerId, ok });
  });
  events.on('queue:retest', ({ dropped }) => void trace.events.push({ t: 'retest', dropped }));
  events.on('flag:set', ({ flag }) => void trace.events.push({ t: 'set', flag, by: running.at(-1) ?? stage }));
  events.on('flag:clear', ({ flag }) => void trace.events.push({ t: 'clear', flag, by: running.at(-1) ?? stage }));
  events.on('dispatch:cap', () => void trace.events.push({ t: 'cap' }));
  return trace;
}
