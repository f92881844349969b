import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfigYaml, loadMetadata, endpoints } from '@charms/manifest';
import { createReactor, defineLayer, type Layer, type Predicate } from '@charms/reactive';
import { entryModules, layerIndexFor as indexRootFor, resolveLayers } from '@charms/build';
import { allowTypeScriptImports } from './typescript-imports.js';

/** A handler as the tools see it: its conditions, where it is, and the flags its code changes. */
export interface AnalyzedHandler {
  readonly id: string;
  readonly layer: string;
  readonly name: string;
  readonly predicates: readonly Predicate[];
  readonly file: string;
  readonly line: number;
  /** Flags its code sets or clears, as far as the code names them (literals and string constants). */
  readonly sets: readonly string[];
  readonly clears: readonly string[];
}

/** A `reactive/` module whose default export is not something the build can register. */
export interface UnregisteredModule {
  readonly file: string;
  /** What it exports instead: nothing as default, or a value that is neither a layer nor a class. */
  readonly exported: 'nothing' | 'other';
}

export interface CharmAnalysis {
  readonly name: string;
  readonly layers: readonly string[];
  readonly handlers: readonly AnalyzedHandler[];
  /** Modules left out because their default export cannot be registered (none when absent). */
  readonly unregistered?: readonly UnregisteredModule[];
  /** Flags the runtime and the workspace layers set by themselves. */
  isAutomatic(flag: string): boolean;
}

/**
 * Loads a charm's source and layers the way the built charm registers them (include
 * order, then file order) and reads each handler's conditions and the flags its code
 * sets and clears.
 */
