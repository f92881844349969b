/**
 * Where a sidecar unit's Pebble sockets are on this machine. Under Juju the charm
 * container has `/charm/containers/<container>/pebble.socket`; the local model cannot
 * make `/charm`, so each hook of a sidecar unit gets `CHARMS_PEBBLE_SOCKETS=<dir>` and
 * container `<name>`'s socket is `<dir>/<name>/pebble.socket` (@charms/pebble's
 * `Pebble.forContainer` reads the variable). `<dir>` is pebble-server.ts's
 * `pebbleSocketDir`: `<model>/run/pebble/<unit with "/" as "-">`.
 */
import { pebbleSocketDir, pebbleSocketPath } from './pebble-sockets.js';

/** The variable that tells a hook where its unit's Pebble sockets are. */
export const PEBBLE_SOCKETS_VARIABLE = 'CHARMS_PEBBLE_SOCKETS';

/**
 * Refuses a model folder too deep for the sockets of `units` × `containers` before
 * anything is deployed (a unix socket path holds at most 107 bytes).
 * @throws ModelError `INVALID_OPTION` naming the path, its length and what to do.
 */
export function checkSocketPaths(modelDir: string, units: readonly string[], containers: readonly string[]): void {
  for (const unit of units) for (const container of containers) pebbleSocketPath(pebbleSocketDir(modelDir, unit), container);
}
