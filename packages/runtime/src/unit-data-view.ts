import { EndpointError } from './endpoint-error.js';
import { pythonJsonDumps, pythonJsonLoads } from './python-json.js';

/** A relation data bag as Juju holds it: string values; `null` (to publish only) deletes the key. */
export type RawBag = Record<string, string | null>;

/**
 * One relation data bag with its raw string values (the original's `UnitDataView`):
 * a unit's or an application's, read once per hook. A missing key reads as
 * `undefined`. The bags this unit publishes are writeable; any `set`, even of an equal
 * value, marks the bag modified, and a modified bag is sent whole with `relation-set`
 * at the end of a successful hook.
 */
export class UnitDataView implements Iterable<[string, string | null]> {
  readonly #data: RawBag;
  readonly #writeable: boolean;
  readonly #noteSet: ((key: string, value: string) => void) | undefined;
  #modified = false;

  /**
   * @param noteSet @internal told of each value assigned, before anything else can see
   *   it: the runtime tracks values under secret keys there, to mask them in its logs.
   */
  constructor(data: RawBag, writeable = false, noteSet?: (key: string, value: string) => void) {
    this.#data = data;
    this.#writeable = writeable;
    this.#noteSet = noteSet;
  }

  /** Whether this bag may be written (the local unit's and, for the leader, the application's). */
  get writeable(): boolean {
    return this.#writeable;
  }

  /** Whether anything was assigned since the hook started. */
  get modified(): boolean {
    return this.#modified;
  }

  get(key: string): string | null | undefined {
    return Object.hasOwn(this.#data, key) ? this.#data[key] : undefined;
  }

  has(key: string): boolean {
    return Object.hasOwn(this.#data, key);
  }

  get size(): number {
    return Object.keys(this.#data).length;
  }

  keys(): string[] {
    return Object.keys(this.#data);
  }

  entries(): [string, string | null][] {
    return Object.entries(this.#data);
  }

  [Symbol.iterator](): Iterator<[string, string | null]> {
    return this.entries()[Symbol.iterator]();
  }

  /**
   * Assigns a raw value; `null` asks Juju to delete the key when the bag is sent.
   * @throws EndpointError (`READ_ONLY_DATA`) on a bag received from another unit or application.
   */
  set(key: string, value: string | null): this {
    if (!this.#writeable) throw new EndpointError('READ_ONLY_DATA', `remote relation data cannot be modified (key '${key}')`);
    if (value !== null) this.#noteSet?.(key, value);
    this.#modified = true;
    this.#data[key] = value;
    return this;
  }

  /** Deletes `key` when the bag is sent: the same as `set(key, null)`. @throws EndpointError (`READ_ONLY_DATA`) */
  delete(key: string): this {
    return this.set(key, null);
  }

  /** The value of `key`, after setting it to `value` if it had none. @throws EndpointError (`READ_ONLY_DATA`) */
  setDefault(key: string, value: string | null): string | null {
    if (!this.has(key)) this.set(key, value);
    return this.get(key)!;
  }

  /** A copy of the bag as a plain object. */
  toObject(): RawBag {
    return { ...this.#data };
  }

  toJSON(): RawBag {
    return this.toObject();
  }
}

/**
 * A relation data bag seen through JSON (the original's `JSONUnitDataView`): reading
 * decodes a value with JSON (Python's `json.loads`), keeping the raw string when it is
 * not JSON and an empty string as it is; writing encodes with Python's
 * `json.dumps(value, sort_keys=True)`, so Python charms on the other side read the same
 * bytes they would have written.
 */
export class JsonUnitDataView implements Iterable<[string, unknown]> {
  /** The same bag without decoding. */
  readonly raw: UnitDataView;

  constructor(raw: UnitDataView) {
    this.raw = raw;
  }

  get writeable(): boolean {
    return this.raw.writeable;
  }

  get modified(): boolean {
    return this.raw.modified;
  }

  /** The decoded value of `key`; `undefined` when the key is missing. */
  get(key: string): unknown {
    return decode(this.raw.get(key));
  }

  has(key: string): boolean {
    return this.raw.has(key);
  }

  get size(): number {
    return this.raw.size;
  }

  keys(): string[] {
    return this.raw.keys();
  }

  entries(): [string, unknown][] {
    return this.raw.entries().map(([key, value]) => [key, decode(value)]);
  }

  [Symbol.iterator](): Iterator<[string, unknown]> {
    return this.entries()[Symbol.iterator]();
  }

  /** Encodes `value` as JSON and assigns it. @throws EndpointError (`READ_ONLY_DATA`); TypeError for a value JSON cannot hold. */
  set(key: string, value: unknown): this {
    this.raw.set(key, pythonJsonDumps(value));
    return this;
  }

  /** Deletes `key` when the bag is sent. @throws EndpointError (`READ_ONLY_DATA`) */
  delete(key: string): this {
    this.raw.delete(key);
    return this;
  }

  /** The decoded value of `key`, after setting it to `value` if it had none. */
  setDefault(key: string, value: unknown): unknown {
    if (!this.has(key)) this.set(key, value);
    return this.get(key);
  }

  /** A decoded copy of the bag as a plain object. */
  toObject(): Record<string, unknown> {
    return Object.fromEntries(this.entries());
  }

  toJSON(): Record<string, unknown> {
    return this.toObject();
  }
}

/** The original's decoding: empty and missing values stay as they are; non-JSON stays raw. */
function decode(value: string | null | undefined): unknown {
  if (!value) return value;
  const decoded = pythonJsonLoads(value);
  return decoded === undefined ? value : decoded;
}
