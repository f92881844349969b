import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfigYaml, loadMetadata, endpoints, type CharmMetadata, type ManifestProblem } from '@charms/manifest';
import { MemoryHookTools } from '@charms/hooktools';
import { createReactor, declaredFlags, defineLayer, type Layer, type Predicate, type Reactor } from '@charms/reactive';
import { HookEndpoints, syntheticHookContext } from '@charms/runtime';
import { entryModules, layerIndexFor, resolveLayers, type EntryModule } from '@charms/build';
import { actionModules, charmActionProblems } from '@charms/build/internal';
import { HandlerCodeReader, loadTypeScript } from './handler-code.js';
import { allowTypeScriptImports } from './typescript-imports.js';

/** A handler as the tools see it: its conditions, where it is, and the flags it changes. */
export interface AnalyzedHandler {
  readonly id: string;
  readonly layer: string;
  readonly name: string;
  readonly predicates: readonly Predicate[];
  readonly file: string;
  readonly line: number;
  /**
   * Flags it may set or clear: what it declares (`sets`/`clears`, `@sets`/`@clears`)
   * together with what its code names (literals and string constants), sorted.
   */
  readonly sets: readonly string[];
  readonly clears: readonly string[];
  /**
   * Whether its code was found in its module and read. False for a function imported
   * from another module, or when no TypeScript compiler can be loaded: its flags are then
   * only those it declares.
   */
  readonly codeRead: boolean;
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
  /** actions.yaml entries with no `actions/<name>.ts` and modules with no entry (none when absent). */
  readonly actionProblems?: readonly ManifestProblem[];
  /**
   * The flags the charm's action modules set, each with the action that sets it (the
   * actions' flags commit with the action, for the next hook's handlers). None when absent.
   */
  readonly actionSets?: ReadonlyMap<string, string>;
  /** Flags the runtime sets by itself, and flags the charm's other layers declare they manage. */
  isAutomatic(flag: string): boolean;
}

/**
 * Loads a charm's source and layers the way the built charm registers them (include
 * order, then file order) and reads each handler's conditions and the flags it sets
 * and clears. Every layer is read the same way: what its handlers declare, and what
 * their code names, read statically from the module (see {@link HandlerCodeReader}).
 */
export async function analyzeCharm(charmDir: string): Promise<CharmAnalysis> {
  const dir = resolve(charmDir);
  const metadata = loadMetadata(dir);
  const options = Object.keys(loadConfigYaml(dir)?.options ?? {});
  const layers = resolveLayers(dir, layerIndexFor(dir));
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
  bindEndpointHandlers(reactor, metadata, origin, entryModules(layers).filter((m) => m.interface));

  const ts = loadTypeScript(dir);
  const reader = ts === undefined ? undefined : new HandlerCodeReader(ts);
  const texts = new Map<string, string>();
  const charmLayer = layers.find((l) => l.kind === 'charm')?.name;
  // Flags another layer declares are that layer's to manage, not the charm's to clear.
  const managed = new Set<string>();
  const handlers = reactor.handlers.map((handler): AnalyzedHandler => {
    const { path, layer } = origin.get(handler.id)!;
    const declared = declaredFlags(handler, { metadata });
    if (layer !== charmLayer) for (const flag of [...declared.sets, ...declared.clears]) managed.add(flag);
    const local = handler.id.slice(handler.id.indexOf(':') + 1);
    let text = texts.get(path);
    if (text === undefined) texts.set(path, (text = readFileSync(path, 'utf8')));
    const code = reader?.read(path, text, local);
    return {
      id: handler.id,
      layer,
      name: local.split('.').at(-1)!.replace(/^#/, ''),
      predicates: handler.predicates,
      file: path,
      line: code?.line ?? 1,
      sets: union(declared.sets, code?.sets),
      clears: union(declared.clears, code?.clears),
      codeRead: code?.line !== undefined,
    };
  });

  // An action may set a flag for the next hook (docs/how-to/write-an-action.md): read its module as a whole.
  const actionSets = new Map<string, string>();
  for (const action of actionModules(layers)) {
    const code = reader?.readModule(action.path, readFileSync(action.path, 'utf8'));
    for (const flag of code?.sets ?? []) if (!actionSets.has(flag)) actionSets.set(flag, `action ${action.name}`);
  }

  const endpointNames = endpoints(metadata).map((e) => e.name);
  // What the runtime sets before dispatch, whatever the layers: config and endpoint flags.
  const automatic = new Set<string>(['config.changed', 'upgrade.series.in-progress']);
  for (const option of options) for (const kind of ['changed', 'set', 'default']) automatic.add(`config.${kind}.${option}`);
  for (const endpoint of endpointNames) for (const kind of ['joined', 'changed', 'departed']) automatic.add(`endpoint.${endpoint}.${kind}`);
  return {
    name: metadata.name,
    layers: layers.map((l) => l.name),
    handlers,
    unregistered,
    actionProblems: charmActionProblems(layers),
    actionSets,
    isAutomatic: (flag) =>
      automatic.has(flag) ||
      managed.has(flag) ||
      endpointNames.some((e) => flag.startsWith(`endpoint.${e}.changed.`)),
  };
}

/**
 * The handlers of the interface layers' Endpoint classes, registered as a hook registers
 * them (once per endpoint of metadata.yaml that speaks the interface, `{endpoint_name}`
 * filled in, in their conditions and in what they declare), each placed in the module of
 * the interface it serves.
 */
function bindEndpointHandlers(reactor: Reactor, metadata: CharmMetadata, origin: Map<string, { path: string; layer: string }>, interfaces: readonly EntryModule[]): void {
  const unitName = `${metadata.name}/0`;
  const before = reactor.handlers.length;
  const { provides, requires, peers } = metadata;
  new HookEndpoints({ metadata: { provides, requires, peers }, tools: new MemoryHookTools({ unitName }), hook: syntheticHookContext('update-status', { unitName }) }).bind(reactor);
  const interfaceOf = new Map(endpoints(metadata).map((e) => [e.name, e.interface]));
  for (const handler of reactor.handlers.slice(before)) {
    const endpoint = /\[([^\]]+)\]$/.exec(handler.id)?.[1];
    const ref = `interface:${endpoint === undefined ? '' : interfaceOf.get(endpoint)}`;
    const module = interfaces.find((m) => m.layer === ref) ?? interfaces[0];
    if (module) origin.set(handler.id, { path: module.path, layer: module.layer });
  }
}

function isLayer(value: unknown): value is Layer {
  return typeof value === 'object' && value !== null && typeof (value as Layer).name === 'string' && typeof (value as Layer).setup === 'function';
}

function union(declared: readonly string[], found: readonly string[] | undefined): string[] {
  return [...new Set([...declared, ...(found ?? [])])].sort();
}
