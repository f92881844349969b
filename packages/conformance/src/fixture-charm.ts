import {
  createReactor,
  currentContext,
  registerTrigger,
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
  type HandlerContext,
  type HandlerSpec,
  type ReactiveContext,
  type ReactiveDecorator,
  type Reactor,
  type TriggerOptions,
} from '@charms/reactive';
import { defineInterface, Endpoint, endpointFromFlag, endpointFromName, type EndpointClass } from '@charms/runtime';
import type { Fixture, FixtureAction, FixtureDecorator, FixtureEndpointClass, FixtureHandler, FixtureTrigger } from './fixture-schema.js';

/** The error a `{"raise": msg}` action throws (Python's role: a plain exception). */
export class FixtureRaise extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FixtureRaise';
  }
}

/** Python's `AttributeError`: an endpoint action where the original's `self` is `None`. */
export class FixtureAttributeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AttributeError';
  }
}

/** One `record_*` (or endpoint_from_*) observation of an Endpoint fixture. */
export interface FixtureRecord {
  by: string;
  endpoint: string | null;
  kind: string;
  key: string | null;
  value: unknown;
}

/**
 * What the charm of an Endpoint fixture shares with the runner during one hook: the
 * records, who is recording (`<startup>` until a handler or `manageFlags` runs), and
 * the relation of a relation hook (`JUJU_RELATION`).
 */
export interface EndpointRun {
  readonly records: FixtureRecord[];
  by: string;
  readonly relationName: string | undefined;
}

/** Where actions run: the context, and the endpoint that is `self` (null for a charm handler). */
interface ActionScope {
  readonly context: ReactiveContext;
  readonly endpoint: Endpoint | null;
  readonly run: EndpointRun | undefined;
}

/**
 * Builds the charm a fixture describes, through the public API only: its triggers are
 * registered at load time, then its handlers in list order, then (Endpoint fixtures)
 * one interface layer per interface with its Endpoint classes. Each call builds a fresh
 * reactor, as each hook is a fresh process.
 */
export function fixtureCharm(fixture: Fixture, run?: EndpointRun): Reactor {
  const reactor = createReactor();
  for (const trigger of fixture.triggers ?? []) reactor.registerTrigger(triggerOptions(trigger, undefined));
  for (const handler of fixture.handlers ?? []) {
    const spec = handlerSpec(handler);
    if (!spec) continue; // No decorator at all: the original never registers it.
    const actions = handler.actions;
    if (!run) {
      reactor.handle(spec, (context) => runActions(actions, context));
      continue;
    }
    const hooked = handler.hook?.length || handler.decorators?.some((d) => 'hook' in d);
    reactor.handle(spec, async (context: HandlerContext) => {
      run.by = context.handlerId;
      // The original passes a charm's @hook handler the endpoint of the relation hook
      // when it has an Endpoint class; these handlers take no parameter.
      if (hooked && (await endpointFromName(run.relationName))) {
        throw new TypeError('_make_action.<locals>.action() takes 0 positional arguments but 1 was given');
      }
      await runScopedActions(actions, { context, endpoint: null, run });
    });
  }
  if (run && fixture.endpoint_classes?.length) {
    const byInterface = new Map<string, Partial<Record<FixtureEndpointClass['role'], { endpointClass: EndpointClass; id: string }>>>();
    for (const definition of fixture.endpoint_classes) {
      const roles = byInterface.get(definition.interface) ?? {};
      roles[definition.role] = { endpointClass: endpointClass(definition, run), id: definition.id };
      byInterface.set(definition.interface, roles);
    }
    for (const [name, roles] of byInterface) reactor.use(defineInterface(name, roles));
  }
  return reactor;
}

// Members the runtime calls on every endpoint: a handler id may not replace them.
const RESERVED = new Set(['constructor', 'load', 'manageFlags', 'registerTriggers', 'expandName', 'relations', 'allJoinedUnits', 'joinedUnits', 'allDepartedUnits', 'isJoined', 'name', 'role', 'interface', 'endpointName', 'relationIds', 'units']);

/**
 * The Endpoint class a fixture describes, as an interface layer author would write it:
 * one method per handler with the reactive decorators applied (by hand, bottom-up, as
 * TC39 decorators are), plus `manageFlags` / `registerTriggers` when given.
 */
