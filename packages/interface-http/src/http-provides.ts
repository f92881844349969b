import { clearFlag, clears, setFlag, sets, when, whenNot } from '@charms/reactive';
import { Endpoint, type Relation } from '@charms/runtime';

/**
 * interface:http, the side that serves a site (the original's `HttpProvides`).
 *
 * Flags: `{endpoint_name}.available` is set while a unit of a related application is
 * joined, and cleared when none is.
 */
export class HttpProvides extends Endpoint {
  @when('endpoint.{endpoint_name}.joined')
  @sets('{endpoint_name}.available')
  joined(): void {
    setFlag(this.expandName('{endpoint_name}.available'));
  }

  // Only when the flag is still set (the original ran it in every hook while unrelated:
  // the same flags, one handler run and log line more per hook).
  @when('{endpoint_name}.available')
  @whenNot('endpoint.{endpoint_name}.joined')
  @clears('{endpoint_name}.available')
  broken(): void {
    clearFlag(this.expandName('{endpoint_name}.available'));
  }

  /**
   * This unit's address on a relation, as the original read it: the `ingress-address`
   * Juju put in this unit's own bag, else its `private-address`; `undefined` when the bag
   * has neither.
   * @param relation the relation; default the endpoint's first one.
   */
  ingressAddress(relation: Relation | undefined = this.relations.at(0)): string | undefined {
    if (relation === undefined) return undefined;
    return relation.toPublishRaw.get('ingress-address') || relation.toPublishRaw.get('private-address') || undefined;
  }

  /**
   * Publishes where the site is on every relation of the endpoint: `port`, `hostname`
   * and `private-address`, raw strings. A hostname or address not given is this unit's
   * ingress address on that relation ({@link ingressAddress}); when that is unknown too
   * the key is left as it is. The bags are sent at the end of the hook, if it succeeds.
   * @param port the port the site listens on.
   * @param hostname the name clients should use; default the ingress address.
   * @param privateAddress the address clients should use; default the ingress address.
   * @example
   * const website = await endpointFromFlag<HttpProvides>('website.available');
   * website?.configure(8080);
   */
  configure(port: number, hostname?: string, privateAddress?: string): void {
    for (const relation of this.relations) {
      const ingress = this.ingressAddress(relation);
      const data: Record<string, string | undefined> = {
        hostname: hostname ?? ingress,
        'private-address': privateAddress ?? ingress,
        port: String(port),
      };
      for (const [key, value] of Object.entries(data)) if (value !== undefined) relation.toPublishRaw.set(key, value);
    }
  }

  /**
   * Publishes raw keys on every relation of the endpoint (the original's `set_remote`,
   * which charms used to pass reverse-proxy stanzas along); a `null` value deletes the key.
   * @param data the keys and their raw string values.
   */
  setRemote(data: Readonly<Record<string, string | null>>): void {
    for (const relation of this.relations) {
      for (const [key, value] of Object.entries(data)) relation.toPublishRaw.set(key, value);
    }
  }
}
