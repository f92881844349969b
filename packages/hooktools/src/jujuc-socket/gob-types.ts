// The types of a gob stream. Go's encoding/gob (type.go) numbers the basic types and the
// types that describe types; a stream names every other type by an id it defines once per
// connection, before its first value, with a `wireType` message.

/** Type ids gob reserves: the basic types. */
export const GOB_BOOL = 1;
export const GOB_INT = 2;
export const GOB_UINT = 3;
export const GOB_FLOAT = 4;
export const GOB_BYTES = 5;
export const GOB_STRING = 6;
export const GOB_COMPLEX = 7;
export const GOB_INTERFACE = 8;
/** The first id a stream may define (ids below are gob's own). */
export const GOB_FIRST_USER_ID = 65;

/** A field of a struct this codec encodes: the kinds jujuc's messages use. */
export type GobFieldKind = 'bool' | 'int' | 'uint' | 'bytes' | 'string' | '[]string';

/**
 * A Go struct as this codec encodes it. `name` is what Go sends as the type's name (the
 * Go type's name without its package, '' for an unnamed struct); gob matches fields by
 * name, so a Go receiver accepts any struct with the fields it knows.
 */
export interface GobStructType {
  readonly name: string;
  readonly fields: readonly { readonly name: string; readonly kind: GobFieldKind }[];
}

/** A value for a field of a {@link GobStructType}; a missing field is its zero value. */
export type GobFieldValue = boolean | number | string | Uint8Array | readonly string[];

/** A type a peer defined, as its `wireType` message says. */
export type WireType =
  | { readonly kind: 'struct'; readonly name: string; readonly fields: readonly { readonly name: string; readonly id: number }[] }
  | { readonly kind: 'slice'; readonly name: string; readonly elem: number }
  | { readonly kind: 'array'; readonly name: string; readonly elem: number; readonly length: number }
  | { readonly kind: 'map'; readonly name: string; readonly key: number; readonly elem: number }
  // GobEncoder, BinaryMarshaler, TextMarshaler: the value travels as a byte string.
  | { readonly kind: 'marshaled'; readonly name: string };

/** A decoded value. Go structs become {@link GobStruct}; maps become JavaScript Maps. */
export type GobValue =
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | readonly GobValue[]
  | ReadonlyMap<GobValue, GobValue>
  | GobStruct;

/** A decoded struct: its Go type name and the fields that were sent (zero values are not). */
export class GobStruct {
  constructor(
    readonly typeName: string,
    readonly fields: ReadonlyMap<string, GobValue>,
  ) {}
}
