import {
  createReactor,
  hook,
  meterStatusChanged,
  collectMetrics,
  onlyOnce,
  when,
  whenAll,
  whenAny,
  whenNone,
  whenNot,
  whenNotAll,
  type HandlerSpec,
  type ReactiveContext,
  type ReactiveDecorator,
  type Reactor,
  type TriggerOptions,
} from '@charms/reactive';
import type { Fixture, FixtureAction, FixtureDecorator, FixtureHandler, FixtureTrigger } from './fixture-schema.js';

/** The error a `{"raise": msg}` action throws (Python's role: a plain exception). */
export class FixtureRaise extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FixtureRaise';
  }
}

/**
 * Builds the charm a fixture describes, through the public API only: its triggers are
 * registered at load time, then its handlers in list order. Each call builds a fresh
 * reactor, as each hook is a fresh process.
 */
export function fixtureCharm(fixture: Fixture): Reactor {
  const reactor = createReactor();
  for (const trigger of fixture.triggers ?? []) reactor.registerTrigger(triggerOptions(trigger));
  for (const handler of fixture.handlers) {
    const spec = handlerSpec(handler);
    if (!spec) continue; // No decorator at all: the original never registers it.
    const actions = handler.actions;
    reactor.handle(spec, (context) => runActions(actions, context));
  }
  return reactor;
}

/** Runs fixture actions in order, synchronously, like the Python handler bodies. */
export function runActions(actions: readonly FixtureAction[], context: ReactiveContext): void {
  for (const action of actions) {
    if ('set' in action) context.setFlag(action.set, action.value ?? null);
    else if ('clear' in action) context.clearFlag(action.clear);
    else if ('toggle' in action) context.toggleFlag(action.toggle, action.value);
    else if ('if_set' in action) runActions((context.isFlagSet(action.if_set) ? action.then : action.else) ?? [], context);
    else if ('raise' in action) throw new FixtureRaise(action.raise);
    else if ('exit' in action) context.exit(action.exit ?? 0);
    else if ('register_trigger' in action) context.registerTrigger(triggerOptions(action.register_trigger));
  }
}

/** A fixture trigger as `registerTrigger` options; each call makes a new callback. */
function triggerOptions(trigger: FixtureTrigger): TriggerOptions<ReactiveContext> {
  const callback = trigger.callback;
  return {
    when: trigger.when ?? undefined,
    whenNot: trigger.when_not ?? undefined,
    setFlag: trigger.set_flag ?? undefined,
    clearFlag: trigger.clear_flag ?? undefined,
    // An empty callback list still counts as a callback, as in the fixture format.
    callback: Array.isArray(callback) ? (context) => runActions(callback, context) : undefined,
  };
}

const DECORATOR_FACTORIES: Record<string, (value: never) => ReactiveDecorator | undefined> = {
  when: (flags: string[]) => when(...flags),
  when_all: (flags: string[]) => whenAll(...flags),
  when_any: (flags: string[]) => whenAny(...flags),
  when_not: (flags: string[]) => whenNot(...flags),
  when_none: (flags: string[]) => whenNone(...flags),
  when_not_all: (flags: string[]) => whenNotAll(...flags),
  hook: (patterns: string | string[]) => hook(...(typeof patterns === 'string' ? [patterns] : patterns)),
  only_once: (on: boolean) => (on ? onlyOnce : undefined),
  collect_metrics: (on: boolean) => (on ? collectMetrics : undefined),
  meter_status_changed: (on: boolean) => (on ? meterStatusChanged : undefined),
};

/** The handler's spec, or undefined when no decorator applies. */
function handlerSpec(handler: FixtureHandler): HandlerSpec | undefined {
  if (handler.decorators !== undefined) {
    const decorators = handler.decorators
      .map((decorator: FixtureDecorator) => {
        const [key, value] = Object.entries(decorator)[0]!;
        return DECORATOR_FACTORIES[key]!(value as never);
      })
      .filter((d): d is ReactiveDecorator => d !== undefined);
    return decorators.length > 0 ? { id: handler.id, decorators } : undefined;
  }
  // Only the keys that apply go into the spec: absent, null, [] and false mean "not applied".
  const spec: { -readonly [K in keyof HandlerSpec]: HandlerSpec[K] } = { id: handler.id };
  if (handler.when?.length) spec.when = handler.when;
  if (handler.when_all?.length) spec.whenAll = handler.when_all;
  if (handler.when_any?.length) spec.whenAny = handler.when_any;
  if (handler.when_not?.length) spec.whenNot = handler.when_not;
  if (handler.when_none?.length) spec.whenNone = handler.when_none;
  if (handler.when_not_all?.length) spec.whenNotAll = handler.when_not_all;
  if (handler.hook?.length) spec.hook = handler.hook;
  if (handler.only_once === true) spec.onlyOnce = true;
  if (handler.collect_metrics === true) spec.collectMetrics = true;
  if (handler.meter_status_changed === true) spec.meterStatusChanged = true;
  // Nothing but the id: no decorator applies.
  for (const key in spec) if (key !== 'id') return spec;
  return undefined;
}
