/**
 * Where a unit's Pebble servers listen. Under Juju the charm reaches container `<name>`'s
 * Pebble at `/charm/containers/<name>/pebble.socket`; the local model cannot make `/charm`,
 * so a unit's sockets are `<model>/run/pebble/<unit with / as ->/<name>/pebble.socket` and
 * hooks get that folder in CHARMS_PEBBLE_SOCKETS. A unix socket path has a length limit,
 * checked here with a message that says what to do.
 */
import { connect } from 'node:net';
import { join } from 'node:path';
import { ModelError } from './model-errors.js';

/** A unix socket path holds at most 108 bytes with its terminating NUL on Linux, 104 on macOS and the BSDs (sockaddr_un.sun_path). */
export const SOCKET_PATH_LIMIT = process.platform === 'linux' ? 107 : 103;

/** The folder whose `<container>/pebble.socket` are a unit's sockets: `<model>/run/pebble/<unit with / as ->`. */
export function pebbleSocketDir(modelDir: string, unit: string): string {
  return join(modelDir, 'run', 'pebble', unit.replace('/', '-'));
}

/**
 * The socket of container `container` under `socketDir`.
 * @throws ModelError INVALID_OPTION when the path is longer than a unix socket path may be.
 */
export function pebbleSocketPath(socketDir: string, container: string): string {
  const path = join(socketDir, container, 'pebble.socket');
  const bytes = Buffer.byteLength(path);
  if (bytes > SOCKET_PATH_LIMIT) {
    throw new ModelError(
      'INVALID_OPTION',
      `the Pebble socket path ${path} is ${bytes} bytes, more than the ${SOCKET_PATH_LIMIT} a unix socket path may hold: use a model folder with a shorter path (--model or CHARMS_MODEL)`,
    );
  }
  return path;
}

/** Whether a process answers on unix socket `path` (a live server, not a socket file a dead one left). */
export function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
