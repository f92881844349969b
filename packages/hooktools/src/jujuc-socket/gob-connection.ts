import type { Socket } from 'node:net';
import { GobDecoder } from './gob-decoder.js';
import { GobEncoder } from './gob-encoder.js';
import type { GobFieldValue, GobStructType, GobValue } from './gob-types.js';

type Waiter = { resolve: (value: GobValue) => void; reject: (error: Error) => void };

/**
 * A socket carrying one gob stream each way, as net/rpc's gob codec uses it: values are
 * written as whole messages and read one at a time. Once the socket fails, closes or
 * brings bytes the decoder refuses, every read, present and future, fails with that reason.
 */
export class GobConnection {
  readonly socket: Socket;
  readonly #encoder = new GobEncoder();
  readonly #decoder = new GobDecoder();
  readonly #waiters: Waiter[] = [];
  #failure: Error | undefined;

  constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.#decoder.push(chunk);
      this.#deliver();
    });
    socket.on('error', (error) => this.#fail(error));
    socket.on('close', () => this.#fail(new Error('the connection was closed')));
  }

  /** Writes values in order, as one write (a header and its body travel together). */
  send(...values: readonly (readonly [GobStructType, Readonly<Record<string, GobFieldValue | undefined>>])[]): void {
    if (this.#failure) return;
    this.socket.write(Buffer.concat(values.map(([type, value]) => this.#encoder.encode(type, value))));
  }

  /** The next value the peer sends. */
  next(): Promise<GobValue> {
    return new Promise((resolve, reject) => {
      this.#waiters.push({ resolve, reject });
      this.#deliver();
    });
  }

  /** True once no more values will come. */
  get failed(): boolean {
    return this.#failure !== undefined;
  }

  #deliver(): void {
    try {
      while (this.#waiters.length > 0) {
        const message = this.#decoder.next();
        if (message === undefined) break;
        this.#waiters.shift()!.resolve(message.value);
      }
    } catch (error) {
      this.#fail(error as Error);
      this.socket.destroy();
      return;
    }
    if (this.#failure) this.#fail(this.#failure);
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    for (const waiter of this.#waiters.splice(0)) waiter.reject(this.#failure);
  }
}
