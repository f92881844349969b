import mitt, { type Emitter } from 'mitt';

/** The three dispatch phases of the original, plus `restricted` for metric hooks. */
export type Phase = 'hooks' | 'other' | 'restricted';

/**
 * Everything the engine reports while it runs, as one typed event map. The runtime's
 * logger and the local model's timeline subscribe; the engine never formats log lines.
 */
export type ReactiveEvents = {
  /** A dispatch begins for `hookName`. */
  'dispatch:start': { hookName: string; restricted: boolean };
  /**
   * A round begins: the hooks phase, the restricted round, or other-phase iteration
   * `iteration`. `queue` holds the ids that passed their test, in registration order.
   */
  round: { phase: Phase; iteration: number | null; queue: readonly string[] };
  /** A handler is about to run. */
  'handler:start': { handlerId: string; phase: Phase; iteration: number | null };
  /** A handler returned (`ok`) or threw (`ok: false`, including `exitHook`). */
  'handler:end': { handlerId: string; ok: boolean };
  /** A clear re-tested the rest of the queue; `dropped` no longer passed. */
  'queue:retest': { remaining: readonly string[]; dropped: readonly string[] };
  /** A flag went from unset to set. */
  'flag:set': { flag: string; value: unknown };
  /** A flag went from set to unset. */
  'flag:clear': { flag: string };
  /** A trigger fired on a transition of `flag`. */
  'trigger:fired': {
    on: 'set' | 'clear';
    flag: string;
    setFlags: readonly string[];
    clearFlags: readonly string[];
    callbacks: number;
  };
  /**
   * The other phase ran its 100th iteration with handlers still queued. The original
   * stops silently here; the result is the same, and this event says so.
   */
  'dispatch:cap': { iterations: number; queue: readonly string[] };
  /** Dispatch finished (normally, at the cap, or by `exitHook(0)`). */
  'dispatch:end': { iterations: number; invocations: number; capReached: boolean; exited: boolean };
};

/** The emitter type of {@link ReactiveEvents}. */
export type ReactiveEmitter = Emitter<ReactiveEvents>;

/** A fresh emitter for one reactor. */
export function createEmitter(): ReactiveEmitter {
  return mitt<ReactiveEvents>();
}
