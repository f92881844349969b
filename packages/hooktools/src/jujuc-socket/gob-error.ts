/**
 * Bytes that are not the gob stream this codec expects: truncated, malformed, or using a
 * part of gob it does not read (interface values). The jujuc socket client answers it by
 * running the tool as a process instead; the server by closing the connection.
 */
export class GobProtocolError extends Error {
  readonly code = 'GOB_PROTOCOL' as const;

  constructor(message: string) {
    super(`gob: ${message}`);
    this.name = 'GobProtocolError';
  }
}
