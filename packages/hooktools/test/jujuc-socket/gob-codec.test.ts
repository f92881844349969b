import { describe, expect, it } from 'vitest';
import { GobReader, GobWriter } from '../../src/jujuc-socket/gob-bytes.js';
import { GobDecoder } from '../../src/jujuc-socket/gob-decoder.js';
import { GobEncoder } from '../../src/jujuc-socket/gob-encoder.js';
import { GobProtocolError } from '../../src/jujuc-socket/gob-error.js';
import { GobStruct } from '../../src/jujuc-socket/gob-types.js';
import {
  EXEC_RESPONSE,
  INVALID_REQUEST,
  JUJUC_REQUEST,
  RPC_REQUEST,
  RPC_RESPONSE,
  readExecResponse,
  readJujucRequest,
  readRpcHeader,
} from '../../src/jujuc-socket/jujuc-messages.js';
import { recorded } from './recorded-session.js';

function decodeAll(stream: Buffer): unknown[] {
  const decoder = new GobDecoder();
  // Byte by byte: values must come out only once their message is complete.
  const values: unknown[] = [];
  for (const byte of stream) {
    decoder.push(Uint8Array.of(byte));
    for (let message = decoder.next(); message; message = decoder.next()) values.push(message.value);
  }
  return values;
}

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');

describe('gob numbers (encoding/gob doc.go)', () => {
  it('writes unsigned integers in one byte below 128, else as a negated byte count and big-endian bytes', () => {
    expect([...new GobWriter().uint(0).uint(7).uint(127).toBuffer()]).toEqual([0, 7, 127]);
    expect([...new GobWriter().uint(128).toBuffer()]).toEqual([0xff, 0x80]);
    expect([...new GobWriter().uint(256).toBuffer()]).toEqual([0xfe, 0x01, 0x00]);
  });

  it('folds signed integers: i << 1 for i >= 0, (^i << 1) | 1 below', () => {
    expect([...new GobWriter().int(3).int(-1).int(-65).int(65).toBuffer()]).toEqual([6, 1, 0xff, 0x81, 0xff, 0x82]);
    const reader = new GobReader(new GobWriter().int(-129).int(2 ** 40).int(-(2 ** 40)).toBuffer());
    expect([reader.int(), reader.int(), reader.int()]).toEqual([-129, 2 ** 40, -(2 ** 40)]);
  });

  it('reads floats as the byte-reversed IEEE bits (17.0 is FE 31 40 in the doc)', () => {
    expect(new GobReader(Uint8Array.of(0xfe, 0x31, 0x40)).float()).toBe(17);
  });

  it('keeps an unsigned integer beyond 2^53 exact, as a bigint', () => {
    const bytes = Uint8Array.of(0xf8, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff);
    expect(new GobReader(bytes).uintValue()).toBe(2n ** 64n - 1n);
  });
});

describe('our gob against Go’s recorded session (test/fixtures/jujuc-rpc)', () => {
  it('reads the Go client’s calls: headers with their Seq, jujuc.Request with args and stdin', () => {
    const values = decodeAll(recorded.clientToServer);
    expect(values).toHaveLength(recorded.calls.length * 2);
    recorded.calls.forEach((call, seq) => {
      expect(readRpcHeader(values[seq * 2] as GobStruct)).toEqual({ serviceMethod: 'Jujuc.Main', seq, error: '' });
      const request = readJujucRequest(values[seq * 2 + 1] as GobStruct);
      expect({ ...request, stdin: text(request.stdin) }).toEqual({
        contextId: call.request.ContextId,
        dir: call.request.Dir,
        commandName: call.request.CommandName,
        args: call.request.Args ?? [],
        stdinSet: call.request.StdinSet,
        stdin: call.request.Stdin === null ? '' : Buffer.from(call.request.Stdin, 'base64').toString('utf8'),
        token: call.request.Token,
      });
    });
  });

  it('reads the Go server’s answers: exec.ExecResponse, or an RPC error with an empty struct for body', () => {
    const values = decodeAll(recorded.serverToClient);
    expect(values).toHaveLength(recorded.calls.length * 2);
    recorded.calls.forEach((call, seq) => {
      const header = readRpcHeader(values[seq * 2] as GobStruct);
      expect(header).toEqual({ serviceMethod: 'Jujuc.Main', seq, error: call.error });
      const body = values[seq * 2 + 1] as GobStruct;
      if (call.error !== '') {
        expect(body).toEqual(new GobStruct('', new Map()));
      } else {
        const response = readExecResponse(body);
        expect({ code: response.code, stdout: text(response.stdout), stderr: text(response.stderr) }).toEqual({
          code: call.code,
          stdout: call.stdout,
          stderr: call.stderr,
        });
      }
    });
    // The session holds both kinds of answer, and stdin both ways, or this proves less than it says.
    expect(recorded.calls.some((call) => call.error === 'hook tool requires stdin, none supplied')).toBe(true);
    expect(recorded.calls.some((call) => call.code === 1)).toBe(true);
    expect(recorded.calls.some((call) => call.request.StdinSet && call.request.Stdin !== null)).toBe(true);
  });

  it('encodes the calls byte for byte as Go’s client did (same type ids, same definition order)', () => {
    const encoder = new GobEncoder();
    const bytes = Buffer.concat(
      recorded.calls.flatMap((call, seq) => [
        encoder.encode(RPC_REQUEST, { ServiceMethod: 'Jujuc.Main', Seq: seq }),
        encoder.encode(JUJUC_REQUEST, {
          ContextId: call.request.ContextId,
          Dir: call.request.Dir,
          CommandName: call.request.CommandName,
          Args: call.request.Args ?? [],
          StdinSet: call.request.StdinSet,
          Stdin: call.request.Stdin === null ? undefined : Buffer.from(call.request.Stdin, 'base64'),
          Token: call.request.Token,
        }),
      ]),
    );
    expect(bytes.toString('hex')).toBe(recorded.clientToServer.toString('hex'));
  });

  it('encodes the answers byte for byte as Go’s server did, the empty struct of an error included', () => {
    const encoder = new GobEncoder();
    const bytes = Buffer.concat(
      recorded.calls.flatMap((call, seq) => [
        encoder.encode(RPC_RESPONSE, { ServiceMethod: 'Jujuc.Main', Seq: seq, Error: call.error }),
        call.error === ''
          ? encoder.encode(EXEC_RESPONSE, { Code: call.code, Stdout: Buffer.from(call.stdout), Stderr: Buffer.from(call.stderr) })
          : encoder.encode(INVALID_REQUEST, {}),
      ]),
    );
    expect(bytes.toString('hex')).toBe(recorded.serverToClient.toString('hex'));
  });
});

