import type { HookTools } from '@charms/hooktools';
import type { ReactiveContext } from '@charms/reactive';

/** A relation endpoint of the charm, as metadata.yaml declares it. */
export interface EndpointSpec {
  readonly name: string;
  readonly role: 'requires' | 'provides' | 'peers';
  readonly interface: string;
}

/**
 * A relation endpoint for handlers: which relations it has, who is on the other side,
 * what they sent, and a way to publish. One object lives for one hook: the relations
 * and their units are asked of Juju once (they are fixed for the hook's duration), what
 * units sent is read each time; writes are `relation-set`, applied when the hook succeeds.
 */
export class Endpoint {
  readonly name: string;
  readonly role: EndpointSpec['role'];
  readonly interface: string;
  readonly #tools: HookTools;
  #relationIds: Promise<string[]> | undefined;
  readonly #units = new Map<string, Promise<string[]>>();

  constructor(spec: EndpointSpec, tools: HookTools) {
    this.name = spec.name;
    this.role = spec.role;
    this.interface = spec.interface;
    this.#tools = tools;
  }

  /** Relation ids such as `db:3`. */
  relationIds(): Promise<string[]> {
    return (this.#relationIds ??= this.#tools.relationIds(this.name));
  }

  /** Remote units of one relation. */
  units(relationId: string): Promise<string[]> {
    let units = this.#units.get(relationId);
    if (!units) this.#units.set(relationId, (units = this.#tools.relationList(relationId)));
    return units;
  }

  /** What a remote unit (or, with `app: true`, the remote application) published. */
  received(relationId: string, unit: string, options: { app?: boolean } = {}): Promise<Record<string, string>> {
    return this.#tools.relationGet({ relationId, unit, app: options.app });
  }

  /** Publishes on every relation of this endpoint (or one); `app: true` for the app bag (leader only). */
  async publish(data: Readonly<Record<string, string>>, options: { relationId?: string; app?: boolean } = {}): Promise<void> {
    const ids = options.relationId ? [options.relationId] : await this.relationIds();
    for (const relationId of ids) await this.#tools.relationSet(data, { relationId, app: options.app });
  }
}

/**
 * The original's automatic endpoint flags, computed at the start of each hook:
 * `endpoint.<name>.joined` while a relation has remote units; `.departed` set in
 * `<name>-relation-departed` and cleared in any later hook while still joined;
 * `.changed` and `.changed.<key>` when a remote unit's data changed (checked in this
 * endpoint's relation hooks, or when it was not joined before). The changed flags are
 * never cleared automatically: the charm clears them when it has acted.
 */
export async function manageEndpointFlags(
  context: ReactiveContext,
  endpoints: Iterable<Endpoint>,
  departingUnit: string | undefined,
): Promise<void> {
  for (const endpoint of endpoints) {
    const { name } = endpoint;
    const flag = (suffix: string) => `endpoint.${name}.${suffix}`;
    const alreadyJoined = context.isFlagSet(flag('joined'));
    const relationHook = context.hookName.startsWith(`${name}-relation-`);
    const departedHook = relationHook && context.hookName.endsWith('-departed');

    const units: [relationId: string, unit: string][] = [];
    for (const relationId of await endpoint.relationIds()) {
      for (const unit of await endpoint.units(relationId)) if (unit !== departingUnit) units.push([relationId, unit]);
    }
    const joined = units.length > 0;
    context.toggleFlag(flag('joined'), joined);
    if (departedHook) context.setFlag(flag('departed'));
    else if (joined) context.clearFlag(flag('departed'));

    // Outside its own relation hooks a joined endpoint's data is not re-read, to spare
    // the controller (the original's rule).
    if (alreadyJoined && !relationHook) continue;
    for (const [relationId, unit] of units) {
      const data = await endpoint.received(relationId, unit);
      for (const [key, value] of Object.entries(data)) {
        if (context.dataChanged(`endpoint.${name}.${relationId}.${unit}.${key}`, value)) {
          context.setFlag(flag('changed'));
          context.setFlag(flag(`changed.${key}`));
        }
      }
    }
  }
}
