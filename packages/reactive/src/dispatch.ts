import { runWithContext, type HandlerContext } from './context.js';
import { HandlerError } from './errors.js';
import { isOnlyOnce, type HandlerInfo } from './handler.js';
import { isHookExit } from './hook-exit.js';
import { retestQueue, roundQueue } from './plan.js';
import type { HandlerRegistry } from './registry.js';
import type { HookSession } from './session.js';

/** The original's `range(100)`: the other phase runs at most this many iterations. */
export const MAX_ITERATIONS = 100;

/** What one dispatch did. */
export interface DispatchResult {
  /** Other-phase iterations that ran a queue. */
  readonly iterations: number;
  /** Handler invocations, all phases. */
  readonly invocations: number;
  /** The 100th iteration ran: the original stops there without a word. */
  readonly capReached: boolean;
  /** A handler ended the hook early with `exitHook(0)`. */
  readonly exited: boolean;
}

/**
 * The runner half of dispatch (spec §6): the hooks phase, then other-phase iterations
 * until a test queues nothing or 100 iterations ran; or, for `collect-metrics` and
 * `meter-status-changed`, one restricted round.
 *
 * @throws HandlerError (`HANDLER_FAILED`) when a handler throws; HookExit for a
 * non-zero `exitHook`. `exitHook(0)` ends dispatch and returns with `exited: true`.
 */
export async function dispatch(
  registry: HandlerRegistry<HandlerContext>,
  session: HookSession,
  restricted: boolean,
): Promise<DispatchResult> {
  const { emitter, watch } = session;
  let invocations = 0;
  let iterations = 0;
  let capReached = false;

  const invoke = async (handler: HandlerInfo): Promise<void> => {
    invocations += 1;
    emitter.emit('handler:start', {
      handlerId: handler.id,
      phase: session.phase!,
      iteration: session.phase === 'other' ? watch.iteration : null,
    });
    try {
      const context: HandlerContext = Object.create(session.context, { handlerId: { value: handler.id, enumerable: true } });
      // Module-level functions called from the handler see its context, handler id included.
      const run = registry.runOf(handler);
      await runWithContext(context, () => run(context));
    } catch (error) {
      emitter.emit('handler:end', { handlerId: handler.id, ok: false });
      if (isHookExit(error)) throw error;
      throw new HandlerError(handler.id, session.hookName, error);
    }
    // Marked only after a normal return, as the original's post-callback does.
    if (isOnlyOnce(handler)) session.markInvoked(handler.id);
    emitter.emit('handler:end', { handlerId: handler.id, ok: true });
  };

  // One round (the original's `_invoke`): walk the queue; after any clear, re-test
  // what is left of it and walk again; finally let the round's changes gate the next.
  const runRound = async (queue: HandlerInfo[]): Promise<void> => {
    let rest = queue;
    while (rest.length > 0) {
      session.removedFlag = false;
      let index = 0;
      for (; index < rest.length; index += 1) {
        await invoke(rest[index]!);
        if (session.removedFlag) break;
      }
      if (index >= rest.length) break;
      const remaining = rest.slice(index + 1);
      rest = retestQueue(remaining, session);
      if (rest.length !== remaining.length) {
        emitter.emit('queue:retest', {
          remaining: rest.map((h) => h.id),
          dropped: remaining.filter((h) => !rest.includes(h)).map((h) => h.id),
        });
      }
    }
    watch.commit();
  };

  const startRound = (iteration: number | null): HandlerInfo[] => {
    const queue = roundQueue(registry, session);
    emitter.emit('round', { phase: session.phase!, iteration, queue: queue.map((h) => h.id) });
    return queue;
  };

  watch.reset();
  emitter.emit('dispatch:start', { hookName: session.hookName, restricted });
  try {
    if (restricted) {
      session.phase = 'restricted';
      await runRound(startRound(null));
    } else {
      session.phase = 'hooks';
      await runRound(startRound(null));
      session.phase = 'other';
      for (let i = 0; i < MAX_ITERATIONS; i += 1) {
        watch.iteration = i;
        const queue = startRound(i);
        if (queue.length === 0) break;
        iterations += 1;
        // The last allowed iteration has work: the cap is reached whatever happens next.
        if (i === MAX_ITERATIONS - 1) capReached = true;
        await runRound(queue);
        if (capReached) emitter.emit('dispatch:cap', { iterations: MAX_ITERATIONS, queue: queue.map((h) => h.id) });
      }
      watch.reset();
    }
  } catch (error) {
    if (!isHookExit(error) || error.exitCode !== 0) throw error;
    emitter.emit('dispatch:end', { iterations, invocations, capReached, exited: true });
    return { iterations, invocations, capReached, exited: true };
  }
  emitter.emit('dispatch:end', { iterations, invocations, capReached, exited: false });
  return { iterations, invocations, capReached, exited: false };
}
