// Bundled into every built charm, first of the entry's imports: a hook's stack traces name
// the charm's TypeScript files (`reactive/app.ts:6:5`) as `node --enable-source-maps`
// would, but a source map is read only when a stack is formatted. With the flag, Node
// reads and parses every loaded module's map and measures every line of its code when it
// loads it: on MinIO's bundle that was a third of what loading the bundle costs a hook
// (docs/explanation/build-and-pack-load.md), and a hook that succeeds never looks at a
// stack. Importing this module installs the formatter; it exports nothing.
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** V8's call site (https://v8.dev/docs/stack-trace-api), the parts used here. */
interface CallSite {
  getFileName(): string | undefined;
  getLineNumber(): number | null;
  getColumnNumber(): number | null;
  getEnclosingLineNumber(): number | null;
  getEnclosingColumnNumber(): number | null;
  getFunctionName(): string | null;
  getMethodName(): string | null;
  getTypeName(): string | null;
  isAsync(): boolean;
  isConstructor(): boolean;
  toString(): string;
}

type PrepareStackTrace = (error: Error, trace: CallSite[]) => unknown;

// The bundle's folder: this module is part of dist/charm.cjs (or of a chunk beside it), so
// only frames in files under it have a map to look for.
const distUrl = new URL('.', import.meta.url).href.replace(/chunks\/$/, '');
/** Each bundle file's map once read, or null when it has none or it does not parse. */
const maps = new Map<string, SourceMap | null>();

function mapOf(fileUrl: string): SourceMap | null {
  let map = maps.get(fileUrl);
  if (map !== undefined) return map;
  map = null;
  try {
    const mapUrl = `${fileUrl}.map`;
    const payload = JSON.parse(readFileSync(new URL(mapUrl), 'utf8')) as { sources: string[] };
    // Node's own cache resolves sources against the map's URL; so does this.
    payload.sources = payload.sources.map((source) => new URL(source, mapUrl).href);
    map = new SourceMap(payload as ConstructorParameters<typeof SourceMap>[0]);
  } catch {
    // No map (a charm packed --with-node runs without one) or a damaged one: plain frames.
  }
  maps.set(fileUrl, map);
  return map;
}

/**
 * One frame as Node 20 writes it with source maps on (lib/internal/source_map/
 * prepare_stack_trace.js, serializeJSStackFrame): `async `/`new `, the type and function
 * name (or the map's name for the enclosing function), then the original file, line and
 * column; undefined when the map has no entry for the position.
 */
function mappedFrame(map: SourceMap, site: CallSite, caller: CallSite | undefined): string | undefined {
  const entry = map.findEntry((site.getLineNumber() ?? 0) - 1, (site.getColumnNumber() ?? 0) - 1) as Partial<{ originalSource: string; originalLine: number; originalColumn: number }>;
  if (entry.originalSource === undefined || entry.originalLine === undefined || entry.originalColumn === undefined) return undefined;
  const enclosing = map.findEntry((site.getEnclosingLineNumber() ?? 0) - 1, (site.getEnclosingColumnNumber() ?? 0) - 1) as { name?: string };
  let name = enclosing.name;
  if (!name && caller && caller.getFileName() === site.getFileName()) {
    name = (map.findEntry((caller.getLineNumber() ?? 0) - 1, (caller.getColumnNumber() ?? 0) - 1) as { name?: string }).name;
  }
  const source = entry.originalSource.startsWith('file://') ? fileURLToPath(entry.originalSource) : entry.originalSource;
  const prefix = site.isAsync() ? 'async ' : site.isConstructor() ? 'new ' : '';
  const typeName = site.getTypeName();
  const ownName = `${typeName !== null && typeName !== 'global' ? `${typeName}.` : ''}${site.getFunctionName() ?? site.getMethodName() ?? '<anonymous>'}`;
  return `${prefix}${name && name !== ownName ? name : ownName} (${source}:${entry.originalLine + 1}:${entry.originalColumn + 1})`;
}

// Node already maps every frame when source maps are on (NODE_OPTIONS=--enable-source-maps).
if (!process.sourceMapsEnabled) {
  // Node's default formatter: asked with no frames it gives the header line (`Error: …`,
  // `TypeError [ERR_X]: …` for Node's own errors) exactly as it would write it.
  const previous = Error.prepareStackTrace as PrepareStackTrace | undefined;
  const formatter: PrepareStackTrace = (error, trace) => {
    const header = previous ? String(previous(error, [])) : Error.prototype.toString.call(error);
    const frames = trace.map((site, i) => {
      let mapped: string | undefined;
      try {
        // A CommonJS module's frames name its path, an ES module's its URL.
        const name = site.getFileName();
        const file = name?.startsWith('/') ? pathToFileURL(name).href : name;
        const map = file?.startsWith(distUrl) ? mapOf(file) : null;
        mapped = map ? mappedFrame(map, site, trace[i + 1]) : undefined;
      } catch {
        // A frame the map cannot place is written as V8 would write it.
      }
      return `\n    at ${mapped ?? String(site)}`;
    });
    return `${header}${frames.join('')}`;
  };
  Error.prepareStackTrace = formatter as typeof Error.prepareStackTrace;
}