function endpointClass(definition: FixtureEndpointClass, run: EndpointRun): EndpointClass {
  const cls = class extends Endpoint {};
  Object.defineProperty(cls, 'name', { value: definition.id });
  const parentMetadata = (Endpoint as unknown as Record<symbol, object | undefined>)[Symbol.metadata as symbol];
  const metadata: Record<PropertyKey, unknown> = Object.create(parentMetadata ?? null);
  Object.defineProperty(cls, Symbol.metadata as symbol, { value: metadata, configurable: true });
  for (const handler of definition.handlers) {
    const decorators = handlerDecorators(handler);
    if (decorators.length === 0) continue;
    if (RESERVED.has(handler.id)) throw new Error(`endpoint class ${definition.id}: handler id '${handler.id}' would replace Endpoint.${handler.id}`);
    const actions = handler.actions;
    const method = async function (this: Endpoint | null, context: HandlerContext): Promise<void> {
      run.by = context.handlerId;
      await runScopedActions(actions, { context, endpoint: this, run });
    };
    Object.defineProperty(cls.prototype, handler.id, { value: method, writable: true, configurable: true });
    const context = {
      kind: 'method',
      name: handler.id,
      static: false,
      private: false,
      metadata,
      access: { get: (object: Record<string, unknown>) => object[handler.id], has: (object: object) => handler.id in object },
      addInitializer: () => undefined,
    } as unknown as ClassMethodDecoratorContext;
    for (const decorator of [...decorators].reverse()) (decorator as (m: unknown, c: ClassMethodDecoratorContext) => void)(method, context);
  }
  const manage = definition.manage_flags;
  if (manage) {
    cls.prototype.manageFlags = async function (this: Endpoint): Promise<void> {
      const previous = run.by;
      run.by = `${definition.id}.manage_flags[${this.name}]`;
      try {
        await runScopedActions(manage, { context: currentContext('manageFlags'), endpoint: this, run });
      } finally {
        run.by = previous;
      }
    };
  }
  const triggers = definition.register_triggers;
  if (triggers) {
    cls.prototype.registerTriggers = function (this: Endpoint): void {
      const expand = (flag: string | null | undefined) => (flag ? this.expandName(flag) : undefined);
      for (const trigger of triggers) {
        const callback = trigger.callback;
        registerTrigger({
          when: expand(trigger.when),
          whenNot: expand(trigger.when_not),
          setFlag: expand(trigger.set_flag),
          clearFlag: expand(trigger.clear_flag),
          callback: Array.isArray(callback) ? (context) => runSyncActions(callback, { context, endpoint: this, run }) : undefined,
        });
      }
    };
  }
  return cls;
}

/** Runs fixture actions in order, synchronously, like the Python handler bodies. */
export function runActions(actions: readonly FixtureAction[], context: ReactiveContext): void {
  runSyncActions(actions, { context, endpoint: null, run: undefined });
}

/** Actions in a trigger callback: synchronous, as the flag change that fires them. */
function runSyncActions(actions: readonly FixtureAction[], scope: ActionScope): void {
  for (const action of actions) {
    if ('if_set' in action) runSyncActions((scope.context.isFlagSet(action.if_set) ? action.then : action.else) ?? [], scope);
    else if ('endpoint_from_flag' in action || 'endpoint_from_name' in action) {
      throw new Error('this runner does not take endpoint_from_flag / endpoint_from_name in a trigger callback');
    } else runAction(action, scope);
  }
}

/** Actions of a handler or manageFlags, where endpointFromFlag / endpointFromName may be awaited. */
async function runScopedActions(actions: readonly FixtureAction[], scope: ActionScope): Promise<void> {
  for (const action of actions) {
    if ('if_set' in action) await runScopedActions((scope.context.isFlagSet(action.if_set) ? action.then : action.else) ?? [], scope);
    else if ('endpoint_from_flag' in action || 'endpoint_from_name' in action) {
      const byFlag = 'endpoint_from_flag' in action;
      const key = byFlag ? action.endpoint_from_flag : action.endpoint_from_name;
      const found = byFlag ? await endpointFromFlag(key) : await endpointFromName(key);
      record(scope, byFlag ? 'endpoint_from_flag' : 'endpoint_from_name', key, found?.name ?? null);
      if (found) await runScopedActions(action.then ?? [], { ...scope, endpoint: found });
      else await runScopedActions(action.else ?? [], scope);
    } else runAction(action, scope);
  }
}

function record(scope: ActionScope, kind: string, key: string | null, value: unknown): void {
  scope.run?.records.push({ by: scope.run.by, endpoint: scope.endpoint?.name ?? null, kind, key, value: value === undefined ? null : value });
}

/** `self`, as the Python action code uses it; `None` has none of an endpoint's attributes. */
function self(scope: ActionScope, attribute: string): Endpoint {
  if (!scope.endpoint) throw new FixtureAttributeError(`'NoneType' object has no attribute '${attribute}'`);
  return scope.endpoint;
}

