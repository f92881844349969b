import { GobReader, messageFrame } from './gob-bytes.js';
import { GobProtocolError } from './gob-error.js';
import {
  GOB_BOOL,
  GOB_BYTES,
  GOB_COMPLEX,
  GOB_FIRST_USER_ID,
  GOB_FLOAT,
  GOB_INT,
  GOB_INTERFACE,
  GOB_STRING,
  GOB_UINT,
  GobStruct,
  type GobValue,
  type WireType,
} from './gob-types.js';

// Go refuses messages over 1 GiB (encoding/gob decoder.go, tooBig); so do we.
const MAX_MESSAGE = 1 << 30;
// Values nest no deeper than this; a deeper one is refused rather than overflowing the stack.
const MAX_DEPTH = 100;

/** One value read from the stream, and the id of its type. */
export interface GobMessage {
  readonly typeId: number;
  readonly value: GobValue;
}

/**
 * One direction of one connection, as a Go `gob.Decoder`: bytes go in as they arrive,
 * values come out once their message is complete. Any type the peer defines is read
 * (structs, slices, arrays, maps, basic types, marshaled values as bytes); interface
 * values are refused. Struct fields are named as the peer's definition names them, so
 * the reader picks the fields it knows and ignores the rest, as Go does.
 */
export class GobDecoder {
  #pending: Buffer = Buffer.alloc(0);
  readonly #types = new Map<number, WireType>();

  push(chunk: Uint8Array): void {
    this.#pending = this.#pending.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.#pending, chunk]);
  }