export async function analyzeCharm(charmDir: string): Promise<CharmAnalysis> {
  const dir = resolve(charmDir);
  const metadata = loadMetadata(dir);
  const options = Object.keys(loadConfigYaml(dir)?.options ?? {});
  const layers = resolveLayers(dir, indexRootFor(dir));
  const reactor = createReactor();
  const origin = new Map<string, { path: string; layer: string }>();
  const unregistered: UnregisteredModule[] = [];
  allowTypeScriptImports();
  for (const module of entryModules(layers)) {
    const exported = ((await import(pathToFileURL(module.path).href)) as { default?: unknown }).default;
    // A module with no default export (or one that is neither a layer nor a class) is
    // reported by lint, not loaded: the built charm could not register it either.
    if (typeof exported !== 'function' && !isLayer(exported)) {
      unregistered.push({ file: module.path, exported: exported === undefined ? 'nothing' : 'other' });
      continue;
    }
    const layer = typeof exported === 'function' ? defineLayer(module.layer, (r) => r.register(exported as new () => object)) : exported;
    const before = reactor.handlers.length;
    reactor.use(layer);
    for (const handler of reactor.handlers.slice(before)) origin.set(handler.id, { path: module.path, layer: layer.name });
  }

  const effects = libraryEffects(metadata.resources ?? {});
  const handlers = reactor.handlers.map((handler): AnalyzedHandler => {
    const { path, layer } = origin.get(handler.id)!;
    const known = effects[handler.id];
    const text = readFileSync(path, 'utf8');
    const name = handler.id.slice(handler.id.indexOf(':') + 1).split('.').at(-1)!.replace(/^#/, '');
    const constants = stringConstants(text);
    const changed = (verb: 'setFlag' | 'clearFlag') => flagArguments(handler.source ?? '', verb, constants);
    return {
      id: handler.id,
      layer,
      name,
      predicates: handler.predicates,
      file: path,
      line: lineOf(text, name),
      sets: known?.sets ?? [...changed('setFlag'), ...flagArguments(handler.source ?? '', 'toggleFlag', constants)],
      clears: known?.clears ?? changed('clearFlag'),
    };
  });

  const endpointNames = endpoints(metadata).map((e) => e.name);
  // Endpoints spoken through an interface layer (`interface:NAME` included): its Endpoint
  // classes set flags named after the endpoint at run time (`expandName('{endpoint_name}.available')`),
  // which reading the charm's code cannot see. Those flags are the layer's to manage.
  const interfaceRefs = new Set(layers.filter((l) => l.kind === 'interface').map((l) => l.ref));
  const servedEndpoints = endpoints(metadata)
    .filter((e) => interfaceRefs.has(`interface:${e.interface}`))
    .map((e) => e.name);
  const layerNames = layers.map((l) => l.name);
  const automatic = new Set<string>(['config.changed', 'upgrade.series.in-progress']);
  for (const option of options) for (const kind of ['changed', 'set', 'default']) automatic.add(`config.${kind}.${option}`);
  for (const endpoint of endpointNames) for (const kind of ['joined', 'changed', 'departed']) automatic.add(`endpoint.${endpoint}.${kind}`);
  // The workspace layers' own flags are theirs to manage, not the charm's to clear.
  for (const handler of reactor.handlers) for (const flag of [...(effects[handler.id]?.sets ?? []), ...(effects[handler.id]?.clears ?? [])]) automatic.add(flag);
  return {
    name: metadata.name,
    layers: layerNames,
    handlers,
    unregistered,
    isAutomatic: (flag) =>
      automatic.has(flag) ||
      endpointNames.some((e) => flag.startsWith(`endpoint.${e}.changed.`)) ||
      servedEndpoints.some((e) => flag.startsWith(`${e}.`) || flag.startsWith(`endpoint.${e}.`)),
  };
}

function isLayer(value: unknown): value is Layer {
  return typeof value === 'object' && value !== null && typeof (value as Layer).name === 'string' && typeof (value as Layer).setup === 'function';
}

/**
 * What the handlers of the workspace's own layers set and clear. Their flags are built
 * from resource names inside library functions, where reading the source finds nothing,
 * so they are written down here, next to the layer's flag table in
 * docs/reference/layer-docker-resource.md.
 */
function libraryEffects(resources: Record<string, { type?: string; 'auto-fetch'?: unknown }>): Record<string, { sets: string[]; clears: string[] }> {
  const prefix = 'layer.docker-resource';
  const images = Object.entries(resources).filter(([, r]) => r.type === 'oci-image');
  const autoFetched = images.filter(([, r]) => r['auto-fetch'] === true);
  const fetched = (names: [string, unknown][]) => names.map(([name]) => `${prefix}.${name}.fetched`);
  const outcomes = images.flatMap(([name]) => ['available', 'failed', 'changed'].map((kind) => `${prefix}.${name}.${kind}`));
  return {
    'docker-resource:autoFetch': { sets: [`${prefix}.auto-fetched`, ...(autoFetched.length > 0 ? [`${prefix}.pending`] : []), ...fetched(autoFetched)], clears: [] },
    'docker-resource:fetch': { sets: outcomes, clears: [`${prefix}.pending`, ...outcomes] },
    // It queues again every resource fetched before, whatever its type.
    'docker-resource:checkUpdates': { sets: [`${prefix}.pending`, ...fetched(Object.entries(resources))], clears: [] },
  };
}

/** `const NAME = 'value'` in a module. */
function stringConstants(text: string): Map<string, string> {
  return new Map([...text.matchAll(/\bconst\s+([A-Za-z_$][\w$]*)\s*=\s*(['"`])([^'"`]+)\2/g)].map((m) => [m[1]!, m[3]!]));
}

/** The flags named by `verb(…)` calls in `code`: string literals, or constants of the module. */
function flagArguments(code: string, verb: string, constants: Map<string, string>): string[] {
  const found = new Set<string>();
  for (const match of code.matchAll(new RegExp(`\\b${verb}\\(\\s*(?:(['"\`])([^'"\`]+)\\1|([A-Za-z_$][\\w$]*))`, 'g'))) {
    const flag = match[2] ?? constants.get(match[3] ?? '');
    // A template literal with placeholders names no fixed flag.
    if (flag && !flag.includes('${')) found.add(flag);
  }
  return [...found];
}

/** The line where a method or function called `name` is defined (1 when not found). */
function lineOf(text: string, name: string): number {
  const definition = new RegExp(`^\\s*(?:async\\s+)?(?:function\\s+)?${name.replace(/[$]/g, '\\$')}\\s*\\(`, 'm');
  const match = definition.exec(text) ?? new RegExp(`function\\s+${name}\\b`).exec(text);
  return match ? text.slice(0, match.index).split('\n').length + (match[0].startsWith('\n') ? 1 : 0) : 1;
}
