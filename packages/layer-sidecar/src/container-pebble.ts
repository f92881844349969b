import { Pebble } from '@charms/pebble';

// A Pebble that does not answer within this is taken as gone for this hook: every hook
// asks each available container once, and a hook must not hang on a dead socket.
const PROBE_TIMEOUT_MS = 5_000;

/**
 * The Pebble client of container `name`: `$CHARMS_PEBBLE_SOCKETS/<name>/pebble.socket`
 * under the local model, `/charm/containers/<name>/pebble.socket` under Juju.
 */
export function containerPebble(name: string, requestTimeoutMs?: number): Pebble {
  return Pebble.forContainer(name, requestTimeoutMs === undefined ? {} : { requestTimeoutMs });
}

/**
 * Whether the container's Pebble answers `GET /v1/system-info` now (ops'
 * `Container.can_connect()` asks the same). The reason it does not, else undefined.
 */
export async function pebbleProblem(name: string): Promise<string | undefined> {
  try {
    await containerPebble(name, PROBE_TIMEOUT_MS).getSystemInfo();
    return undefined;
  } catch (error) {
    return (error as Error).message.split('\n')[0];
  }
}