  /**
   * The next value, or undefined until its message has fully arrived. Type definitions
   * on the way are taken in.
   * @throws GobProtocolError for anything that is not a gob stream this decoder reads.
   */
  next(): GobMessage | undefined {
    for (;;) {
      const frame = messageFrame(this.#pending);
      if (frame === undefined) return undefined;
      if (frame.length > MAX_MESSAGE) throw new GobProtocolError(`a message of ${frame.length} bytes (at most ${MAX_MESSAGE})`);
      if (frame.length === 0) throw new GobProtocolError('an empty message');
      if (this.#pending.length < frame.start + frame.length) return undefined;
      const body = this.#pending.subarray(frame.start, frame.start + frame.length);
      this.#pending = this.#pending.subarray(frame.start + frame.length);
      const reader = new GobReader(body);
      const id = reader.int();
      if (id < 0) {
        this.#define(-id, reader);
        continue;
      }
      const value = this.#topLevel(id, reader);
      if (!reader.done) throw new GobProtocolError(`${reader.remaining} bytes left over after a value of type ${id}`);
      return { typeId: id, value };
    }
  }

  #define(id: number, reader: GobReader): void {
    if (id < GOB_FIRST_USER_ID) throw new GobProtocolError(`the peer redefines gob's own type ${id}`);
    if (this.#types.has(id)) throw new GobProtocolError(`type ${id} defined twice`);
    this.#types.set(id, readWireType(reader));
    if (!reader.done) throw new GobProtocolError(`${reader.remaining} bytes left over after the definition of type ${id}`);
  }

  #topLevel(id: number, reader: GobReader): GobValue {
    if (this.#types.get(id)?.kind === 'struct') return this.#value(id, reader, 0);
    // Anything but a struct travels as the one field of a struct: field delta 0, then the value.
    if (reader.uint() !== 0) throw new GobProtocolError(`a value of type ${id} that is not a struct does not start with 0`);
    return this.#value(id, reader, 0);
  }

  #value(id: number, reader: GobReader, depth: number): GobValue {
    if (depth > MAX_DEPTH) throw new GobProtocolError(`values nested deeper than ${MAX_DEPTH}`);
    switch (id) {
      case GOB_BOOL:
        return reader.uint() !== 0;
      case GOB_INT:
        return reader.intValue();
      case GOB_UINT:
        return reader.uintValue();
      case GOB_FLOAT:
        return reader.float();
      case GOB_BYTES:
        return reader.bytes();
      case GOB_STRING:
        return reader.string();
      case GOB_COMPLEX:
        return [reader.float(), reader.float()];
      case GOB_INTERFACE:
        throw new GobProtocolError('interface values are not supported');
    }
    const type = this.#types.get(id);
    if (type === undefined) throw new GobProtocolError(`a value of type ${id}, which the peer did not define`);
    switch (type.kind) {
      case 'struct': {
        const fields = new Map<string, GobValue>();
        for (let number = -1; ; ) {
          const delta = reader.uint();
          if (delta === 0) break;
          number += delta;
          const field = type.fields[number];
          if (field === undefined) throw new GobProtocolError(`field ${number} of ${describe(type)}, which has ${type.fields.length}`);
          fields.set(field.name, this.#value(field.id, reader, depth + 1));
        }
        return new GobStruct(type.name, fields);
      }
      case 'slice':
        return this.#elements(reader.uint(), type.elem, reader, depth);
      case 'array': {
        const count = reader.uint();
        if (count !== type.length) throw new GobProtocolError(`${count} elements for ${describe(type)} of length ${type.length}`);
        return this.#elements(count, type.elem, reader, depth);
      }
      case 'map': {
        const count = reader.uint();
        if (count > reader.remaining) throw new GobProtocolError(`a map of ${count} entries in ${reader.remaining} bytes`);
        const entries = new Map<GobValue, GobValue>();
        for (let i = 0; i < count; i += 1) entries.set(this.#value(type.key, reader, depth + 1), this.#value(type.elem, reader, depth + 1));
        return entries;
      }
      case 'marshaled':
        return reader.bytes();
    }
  }

  #elements(count: number, elem: number, reader: GobReader, depth: number): GobValue[] {
    // Every element takes at least one byte: a count beyond the message is a lie.
    if (count > reader.remaining) throw new GobProtocolError(`${count} elements in ${reader.remaining} bytes`);
    const elements: GobValue[] = [];
    for (let i = 0; i < count; i += 1) elements.push(this.#value(elem, reader, depth + 1));
    return elements;
  }
}

function describe(type: WireType): string {
  return type.name === '' ? `an unnamed ${type.kind}` : `${type.kind} ${type.name}`;
}

/**
 * Reads gob's wireType struct (encoding/gob type.go): exactly one of ArrayT (0), SliceT (1),
 * StructT (2), MapT (3), GobEncoderT (4), BinaryMarshalerT (5), TextMarshalerT (6), each
 * a struct whose field 0 is CommonType { Name string; Id int }.
 */
function readWireType(reader: GobReader): WireType {
  let type: WireType | undefined;
  readFields(reader, 'wireType', (number) => {
    if (type !== undefined) throw new GobProtocolError('a type definition that describes two types');
    switch (number) {
      case 0: {
        let name = '';
        let elem = 0;
        let length = 0;
        readFields(reader, 'arrayType', (field) => {
          if (field === 0) name = readCommonName(reader);
          else if (field === 1) elem = reader.int();
          else if (field === 2) length = reader.int();
          else return false;
          return true;
        });
        type = { kind: 'array', name, elem, length };
        return true;
      }
      case 1: {
        let name = '';
        let elem = 0;
        readFields(reader, 'sliceType', (field) => {
          if (field === 0) name = readCommonName(reader);
          else if (field === 1) elem = reader.int();
          else return false;
          return true;
        });
        type = { kind: 'slice', name, elem };
        return true;
      }
      case 2: {
        let name = '';
        const fields: { name: string; id: number }[] = [];
        readFields(reader, 'structType', (field) => {
          if (field === 0) name = readCommonName(reader);
          else if (field === 1) {
            const count = reader.uint();
            if (count > reader.remaining) throw new GobProtocolError(`a struct of ${count} fields in ${reader.remaining} bytes`);
            for (let i = 0; i < count; i += 1) {
              let fieldName = '';
              let id = 0;
              readFields(reader, 'fieldType', (part) => {
                if (part === 0) fieldName = reader.string();
                else if (part === 1) id = reader.int();
                else return false;
                return true;
              });
              fields.push({ name: fieldName, id });
            }
          } else return false;
          return true;
        });
        type = { kind: 'struct', name, fields };
        return true;
      }
      case 3: {
        let name = '';
        let key = 0;
        let elem = 0;
        readFields(reader, 'mapType', (field) => {
          if (field === 0) name = readCommonName(reader);
          else if (field === 1) key = reader.int();
          else if (field === 2) elem = reader.int();
          else return false;
          return true;
        });
        type = { kind: 'map', name, key, elem };
        return true;
      }
      case 4:
      case 5:
      case 6: {
        let name = '';
        readFields(reader, 'gobEncoderType', (field) => {
          if (field !== 0) return false;
          name = readCommonName(reader);
          return true;
        });
        type = { kind: 'marshaled', name };
        return true;
      }
      default:
        return false;
    }
  });
  if (type === undefined) throw new GobProtocolError('a type definition that describes no type');
  return type;
}

/** Reads CommonType and keeps its name (its id is the one the message was sent under). */
function readCommonName(reader: GobReader): string {
  let name = '';
  readFields(reader, 'CommonType', (field) => {
    if (field === 0) name = reader.string();
    else if (field === 1) reader.int();
    else return false;
    return true;
  });
  return name;
}

/** Reads a struct of gob's own, calling `read` for each field sent; `read` says false for a field it does not know. */
function readFields(reader: GobReader, struct: string, read: (field: number) => boolean): void {
  for (let number = -1; ; ) {
    const delta = reader.uint();
    if (delta === 0) return;
    number += delta;
    if (!read(number)) throw new GobProtocolError(`${struct} has no field ${number}`);
  }
}
