import { randomBytes } from 'node:crypto';
import { PebbleError } from './errors.js';

/**
 * multipart/form-data as Pebble's files API uses it: a push sends a `request` part
 * (JSON metadata) then one `files` part per file whose `filename` is the target path;
 * a pull answers with a `files` part per file then a `response` part (Pebble's
 * `client/files.go` Push/Pull, `internals/daemon/api_files.go` writeFiles/readFilesResponse).
 */

/** One part: its form name, its filename when it has one, its content type and its bytes. */
export interface FormPart {
  readonly name: string;
  readonly filename?: string | undefined;
  readonly contentType: string;
  readonly content: Buffer;
}

/** Quotes a Content-Disposition parameter as Go's `escapeQuotes` in client/files.go does (backslash and double quote). */
function quote(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/**
 * A boundary of 60 hex characters: Go's multipart writer makes the same length, and
 * Pebble refuses boundaries shorter than 32 (`minBoundaryLength` in api_files.go).
 */
export function newBoundary(): string {
  return randomBytes(30).toString('hex');
}

/** The body of a multipart/form-data request with these parts, in order. */
export function encodeMultipart(boundary: string, parts: readonly FormPart[]): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = `form-data; name=${quote(part.name)}${part.filename === undefined ? '' : `; filename=${quote(part.filename)}`}`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\nContent-Type: ${part.contentType}\r\n\r\n`));
    chunks.push(part.content);
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

/** The `boundary` parameter of a multipart Content-Type, or undefined when the type is not multipart/form-data. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return undefined;
  const [mediaType, ...params] = contentType.split(';');
  if (mediaType?.trim().toLowerCase() !== 'multipart/form-data') return undefined;
  for (const param of params) {
    const match = /^\s*boundary=(?:"([^"]*)"|([^\s;]+))\s*$/i.exec(param);
    if (match) return match[1] ?? match[2];
  }
  return undefined;
}

/** The parameters of a Content-Disposition header (`name`, `filename`), unquoted. */
function dispositionParams(header: string): Record<string, string> {
  const params: Record<string, string> = {};
  const pattern = /;\s*([\w-]+)=(?:"((?:[^"\\]|\\.)*)"|([^;\s]*))/g;
  for (const match of header.matchAll(pattern)) {
    params[match[1]!.toLowerCase()] = match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : (match[3] ?? '');
  }
  return params;
}

function malformed(what: string, reason: string): PebbleError {
  return new PebbleError(`Pebble's multipart answer to ${what} is malformed: ${reason}`, { code: 'PEBBLE_PROTOCOL' });
}

/**
 * Splits a multipart body into its parts.
 *
 * @throws {PebbleError} `PEBBLE_PROTOCOL` when the body does not follow the multipart grammar.
 */
export function parseMultipart(body: Buffer, boundary: string, what: string): FormPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: FormPart[] = [];
  let at = body.indexOf(delimiter);
  if (at === -1) throw malformed(what, `no boundary ${boundary}`);
  for (;;) {
    at += delimiter.length;
    if (body.subarray(at, at + 2).toString() === '--') return parts;
    if (body.subarray(at, at + 2).toString() !== '\r\n') throw malformed(what, 'a boundary is not followed by a line end');
    at += 2;
    const headerEnd = body.indexOf('\r\n\r\n', at);
    if (headerEnd === -1) throw malformed(what, 'a part has no end to its headers');
    const headers = new Map<string, string>();
    for (const line of body.subarray(at, headerEnd).toString('utf8').split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    const contentStart = headerEnd + 4;
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), contentStart);
    if (next === -1) throw malformed(what, 'a part has no closing boundary');
    const params = dispositionParams(headers.get('content-disposition') ?? '');
    if (params['name'] === undefined) throw malformed(what, 'a part has no form name');
    parts.push({
      name: params['name'],
      filename: params['filename'],
      contentType: headers.get('content-type') ?? 'application/octet-stream',
      content: body.subarray(contentStart, next),
    });
    at = next + 2;
  }
}
