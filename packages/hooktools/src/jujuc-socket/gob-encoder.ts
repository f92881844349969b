import { GobWriter } from './gob-bytes.js';
import { GobProtocolError } from './gob-error.js';
import {
  GOB_BOOL,
  GOB_BYTES,
  GOB_FIRST_USER_ID,
  GOB_INT,
  GOB_STRING,
  GOB_UINT,
  type GobFieldKind,
  type GobFieldValue,
  type GobStructType,
} from './gob-types.js';

const BASIC_IDS: Readonly<Record<Exclude<GobFieldKind, '[]string'>, number>> = {
  bool: GOB_BOOL,
  int: GOB_INT,
  uint: GOB_UINT,
  bytes: GOB_BYTES,
  string: GOB_STRING,
};

// Field numbers of gob's own wireType and sliceType structs (encoding/gob type.go).
const WIRE_SLICE_FIELD = 1;
const WIRE_STRUCT_FIELD = 2;

/**
 * One direction of one connection, as a Go `gob.Encoder`: each struct type is defined
 * (once) before its first value. Ids are numbered from 65 in the order Go gives them
 * in a fresh process (a struct before the types of its fields), and definitions go in
 * Go's order (a struct, then its fields' types), so the bytes equal Go's.
 */
export class GobEncoder {
  readonly #structIds = new Map<GobStructType, number>();
  #stringSliceId: number | undefined;
  #nextId = GOB_FIRST_USER_ID;

  /** The messages that send `value` as a `type`: any definitions not sent yet, then the value. */
  encode(type: GobStructType, value: Readonly<Record<string, GobFieldValue | undefined>>): Buffer {
    const out = new GobWriter();
    const id = this.#define(type, out);
    const body = new GobWriter().int(id);
    let previous = -1;
    type.fields.forEach((field, index) => {
      const fieldValue = value[field.name];
      if (fieldValue === undefined || isZero(fieldValue)) return;
      body.uint(index - previous);
      previous = index;
      this.#field(body, type, field.name, field.kind, fieldValue);
    });
    body.uint(0);
    message(out, body);
    return out.toBuffer();
  }

  #define(type: GobStructType, out: GobWriter): number {
    const known = this.#structIds.get(type);
    if (known !== undefined) return known;
    const id = this.#allocate();
    this.#structIds.set(type, id);
    const needsSlice = type.fields.some((field) => field.kind === '[]string') && this.#stringSliceId === undefined;
    if (needsSlice) this.#stringSliceId = this.#allocate();

    const definition = new GobWriter().int(-id).uint(WIRE_STRUCT_FIELD + 1);
    commonType(definition, type.name, id);
    if (type.fields.length > 0) {
      definition.uint(1).uint(type.fields.length);
      for (const field of type.fields) {
        definition.uint(1).string(field.name).uint(1).int(this.#fieldId(field.kind)).uint(0);
      }
    }
    definition.uint(0).uint(0);
    message(out, definition);

    if (needsSlice) {
      const slice = new GobWriter().int(-this.#stringSliceId!).uint(WIRE_SLICE_FIELD + 1);
      commonType(slice, '[]string', this.#stringSliceId!);
      slice.uint(1).int(GOB_STRING).uint(0).uint(0);
      message(out, slice);
    }
    return id;
  }

  #allocate(): number {
    const id = this.#nextId;
    this.#nextId += 1;
    return id;
  }

  #fieldId(kind: GobFieldKind): number {
    return kind === '[]string' ? this.#stringSliceId! : BASIC_IDS[kind];
  }

  #field(out: GobWriter, type: GobStructType, name: string, kind: GobFieldKind, value: GobFieldValue): void {
    const wrong = () => new GobProtocolError(`field ${type.name}.${name} is a ${kind}, not ${JSON.stringify(value)}`);
    switch (kind) {
      case 'bool':
        if (typeof value !== 'boolean') throw wrong();
        out.uint(value ? 1 : 0);
        return;
      case 'int':
        if (typeof value !== 'number') throw wrong();
        out.int(value);
        return;
      case 'uint':
        if (typeof value !== 'number') throw wrong();
        out.uint(value);
        return;
      case 'bytes':
        if (!(value instanceof Uint8Array)) throw wrong();
        out.bytes(value);
        return;
      case 'string':
        if (typeof value !== 'string') throw wrong();
        out.string(value);
        return;
      case '[]string':
        if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) throw wrong();
        out.uint(value.length);
        for (const item of value as readonly string[]) out.string(item);
        return;
    }
  }
}

/** gob's CommonType { Name string; Id typeId } as field 0 of a type description; a '' name is omitted. */
function commonType(out: GobWriter, name: string, id: number): void {
  out.uint(1);
  if (name !== '') out.uint(1).string(name);
  out.uint(name !== '' ? 1 : 2).int(id).uint(0);
}

/** Frames `body` as one message: its length, then itself. */
function message(out: GobWriter, body: GobWriter): void {
  out.uint(body.length).raw(body.toBuffer());
}

// gob leaves out fields that hold their type's zero value.
function isZero(value: GobFieldValue): boolean {
  if (typeof value === 'boolean') return !value;
  if (typeof value === 'number') return value === 0;
  if (typeof value === 'string') return value === '';
  return value.length === 0;
}
