import { clearFlag, clears, setFlag, sets, when, whenNot } from '@charms/reactive';
import { Endpoint } from '@charms/runtime';

/** One host of an http service: where a unit of the serving application listens. */
export interface HttpHost {
  readonly hostname: string;
  readonly privateAddress: string;
  readonly port: number;
}

/** An application that serves http on this endpoint, with each of its hosts. */
export interface HttpService {
  /** The remote application's name. */
  readonly serviceName: string;
  /** Its hosts, sorted by hostname, then private address, then port (as the original sorted them, as strings); never empty. */
  readonly hosts: readonly HttpHost[];
}

/**
 * interface:http, the side that uses a site (the original's `HttpRequires`).
 *
 * Flags: `{endpoint_name}.available` is set when a remote unit's data changed and some
 * joined unit has sent a port; it is cleared when no unit is joined.
 * `endpoint.{endpoint_name}.changed` is left set, as the original left it.
 */
export class HttpRequires extends Endpoint {
  @when('endpoint.{endpoint_name}.changed')
  @sets('{endpoint_name}.available')
  changed(): void {
    if (this.allJoinedUnits.toArray().some((unit) => unit.receivedRaw.get('port'))) setFlag(this.expandName('{endpoint_name}.available'));
  }

  // Only when the flag is still set (the original ran it in every hook while unrelated).
  @when('{endpoint_name}.available')
  @whenNot('endpoint.{endpoint_name}.joined')
  @clears('{endpoint_name}.available')
  broken(): void {
    clearFlag(this.expandName('{endpoint_name}.available'));
  }

  /**
   * The http services the related applications offer, one per remote application, each
   * with the hosts its joined units sent: `hostname` (else `private-address`) and a
   * `port`, plus the entries of an `extended_data` list (a JSON list of such bags, which
   * the original provides side sent for several addresses). A unit without a host or a
   * usable port is left out, and so is an application with no host left. Two relations
   * to one application give one service with the hosts of both.
   * @example
   * for (const { serviceName, hosts } of website.services()) ...
   */
  services(): HttpService[] {
    const services = new Map<string, Map<string, HttpHost>>();
    for (const relation of this.relations) {
      const hosts = services.get(relation.applicationName) ?? new Map<string, HttpHost>();
      services.set(relation.applicationName, hosts);
      for (const unit of relation.joinedUnits) {
        const bags: Record<string, unknown>[] = [unit.receivedRaw.toObject()];
        const extended = unit.receivedRaw.get('extended_data');
        if (extended) bags.push(...parseList(extended));
        for (const bag of bags) {
          const host = serviceHost(bag);
          if (host) hosts.set(JSON.stringify([host.hostname, host.privateAddress, host.raw]), host.host);
        }
      }
    }
    return [...services]
      .map(([serviceName, hosts]) => ({
        serviceName,
        hosts: [...hosts.keys()].sort(compareKeys).map((key) => hosts.get(key)!),
      }))
      .filter((service) => service.hosts.length > 0);
  }
}

/** A bag's host: its hostname (else its private address) and port; undefined without either. */
function serviceHost(bag: Record<string, unknown>): { hostname: string; privateAddress: string; raw: string; host: HttpHost } | undefined {
  const privateAddress = typeof bag['private-address'] === 'string' ? bag['private-address'] : '';
  const hostname = typeof bag.hostname === 'string' && bag.hostname !== '' ? bag.hostname : privateAddress;
  const raw = typeof bag.port === 'string' || typeof bag.port === 'number' ? String(bag.port) : '';
  const port = Number(raw);
  if (!hostname || !raw || !Number.isInteger(port) || port < 1 || port > 65535) return undefined;
  return { hostname, privateAddress, raw, host: { hostname, privateAddress, port } };
}

/** `extended_data`: a JSON list of bags; anything else gives none. */
function parseList(text: string): Record<string, unknown>[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((item): item is Record<string, unknown> => typeof item === 'object' && item !== null) : [];
  } catch {
    return [];
  }
}

/** Sorts [hostname, private-address, port] keys as Python sorts tuples of strings. */
function compareKeys(a: string, b: string): number {
  const [x, y] = [JSON.parse(a) as string[], JSON.parse(b) as string[]];
  for (let i = 0; i < 3; i += 1) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
  return 0;
}