/** One action that needs no waiting. */
function runAction(action: FixtureAction, scope: ActionScope): void {
  const { context } = scope;
  if ('set' in action) context.setFlag(action.set, action.value ?? null);
  else if ('clear' in action) context.clearFlag(action.clear);
  else if ('toggle' in action) context.toggleFlag(action.toggle, action.value);
  else if ('raise' in action) throw new FixtureRaise(action.raise);
  else if ('exit' in action) context.exit(action.exit ?? 0);
  else if ('register_trigger' in action) context.registerTrigger(triggerOptions(action.register_trigger, scope));
  else if ('publish' in action) {
    for (const relation of self(scope, 'relations').relations) for (const [k, v] of Object.entries(action.publish)) relation.toPublish.set(k, v);
  } else if ('publish_raw' in action) {
    for (const relation of self(scope, 'relations').relations) for (const [k, v] of Object.entries(action.publish_raw)) relation.toPublishRaw.set(k, v);
  } else if ('publish_app' in action) {
    for (const relation of self(scope, 'relations').relations) for (const [k, v] of Object.entries(action.publish_app)) relation.toPublishApp.set(k, v);
  } else if ('publish_app_raw' in action) {
    for (const relation of self(scope, 'relations').relations) {
      for (const [k, v] of Object.entries(action.publish_app_raw)) relation.toPublishAppRaw.set(k, v);
    }
  } else if ('set_flag_expanded' in action) context.setFlag(self(scope, 'expand_name').expandName(action.set_flag_expanded));
  else if ('clear_flag_expanded' in action) context.clearFlag(self(scope, 'expand_name').expandName(action.clear_flag_expanded));
  else if ('record_received' in action) {
    record(scope, 'received', action.record_received, self(scope, 'all_joined_units').allJoinedUnits.received.get(action.record_received));
  } else if ('record_received_raw' in action) {
    record(scope, 'received_raw', action.record_received_raw, self(scope, 'all_joined_units').allJoinedUnits.receivedRaw.get(action.record_received_raw));
  } else if ('record_unit_received' in action) {
    const key = action.record_unit_received;
    const units = [...self(scope, 'all_joined_units').allJoinedUnits];
    record(scope, 'unit_received', key, units.map((unit) => [unit.relation.relationId, unit.unitName, unit.received.get(key) ?? null]));
  } else if ('record_received_app' in action) {
    const key = action.record_received_app;
    record(scope, 'received_app', key, self(scope, 'relations').relations.map((relation) => [relation.relationId, relation.receivedApp.get(key) ?? null]));
  } else if ('record_relations' in action) {
    const relations = self(scope, 'relations').relations.map((relation) => ({
      relation_id: relation.relationId,
      application_name: relation.applicationName,
      units: relation.joinedUnits.keys(),
    }));
    record(scope, 'relations', null, relations);
  } else if ('record_departed' in action) {
    record(scope, 'departed', null, self(scope, 'all_departed_units').allDepartedUnits.map((unit) => [unit.relation.relationId, unit.unitName]));
  } else if ('clear_departed' in action) self(scope, 'all_departed_units').allDepartedUnits.clear();
  else if ('record_is_joined' in action) record(scope, 'is_joined', null, self(scope, 'is_joined').isJoined);
}

/** A fixture trigger as `registerTrigger` options; each call makes a new callback. */
function triggerOptions(trigger: FixtureTrigger, scope: ActionScope | undefined): TriggerOptions<ReactiveContext> {
  const callback = trigger.callback;
  return {
    when: trigger.when ?? undefined,
    whenNot: trigger.when_not ?? undefined,
    setFlag: trigger.set_flag ?? undefined,
    clearFlag: trigger.clear_flag ?? undefined,
    // An empty callback list still counts as a callback, as in the fixture format.
    callback: Array.isArray(callback)
      ? (context) => runSyncActions(callback, { context, endpoint: scope?.endpoint ?? null, run: scope?.run })
      : undefined,
  };
}

/** The decorators of a handler in source order (top to bottom). */
function handlerDecorators(handler: FixtureHandler): ReactiveDecorator[] {
  const spec = handlerSpec(handler);
  if (!spec) return [];
  if (spec.decorators) return spec.decorators as ReactiveDecorator[];
  const list: ReactiveDecorator[] = [];
  if (spec.hook) list.push(hook(...(typeof spec.hook === 'string' ? [spec.hook] : spec.hook)));
  if (spec.collectMetrics) list.push(collectMetrics);
  if (spec.meterStatusChanged) list.push(meterStatusChanged);
  const flags = (value: string | readonly string[] | undefined) => (typeof value === 'string' ? [value] : [...(value ?? [])]);
  if (spec.when) list.push(when(...flags(spec.when)));
  if (spec.whenAll) list.push(whenAll(...flags(spec.whenAll)));
  if (spec.whenAny) list.push(whenAny(...flags(spec.whenAny)));
  if (spec.whenNot) list.push(whenNot(...flags(spec.whenNot)));
  if (spec.whenNone) list.push(whenNone(...flags(spec.whenNone)));
  if (spec.whenNotAll) list.push(whenNotAll(...flags(spec.whenNotAll)));
  if (spec.onlyOnce) list.push(onlyOnce);
  return list;
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