describe('what the decoder refuses or skips', () => {
  /** A hand-built stream: a struct type 65 with the given fields, then `value` as its value. */
  function stream(fields: [string, number][], value: (writer: GobWriter) => void, extraDefinitions: GobWriter[] = []): Buffer {
    const definition = new GobWriter().int(-65).uint(3).uint(1).uint(1).string('T').uint(1).int(65).uint(0).uint(1).uint(fields.length);
    for (const [name, id] of fields) definition.uint(1).string(name).uint(1).int(id).uint(0);
    definition.uint(0).uint(0);
    const body = new GobWriter().int(65);
    value(body);
    const out = new GobWriter();
    for (const message of [definition, ...extraDefinitions, body]) out.uint(message.length).raw(message.toBuffer());
    return out.toBuffer();
  }

  it('reads fields of types it was never told about (a map, a float), so a reader can skip them', () => {
    // type 66: map[string]int
    const mapType = new GobWriter().int(-66).uint(4).uint(1).uint(1).string('map[string]int').uint(1).int(66).uint(0).uint(1).int(6).uint(1).int(2).uint(0).uint(0);
    const bytes = stream([['Extra', 66], ['Ratio', 4], ['Name', 6]], (w) => w.uint(1).uint(1).string('a').int(-2).uint(1).raw(Uint8Array.of(0xfe, 0x31, 0x40)).uint(1).string('x').uint(0), [mapType]);
    const decoder = new GobDecoder();
    decoder.push(bytes);
    const value = decoder.next()!.value as GobStruct;
    expect(value.typeName).toBe('T');
    expect(value.fields.get('Name')).toBe('x');
    expect(value.fields.get('Ratio')).toBe(17);
    expect(value.fields.get('Extra')).toEqual(new Map([['a', -2]]));
  });

  it('refuses interface values, naming them', () => {
    const decoder = new GobDecoder();
    decoder.push(stream([['Any', 8]], (w) => w.uint(1).string('main.T')));
    expect(() => decoder.next()).toThrow(/interface values are not supported/);
  });

  it('refuses a value of a type never defined, and a field the definition does not have', () => {
    const undefinedType = new GobWriter().int(70).uint(0);
    const decoder = new GobDecoder();
    decoder.push(new GobWriter().uint(undefinedType.length).raw(undefinedType.toBuffer()).toBuffer());
    expect(() => decoder.next()).toThrow(GobProtocolError);

    const extraField = new GobDecoder();
    extraField.push(stream([['Name', 6]], (w) => w.uint(2).string('x').uint(0)));
    expect(() => extraField.next()).toThrow(/field 1 of struct T, which has 1/);
  });

  it('waits for a message that has not fully arrived, and refuses one that lies about its length', () => {
    const bytes = stream([['Name', 6]], (w) => w.uint(1).string('x').uint(0));
    const decoder = new GobDecoder();
    decoder.push(bytes.subarray(0, bytes.length - 1));
    expect(decoder.next()).toBeUndefined();
    decoder.push(bytes.subarray(bytes.length - 1));
    expect((decoder.next()!.value as GobStruct).fields.get('Name')).toBe('x');

    const lying = new GobDecoder();
    lying.push(stream([['Name', 6]], (w) => w.uint(1).uint(50).raw(Buffer.from('short')).uint(0)));
    expect(() => lying.next()).toThrow(/a byte string of 50 bytes/);
  });
});
