// The session a Go net/rpc client and a Go net/rpc server had over one connection, as
// test/fixtures/jujuc-rpc records it: the bytes each way and what each call was.
import { readFileSync } from 'node:fs';
import { GobReader, messageFrame } from '../../src/jujuc-socket/gob-bytes.js';

const FIXTURES = new URL('../fixtures/jujuc-rpc/', import.meta.url);

/** One call as Go's client made it and got it back (session.json, written by the Go program). */
export interface RecordedCall {
  readonly request: {
    readonly ContextId: string;
    readonly Dir: string;
    readonly CommandName: string;
    readonly Args: string[] | null;
    readonly StdinSet: boolean;
    /** Base64, as Go's encoding/json writes []byte; null for none. */
    readonly Stdin: string | null;
    readonly Token: string;
  };
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The RPC error ('' for none). */
  readonly error: string;
}

export const recorded = {
  calls: JSON.parse(readFileSync(new URL('session.json', FIXTURES), 'utf8')) as RecordedCall[],
  /** Everything Go's client wrote: each call's header and body, type definitions before first use. */
  clientToServer: readFileSync(new URL('client-to-server.gob', FIXTURES)),
  /** Everything Go's server wrote back. */
  serverToClient: readFileSync(new URL('server-to-client.gob', FIXTURES)),
};

/**
 * Cuts a recorded stream into the bytes of each call (or answer): its two values (header
 * and body) with the type definitions sent just before them.
 */
export function perCall(stream: Buffer): Buffer[] {
  const calls: Buffer[] = [];
  let start = 0;
  let offset = 0;
  let values = 0;
  while (offset < stream.length) {
    const frame = messageFrame(stream.subarray(offset))!;
    const typeId = new GobReader(stream.subarray(offset + frame.start, offset + frame.start + frame.length)).int();
    offset += frame.start + frame.length;
    if (typeId > 0) values += 1;
    if (values === 2) {
      calls.push(stream.subarray(start, offset));
      start = offset;
      values = 0;
    }
  }
  if (start !== stream.length) throw new Error('the recorded stream ends inside a call');
  return calls;
}
