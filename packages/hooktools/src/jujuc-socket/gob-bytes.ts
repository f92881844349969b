import { GobProtocolError } from './gob-error.js';

// Go's encoding/gob numbers (doc.go, "Encoding details"): an unsigned integer below 128
// is one byte; a larger one is the negated count of its bytes (one byte) followed by
// those bytes, big-endian, without leading zeros. A signed integer is folded into an
// unsigned one: i << 1 for i >= 0, (^i << 1) | 1 for i < 0. A float is the unsigned
// integer of its IEEE bits with the bytes reversed. Strings and []byte are a length and
// the bytes.

/** Appends gob's encodings of numbers and byte strings. */
export class GobWriter {
  readonly #bytes: number[] = [];

  get length(): number {
    return this.#bytes.length;
  }

  uint(value: number): this {
    if (!Number.isSafeInteger(value) || value < 0) throw new GobProtocolError(`cannot encode ${value} as an unsigned integer`);
    if (value < 0x80) {
      this.#bytes.push(value);
      return this;
    }
    const digits: number[] = [];
    for (let rest = value; rest > 0; rest = Math.floor(rest / 256)) digits.unshift(rest % 256);
    this.#bytes.push(256 - digits.length, ...digits);
    return this;
  }

  int(value: number): this {
    if (!Number.isSafeInteger(value)) throw new GobProtocolError(`cannot encode ${value} as an integer`);
    // Arithmetic, not bitwise operators: those would cut the value to 32 bits.
    return this.uint(value < 0 ? (-value - 1) * 2 + 1 : value * 2);
  }

  bytes(value: Uint8Array): this {
    this.uint(value.length);
    for (const byte of value) this.#bytes.push(byte);
    return this;
  }

  string(value: string): this {
    return this.bytes(Buffer.from(value, 'utf8'));
  }

  /** Appends bytes already encoded. */
  raw(value: Uint8Array): this {
    for (const byte of value) this.#bytes.push(byte);
    return this;
  }

  toBuffer(): Buffer {
    return Buffer.from(this.#bytes);
  }
}

/** Reads gob's encodings of numbers and byte strings from one complete message. */
export class GobReader {
  readonly #bytes: Uint8Array;
  #offset = 0;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
  }

  get done(): boolean {
    return this.#offset >= this.#bytes.length;
  }

  get remaining(): number {
    return this.#bytes.length - this.#offset;
  }

  /** An unsigned integer, as a number when it is safe as one, else as a bigint. */
  uintValue(): number | bigint {
    const first = this.#byte();
    if (first < 0x80) return first;
    const count = 256 - first;
    if (count > 8) throw new GobProtocolError(`an unsigned integer of ${count} bytes (at most 8)`);
    if (count > this.remaining) throw new GobProtocolError('message ends inside an integer');
    let value = 0n;
    for (let i = 0; i < count; i += 1) value = (value << 8n) | BigInt(this.#byte());
    return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
  }

  /** An unsigned integer that counts or numbers something, so must be a safe number. */
  uint(): number {
    const value = this.uintValue();
    if (typeof value === 'bigint') throw new GobProtocolError(`a count or length of ${value} is too large`);
    return value;
  }

  intValue(): number | bigint {
    const folded = this.uintValue();
    const big = BigInt(folded);
    const value = (big & 1n) === 1n ? -(big >> 1n) - 1n : big >> 1n;
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
  }

  /** A signed integer that numbers something (a type id), so must be a safe number. */
  int(): number {
    const value = this.intValue();
    if (typeof value === 'bigint') throw new GobProtocolError(`an integer of ${value} is too large`);
    return value;
  }

  float(): number {
    const bits = BigInt(this.uintValue());
    const reversed = Buffer.alloc(8);
    reversed.writeBigUInt64LE(bits);
    return reversed.readDoubleBE(0);
  }

  bytes(): Uint8Array {
    const length = this.uint();
    if (length > this.remaining) throw new GobProtocolError(`a byte string of ${length} bytes where ${this.remaining} remain`);
    const value = this.#bytes.subarray(this.#offset, this.#offset + length);
    this.#offset += length;
    return value;
  }

  string(): string {
    return Buffer.from(this.bytes()).toString('utf8');
  }

  #byte(): number {
    const byte = this.#bytes[this.#offset];
    if (byte === undefined) throw new GobProtocolError('message ends early');
    this.#offset += 1;
    return byte;
  }
}

/**
 * The length of the next message in `bytes` (gob frames each message with its byte count
 * as an unsigned integer) and where its body starts, or undefined while the count itself
 * has not fully arrived.
 */
export function messageFrame(bytes: Uint8Array): { readonly length: number; readonly start: number } | undefined {
  const first = bytes[0];
  if (first === undefined) return undefined;
  if (first < 0x80) return { length: first, start: 1 };
  const count = 256 - first;
  if (count > 8) throw new GobProtocolError(`a message length of ${count} bytes (at most 8)`);
  if (bytes.length < 1 + count) return undefined;
  let length = 0;
  for (let i = 1; i <= count; i += 1) length = length * 256 + bytes[i]!;
  return { length, start: 1 + count };
}
