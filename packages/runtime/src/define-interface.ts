import type { HookTools } from '@charms/hooktools';
import { defineLayer, type Layer, type LifecycleCallback } from '@charms/reactive';
import { EndpointError } from './endpoint-error.js';
import type { Endpoint, EndpointHookInfo, EndpointSpec } from './endpoint.js';

/** A subclass of {@link Endpoint}, as the runtime instantiates it. */
export type EndpointClass<E extends Endpoint = Endpoint> = new (spec: EndpointSpec, tools: HookTools, hook?: EndpointHookInfo) => E;

/** An Endpoint class bound to an interface and a role (the original's `hooks/relations/<interface>/<role>.py`). */
export interface EndpointBinding {
  readonly interface: string;
  readonly role: EndpointSpec['role'];
  readonly endpointClass: EndpointClass;
  /** The class's name in handler ids (`<id>.<method>[<endpoint>]`); default the class's own name. */
  readonly id?: string;
}

const BINDINGS = Symbol.for('@charms/runtime.endpoint-bindings');
const ROLES: readonly EndpointSpec['role'][] = ['provides', 'requires', 'peers'];

/**
 * Declares an interface layer: its Endpoint class for each role. `use` it on the
 * charm's reactor like any layer. When a hook starts, the runtime registers each
 * class's decorated methods once per endpoint of metadata.yaml with that interface and
 * role, after every other handler (as the original imports `hooks/relations/` last),
 * and makes the endpoints of those names instances of the class.
 *
 * @throws EndpointError (`INVALID_ENDPOINT_CLASS`) for a role that is not provides,
 * requires or peers, or a class that does not extend Endpoint.
 * @example
 * export default defineInterface('http', { provides: HttpProvides, requires: HttpRequires });
 */
export function defineInterface(
  name: string,
  classes: Partial<Record<EndpointSpec['role'], EndpointClass | { readonly endpointClass: EndpointClass; readonly id?: string }>>,
): Layer {
  const bindings: EndpointBinding[] = [];
  for (const [role, entry] of Object.entries(classes)) {
    if (!ROLES.includes(role as EndpointSpec['role'])) {
      throw new EndpointError('INVALID_ENDPOINT_CLASS', `interface '${name}': role '${role}' is not one of ${ROLES.join(', ')}`);
    }
    if (!entry) continue;
    const binding = typeof entry === 'function' ? { endpointClass: entry } : entry;
    if (typeof binding.endpointClass !== 'function' || typeof binding.endpointClass.prototype?.expandName !== 'function') {
      throw new EndpointError('INVALID_ENDPOINT_CLASS', `interface '${name}' ${role}: not a class that extends Endpoint`);
    }
    bindings.push({ interface: name, role: role as EndpointSpec['role'], ...binding });
  }
  // The bindings travel on a load-time atstart callback that does nothing itself: the
  // runtime finds them there when the hook starts.
  const carrier: LifecycleCallback = Object.assign(() => undefined, { [BINDINGS]: bindings });
  return defineLayer(`interface-${name}`.replace(/[^A-Za-z0-9._-]/g, '-'), (r) => {
    r.atstart(carrier);
  });
}

/** The Endpoint classes a reactor's layers declared, in `use` order. */
export function declaredBindings(atstartCallbacks: readonly LifecycleCallback[]): EndpointBinding[] {
  return atstartCallbacks.flatMap((callback) => (callback as { [BINDINGS]?: EndpointBinding[] })[BINDINGS] ?? []);
}
