import { GobProtocolError } from './gob-error.js';
import { GobStruct, type GobStructType, type GobValue } from './gob-types.js';

// The messages of one hook-tool call, as Juju 2.9 exchanges them: Go's net/rpc with its
// default gob codec. Each call is a header and a body each way (net/rpc's Request and
// Response; jujuc.Request in worker/uniter/runner/jujuc/server.go; juju/utils
// exec.ExecResponse). The names are Go's type names, which Go sends on the wire.

/** The one method a unit agent's hook-tool server offers. */
export const JUJUC_METHOD = 'Jujuc.Main';

/**
 * Juju's jujuc.ErrNoStdin: the agent's answer when a tool wants stdin and the request
 * has none; jujuc then reads its own stdin and asks again (cmd/jujud/main.go hookToolMain).
 */
export const JUJUC_NO_STDIN = 'hook tool requires stdin, none supplied';

export const RPC_REQUEST: GobStructType = {
  name: 'Request',
  fields: [
    { name: 'ServiceMethod', kind: 'string' },
    { name: 'Seq', kind: 'uint' },
  ],
};

export const RPC_RESPONSE: GobStructType = {
  name: 'Response',
  fields: [
    { name: 'ServiceMethod', kind: 'string' },
    { name: 'Seq', kind: 'uint' },
    { name: 'Error', kind: 'string' },
  ],
};

export const JUJUC_REQUEST: GobStructType = {
  name: 'Request',
  fields: [
    { name: 'ContextId', kind: 'string' },
    { name: 'Dir', kind: 'string' },
    { name: 'CommandName', kind: 'string' },
    { name: 'Args', kind: '[]string' },
    { name: 'StdinSet', kind: 'bool' },
    { name: 'Stdin', kind: 'bytes' },
    { name: 'Token', kind: 'string' },
  ],
};

export const EXEC_RESPONSE: GobStructType = {
  name: 'ExecResponse',
  fields: [
    { name: 'Code', kind: 'int' },
    { name: 'Stdout', kind: 'bytes' },
    { name: 'Stderr', kind: 'bytes' },
  ],
};

/** The body net/rpc sends with an error answer: Go's `invalidRequest`, an empty unnamed struct. */
export const INVALID_REQUEST: GobStructType = { name: '', fields: [] };

/** The header of a call or an answer. */
export interface RpcHeader {
  readonly serviceMethod: string;
  readonly seq: number;
  /** Only in answers: the error the method returned ('' for none). */
  readonly error: string;
}

/** A hook-tool call as the agent reads it from jujuc.Request. */
export interface JujucRequest {
  readonly contextId: string;
  readonly dir: string;
  readonly commandName: string;
  readonly args: readonly string[];
  readonly stdinSet: boolean;
  readonly stdin: Uint8Array;
  readonly token: string;
}

/** What the tool printed and how it ended, from exec.ExecResponse. */
export interface ExecResponse {
  readonly code: number;
  readonly stdout: Uint8Array;
  readonly stderr: Uint8Array;
}

export function readRpcHeader(value: GobValue): RpcHeader {
  const struct = structOf(value, 'an RPC header');
  return {
    serviceMethod: field(struct, 'ServiceMethod', 'string', ''),
    seq: field(struct, 'Seq', 'number', 0),
    error: field(struct, 'Error', 'string', ''),
  };
}

export function readJujucRequest(value: GobValue): JujucRequest {
  const struct = structOf(value, 'jujuc.Request');
  const args = struct.fields.get('Args') ?? [];
  if (!Array.isArray(args) || !args.every((arg) => typeof arg === 'string')) {
    throw new GobProtocolError('jujuc.Request field Args is not a []string');
  }
  return {
    contextId: field(struct, 'ContextId', 'string', ''),
    dir: field(struct, 'Dir', 'string', ''),
    commandName: field(struct, 'CommandName', 'string', ''),
    args: args as string[],
    stdinSet: field(struct, 'StdinSet', 'boolean', false),
    stdin: bytesField(struct, 'Stdin'),
    token: field(struct, 'Token', 'string', ''),
  };
}

export function readExecResponse(value: GobValue): ExecResponse {
  const struct = structOf(value, 'exec.ExecResponse');
  return { code: field(struct, 'Code', 'number', 0), stdout: bytesField(struct, 'Stdout'), stderr: bytesField(struct, 'Stderr') };
}

function structOf(value: GobValue, what: string): GobStruct {
  if (!(value instanceof GobStruct)) throw new GobProtocolError(`expected ${what}, a struct, got ${typeof value}`);
  return value;
}

type Primitive = { string: string; number: number; boolean: boolean };

/** A field of the expected JavaScript type, or its zero value when not sent. */
function field<K extends keyof Primitive>(struct: GobStruct, name: string, type: K, zero: Primitive[K]): Primitive[K] {
  const value = struct.fields.get(name);
  if (value === undefined) return zero;
  if (typeof value !== type) throw new GobProtocolError(`field ${name} of ${struct.typeName || 'a struct'} is not a ${type}`);
  return value as Primitive[K];
}

function bytesField(struct: GobStruct, name: string): Uint8Array {
  const value = struct.fields.get(name);
  if (value === undefined) return new Uint8Array();
  if (!(value instanceof Uint8Array)) throw new GobProtocolError(`field ${name} of ${struct.typeName} is not a []byte`);
  return value;
}
