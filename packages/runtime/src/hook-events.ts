import type { ReactiveEmitter, ReactiveEvents } from '@charms/reactive';

/** A view of a reactor's event stream that lives for one hook. */
export interface HookEvents {
  /** Subscribe here; everything subscribed goes away with {@link HookEvents.close}. */
  readonly events: ReactiveEmitter;
  /** Removes every handler added through `events`. */
  close(): void;
}

type AnyHandler = (...args: never[]) => void;

/**
 * The reactor's emitter outlives a hook when a charm reuses one reactor (tests, the
 * conformance runner, a long-lived process): observers of one hook must not keep
 * hearing the next. Handlers registered through the view are remembered and removed
 * when the hook ends; events themselves still come from the reactor's one emitter.
 */
export function hookEvents(source: ReactiveEmitter): HookEvents {
  const added: [keyof ReactiveEvents | '*', AnyHandler][] = [];
  const events: ReactiveEmitter = {
    all: source.all,
    on: ((type: keyof ReactiveEvents | '*', handler: AnyHandler) => {
      added.push([type, handler]);
      (source.on as (t: typeof type, h: AnyHandler) => void)(type, handler);
    }) as ReactiveEmitter['on'],
    off: ((type: keyof ReactiveEvents | '*', handler?: AnyHandler) => {
      (source.off as (t: typeof type, h?: AnyHandler) => void)(type, handler);
    }) as ReactiveEmitter['off'],
    emit: source.emit.bind(source) as ReactiveEmitter['emit'],
  };
  return {
    events,
    close() {
      for (const [type, handler] of added.splice(0)) (source.off as (t: typeof type, h: AnyHandler) => void)(type, handler);
    },
  };
}
