/**
 * A list whose items can also be looked up by a key (the original's `KeyList`): a
 * relation by its id, a unit by its name. Keys need not be unique; `get` returns the
 * first match.
 */
export class KeyList<T> implements Iterable<T> {
  protected readonly items: T[];
  readonly #key: (item: T) => string;

  constructor(items: Iterable<T>, key: (item: T) => string) {
    this.items = [...items];
    this.#key = key;
  }

  get length(): number {
    return this.items.length;
  }

  /** The item at `index` (negative counts from the end). */
  at(index: number): T | undefined {
    return this.items.at(index);
  }

  /** The first item with this key. */
  get(key: string): T | undefined {
    return this.items.find((item) => this.#key(item) === key);
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** Every item's key, in list order (repeats kept). */
  keys(): string[] {
    return this.items.map(this.#key);
  }

  /** The items as an array (a copy). */
  toArray(): T[] {
    return [...this.items];
  }

  map<U>(fn: (item: T, index: number) => U): U[] {
    return this.items.map(fn);
  }

  [Symbol.iterator](): Iterator<T> {
    return this.items[Symbol.iterator]();
  }

  /** Removes the first item with this key; true if there was one. */
  protected removeKey(key: string): boolean {
    const index = this.items.findIndex((item) => this.#key(item) === key);
    if (index === -1) return false;
    this.items.splice(index, 1);
    return true;
  }
}
