import type { HookTools } from '@charms/hooktools';
import {
  decoratedMethods,
  type DeclaredCharm,
  type FlagEffect,
  type HandlerContext,
  type Predicate,
  type ReactiveContext,
  type Reactor,
  type RelationMetadata,
} from '@charms/reactive';
import { declaredBindings, type EndpointBinding, type EndpointClass } from './define-interface.js';
import { EndpointError } from './endpoint-error.js';
import { Endpoint, START, type EndpointHookInfo, type EndpointSpec } from './endpoint.js';

/** Where contexts carry the hook's endpoints, for `endpointFromFlag` / `endpointFromName`. */
export const HOOK_ENDPOINTS = Symbol.for('@charms/runtime.hook-endpoints');

/** Options for {@link HookEndpoints}. */
export interface HookEndpointsOptions {
  readonly tools: HookTools;
  /** The hook: its name, this unit and application, and the relation variables. */
  readonly hook: EndpointHookInfo & { readonly relationName?: string };
  /** metadata.yaml's `provides`, `requires` and `peers`. */
  readonly metadata: RelationMetadata;
  /**
   * The class of endpoints no layer declared a class for: `Endpoint` (the default),
   * so every endpoint has its automatic flags and an object; `null` for none, as in
   * the original, where such endpoints have no flags and `endpointFromName` gives null.
   */
  readonly defaultClass?: EndpointClass | null;
  /** Classes to bind besides those the reactor's layers declare with `defineInterface`. */
  readonly bindings?: readonly EndpointBinding[];
  /**
   * Register handlers as the original does, bugs included, for the conformance runner:
   * `@onlyOnce` on a method adds one handler without endpoint (it runs in the hooks
   * phase with no `this` and fails); a class with no endpoint in metadata.yaml still
   * registers its methods without `{endpoint_name}`, once, with `this` null.
   */
  readonly originalQuirks?: boolean;
}

const ROLES: readonly EndpointSpec['role'][] = ['provides', 'requires', 'peers'];
const registered = new WeakSet<Reactor>();

/** Where a handler's `this` comes from. */
type ThisSource = { readonly endpoint: string | null } | { readonly hookRelation: true };

/**
 * The endpoints of one hook: an instance per endpoint of metadata.yaml (of the class
 * bound to its interface and role, or the default class), the start of the hook for
 * each (in name order), and lookups by name and flag. The runtime makes one per hook
 * and passes it to `runHook`; it registers the classes' handlers on the reactor once.
 */
export class HookEndpoints {
  readonly #options: HookEndpointsOptions;
  readonly #instances = new Map<string, Endpoint>();
  readonly #started = new Map<string, Endpoint>();
  readonly #relationNames = new Set<string>();

  constructor(options: HookEndpointsOptions) {
    this.#options = options;
    for (const role of ROLES) for (const name of Object.keys(options.metadata[role] ?? {})) this.#relationNames.add(name);
  }

