import { createServer } from 'node:net';

/** A loopback port nothing listens on: bound, then closed (another process could take it, rarely). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as { port: number };
  await new Promise((closed) => server.close(closed));
  return port;
}