  /**
   * Binds the classes declared on `reactor` (and in the options): makes the instances
   * and, the first time for this reactor, registers the classes' handlers after every
   * handler already registered, in module order (interface, then role), methods in
   * declaration order, each once per endpoint in metadata.yaml order.
   * @throws EndpointError (`DUPLICATE_ENDPOINT_CLASS`) for two classes of one interface and role.
   */
  bind(reactor: Reactor): void {
    const bindings = [...(this.#options.bindings ?? []), ...declaredBindings(reactor.atstartCallbacks)];
    const byModule = new Map<string, EndpointBinding>();
    for (const binding of bindings) {
      const key = `${binding.interface}/${binding.role}`;
      const existing = byModule.get(key);
      if (existing && existing.endpointClass !== binding.endpointClass) {
        throw new EndpointError('DUPLICATE_ENDPOINT_CLASS', `two Endpoint classes for interface '${binding.interface}' role '${binding.role}'`);
      }
      byModule.set(key, binding);
    }
    const { metadata, tools, hook } = this.#options;
    const defaultClass = this.#options.defaultClass === undefined ? Endpoint : this.#options.defaultClass;
    for (const role of ROLES) {
      for (const [name, spec] of Object.entries(metadata[role] ?? {})) {
        const iface = spec?.interface ?? '';
        const cls = byModule.get(`${iface}/${role}`)?.endpointClass ?? defaultClass;
        if (cls) this.#instances.set(name, new cls({ name, role, interface: iface }, tools, hook));
      }
    }
    if (registered.has(reactor)) return;
    registered.add(reactor);
    const modules = [...byModule.values()].sort((a, b) => compare(a.interface, b.interface) || compare(a.role, b.role));
    for (const binding of modules) registerClass(reactor, binding, endpointsOf(metadata, binding), this.#options.originalQuirks === true);
  }

  /** The endpoint object of `name` for this hook, started or not (what `ctx.endpoint(name)` gives). */
  instance(name: string): Endpoint | undefined {
    return this.#instances.get(name);
  }

  /** Every endpoint name with an object, in metadata.yaml order. */
  names(): string[] {
    return [...this.#instances.keys()];
  }

  /** The original's `endpoint_from_name`: the started endpoint of that name, or null. */
  fromName(name: string | null | undefined): Endpoint | null {
    return (name && this.#started.get(name)) || null;
  }

  /**
   * The original's `endpoint_from_flag`: for a set flag `endpoint.<name>.…`, or
   * `<name>.…` where `<name>` is an endpoint of metadata.yaml, that endpoint; else null.
   */
  fromFlag(flag: string, context: Pick<ReactiveContext, 'isFlagSet'>): Endpoint | null {
    let name: string | undefined;
    const parts = flag.split('.');
    if (parts[0] === 'endpoint') name = parts[1];
    else if (parts.length > 1) {
      name = parts[0];
      if (!this.#relationNames.has(name!)) return null;
    }
    if (!name || !this.#instances.has(name) || !context.isFlagSet(flag)) return null;
    return this.fromName(name);
  }

  /** The start of the hook for every endpoint with an object, in name order (an atstart callback). */
  async startup(context: ReactiveContext): Promise<void> {
    for (const name of [...this.#instances.keys()].sort(compare)) {
      const endpoint = this.#instances.get(name)!;
      this.#started.set(name, endpoint);
      await endpoint[START](context, this.#options.hook);
    }
  }

  /** The endpoint a handler runs on. */
  async resolveThis(handlerId: string, sources: readonly ThisSource[], quirks: boolean): Promise<Endpoint | null> {
    const found: (Endpoint | null)[] = [];
    for (const source of sources) {
      if ('hookRelation' in source) {
        const endpoint = this.fromName(this.#options.hook.relationName);
        if (endpoint) found.push(endpoint);
      } else found.push(source.endpoint === null ? null : this.fromName(source.endpoint));
    }
    const endpoint = found.length === 1 ? found[0]! : undefined;
    if (endpoint === undefined || (endpoint === null && !quirks)) {
      throw new EndpointError(
        'NO_ENDPOINT',
        `Endpoint handler '${handlerId}' has no endpoint to run on in hook ${this.#options.hook.hookName}` +
          (sources.some((s) => 'hookRelation' in s) ? ': a @hook method runs in the relation hooks of an endpoint with an Endpoint class' : ''),
      );
    }
    if (endpoint) await endpoint.load();
    return endpoint;
  }
}

/** The endpoint names of metadata.yaml with the binding's role and interface, in file order. */
function endpointsOf(metadata: RelationMetadata, binding: EndpointBinding): string[] {
  return Object.entries(metadata[binding.role] ?? {})
    .filter(([, spec]) => spec?.interface === binding.interface)
    .map(([name]) => name);
}

/** Registers one class's decorated methods (see {@link HookEndpoints.bind}). */
function registerClass(reactor: Reactor, binding: EndpointBinding, endpoints: readonly string[], quirks: boolean): void {
  const classId = binding.id ?? binding.endpointClass.name;
  const prototype = Object.create(binding.endpointClass.prototype) as object;
  for (const method of decoratedMethods(prototype)) {
    const plans = quirks ? originalPlans(method.predicates, endpoints) : plainPlans(method.predicates, endpoints);
    for (const plan of plans) {
      const id = plan.endpoint === null ? `${classId}.${method.name}` : `${classId}.${method.name}[${plan.endpoint}]`;
      const sources = plan.sources;
      const run = async (context: HandlerContext): Promise<unknown> => {
        const hookEndpoints = (context as { [HOOK_ENDPOINTS]?: HookEndpoints })[HOOK_ENDPOINTS];
        if (!hookEndpoints) throw new EndpointError('NO_ENDPOINT', `Endpoint handler '${id}' ran without the runtime's endpoints`);
        const self = await hookEndpoints.resolveThis(id, sources, quirks);
        // `this` is null only when reproducing the original (see originalQuirks).
        return method.get(self ?? prototype).call(self, context);
      };
      reactor.handle(
        { id, decorators: plan.predicates.map((predicate) => ({ predicate })), sets: expandEffects(method.sets, plan.endpoint), clears: expandEffects(method.clears, plan.endpoint) },
        run,
      );
    }
  }
}

/** One handler to register for a method: its endpoint suffix, predicates in source order, and where `this` comes from. */
interface Plan {
  readonly endpoint: string | null;
  readonly predicates: Predicate[];
  readonly sources: ThisSource[];
}

const FLAG_KINDS = new Set(['whenAll', 'whenAny', 'whenNone', 'whenNotAll']);

/** `@sets`/`@clears` of an Endpoint method for one endpoint: `{endpoint_name}` filled in, as in its conditions. */
function expandEffects(effects: readonly FlagEffect[], endpoint: string | null): FlagEffect[] {
  if (endpoint === null) return [...effects];
  const fill = (flag: string) => flag.replaceAll('{endpoint_name}', endpoint);
  return effects.map((effect) => (typeof effect === 'string' ? fill(effect) : (charm: DeclaredCharm) => [...effect(charm)].map(fill)));
}

function expand(predicate: Predicate, endpoint: string | null): Predicate {
  if (endpoint === null || !('flags' in predicate)) return predicate;
  return { ...predicate, flags: predicate.flags.map((flag) => flag.replaceAll('{endpoint_name}', endpoint)) } as Predicate;
}

/**
 * The port's registration: a method is registered once per endpoint, every predicate
 * expanded (`@onlyOnce` then holds per endpoint); a `@hook` method once, without
 * endpoint, running on the endpoint whose relation hook this is; nothing for a class
 * with no endpoint in metadata.yaml.
 */
function plainPlans(predicates: readonly Predicate[], endpoints: readonly string[]): Plan[] {
  if (predicates.some((p) => p.kind === 'hook')) return [{ endpoint: null, predicates: [...predicates], sources: [{ hookRelation: true }] }];
  return endpoints.map((endpoint) => ({ endpoint, predicates: predicates.map((p) => expand(p, endpoint)), sources: [{ endpoint }] }));
}

/**
 * The original's registration, decorator by decorator from the bottom: a flag
 * decorator adds its expanded flags to the method's handler for each endpoint (or, if
 * the class has no endpoint, to one handler without suffix and with `this` null,
 * unless its flags name `{endpoint_name}`); `@hook`, `@onlyOnce` and the restricted
 * decorators add to the handler without suffix, `@hook` with the hook's endpoint as
 * argument, the others with none.
 */
function originalPlans(predicates: readonly Predicate[], endpoints: readonly string[]): Plan[] {
  const plans = new Map<string | null, Plan>();
  const plan = (endpoint: string | null): Plan => {
    let found = plans.get(endpoint);
    if (!found) plans.set(endpoint, (found = { endpoint, predicates: [], sources: [] }));
    return found;
  };
  for (const predicate of [...predicates].reverse()) {
    if (FLAG_KINDS.has(predicate.kind) && 'flags' in predicate) {
      const templated = predicate.flags.join('').includes('{endpoint_name}');
      if (templated && endpoints.length === 0) continue;
      for (const endpoint of endpoints.length > 0 ? endpoints : [null]) {
        const target = plan(endpoint);
        target.predicates.push(expand(predicate, endpoint));
        if (target.sources.length === 0) target.sources.push({ endpoint });
      }
    } else if (predicate.kind === 'hook') {
      const target = plan(null);
      target.predicates.push(predicate);
      target.sources.push({ hookRelation: true });
    } else plan(null).predicates.push(predicate);
  }
  // Collected bottom-up; registration takes them in source order.
  return [...plans.values()].map((p) => ({ ...p, predicates: p.predicates.reverse() }));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
