import { readFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { podSpecV3Schema, readCharmYaml, type CharmConfigYaml } from '@charms/manifest';
import { isAlias, isMap, isScalar, parseAllDocuments, type Pair } from 'yaml';
import type { AppRecord, HookEvent, ModelRecord, PendingChanges, RelationRecord, UnitRecord } from './model-state.js';
import { keyValues, outputFormat, parseArgs, type ParsedArgs } from './tool-args.js';
import { failure, formatValue, ok, ToolFailure, usage, type ToolResult } from './tool-output.js';

/** What a tool call can see and change: the model, the unit, its hook and its pending changes. */
export interface ToolContext {
  readonly model: ModelRecord;
  readonly app: AppRecord;
  readonly unit: UnitRecord;
  readonly event: HookEvent;
  readonly pending: PendingChanges;
  readonly configYaml: CharmConfigYaml | undefined;
  /** Metadata endpoints and resources of the app's charm. */
  readonly metadata: { resources?: Record<string, { type: string }>; endpoints: string[] };
  /** The virtual time, ISO. */
  now(): string;
  /** Writes a resource's file for the unit and returns its path. */
  writeResource(name: string, content: string): string;
  log(level: string, message: string): void;
  /** leader-set applies at once: tell the other units. */
  leaderSettingsChanged(): void;
  /** The caller's working folder, for relative --file paths. */
  readonly cwd?: string;
  /** Checks that a pod spec can be created in Kubernetes; returns the problem, if any. */
  checkPodSpec?(spec: string, k8sResources: string | undefined): string | undefined;
}

const WORKLOAD = ['maintenance', 'blocked', 'waiting', 'active'];
const FORMAT = { format: 'value', o: 'value', output: 'value' } as const;
const RELATION = { r: 'value', relation: 'value' } as const;
const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'];

type ToolHandler = (args: readonly string[], stdin: string, ctx: ToolContext) => ToolResult;

/**
 * Juju's hook tools for the local model, by name, following spec/hook-tools.md §2–3:
 * the same arguments, outputs (smart/yaml/json), exit codes (2 usage, 1 runtime) and
 * `ERROR …` texts. Transactional tools write to `ctx.pending`; status-set, juju-log and
 * leader-set change the model at once.
 */
export const HOOK_TOOLS: Record<string, ToolHandler> = {
  'status-set': (args, _stdin, ctx) => {
    const { options, positional } = parseArgs(args, { application: 'bool', service: 'bool' });
    if (positional.length === 0) usage('invalid args, require <status> [message]');
    if (!WORKLOAD.includes(positional[0]!)) usage(`invalid status "${positional[0]}", expected one of [${WORKLOAD.join(' ')}]`);
    if (positional.length > 2) usage(`unrecognized args: ${goList(positional.slice(2))}`);
    const record = { status: positional[0]!, message: positional[1] ?? '', since: ctx.now() };
    if (options.application || options.service) {
      if (ctx.app.leader !== ctx.unit.name) failure('this unit is not the leader');
      ctx.app.applicationStatus = record;
    } else {
      ctx.unit.workload = record;
    }
    return ok();
  },

  'status-get': (args, _stdin, ctx) => {
    const { options, positional } = parseArgs(args, { ...FORMAT, 'include-data': 'bool', application: 'bool' });
    noExtra(positional);
    const format = outputFormat(options);
    if (options.application) {
      if (ctx.app.leader !== ctx.unit.name) failure('finding application status: this unit is not the leader');
      const status = ctx.app.applicationStatus ?? { status: 'unknown', message: '' };
      return ok(formatValue({ 'application-status': { status: status.status, message: status.message, 'status-data': {}, units: {} } }, format));
    }
    const { status, message } = ctx.unit.workload;
    if (!options['include-data'] && format === 'smart') return ok(formatValue(status, format));
    return ok(formatValue(options['include-data'] ? { status, message, 'status-data': {} } : { status }, format));
  },

  'config-get': (args, _stdin, ctx) => {
    const { options, positional } = parseArgs(args, { ...FORMAT, all: 'bool', a: 'bool' });
    if (positional.length > 1) usage(`unrecognized args: ${goList(positional.slice(1))}`);
    const all = Boolean(options.all || options.a);
    if (all && positional[0]) usage(`cannot use argument --all together with key "${positional[0]}"`);
    const format = outputFormat(options);
    const config = effectiveConfig(ctx);
    if (positional[0]) return ok(formatValue(config[positional[0]] ?? null, format));
    return ok(formatValue(all ? config : Object.fromEntries(Object.entries(config).filter(([, v]) => v !== null)), format));
  },

  'is-leader': (args, _stdin, ctx) => {
    const { options, positional } = parseArgs(args, FORMAT);
    noExtra(positional);
    return ok(formatValue(ctx.app.leader === ctx.unit.name, outputFormat(options)));
  },

  'juju-log': (args, _stdin, ctx) => {
    const { options, positional } = parseArgs(args, { debug: 'bool', l: 'value', 'log-level': 'value', format: 'value' });
    if (positional.length === 0) usage('no message specified');
    let level = options.debug ? 'DEBUG' : String(options['log-level'] ?? options.l ?? 'INFO').toUpperCase();
    let stderr = options.format === undefined ? '' : '--format flag deprecated for command "juju-log"\n';
    if (!LOG_LEVELS.includes(level)) {
      ctx.log('WARNING', `Specified log level of "${level}" is not valid`);
      level = 'INFO';
    }
    const prefix = ctx.event.relationId === undefined ? '' : `${relationName(ctx, ctx.event.relationId)}: `;
    ctx.log(level, `${prefix}${positional.join(' ')}`);
    return { stdout: '', stderr, exitCode: 0 };
  },

  'resource-get': (args, _stdin, ctx) => {
    const { positional } = parseArgs(args, {});
    if (positional.length === 0) usage('missing required resource name');
    if (positional.length > 1) usage(`unrecognized args: ${goList(positional.slice(1))}`);
    const name = positional[0]!;
    const resource = ctx.app.resources[name];
    if (!resource || !ctx.metadata.resources?.[name]) failure(`could not download resource: resource#${ctx.app.name}/${name} not found`);
    const content = `registrypath: ${JSON.stringify(resource!.image)}\nusername: ${JSON.stringify(resource!.username)}\npassword: ${JSON.stringify(resource!.password)}\n`;
    // Juju prints the path with no newline.
    return ok(ctx.writeResource(name, content));
  },

  'pod-spec-set': (args, stdin, ctx) => specSet('pod-spec-set', 'pod', args, stdin, ctx),
  'k8s-spec-set': (args, stdin, ctx) => specSet('k8s-spec-set', 'k8s', args, stdin, ctx),
  'k8s-raw-set': (args, stdin, ctx) => {
    const { options, positional } = parseArgs(args, { file: 'value' });
    noExtra(positional);
    const text = options.file && options.file !== '-' ? readFile(String(options.file), ctx.cwd) : stdin;
    if (!text.trim()) failure('no k8s raw spec specified: pipe k8s raw spec to command, or specify a file with --file');
    if (ctx.app.leader !== ctx.unit.name) failure('this unit is not the leader');
    if (ctx.pending.podSpec) failure(ONE_SPEC_KIND);
    // Often several documents (one per object): each must be YAML.
    for (const document of parseAllDocuments(text, { version: '1.1' })) {
      if (document.errors[0]) failure(`yaml: ${document.errors[0].message.split('\n')[0]}`);
    }
    ctx.pending.k8sRaw = text;
    return ok();
  },
  // The committed specs, as set (inferred: the spec does not say more of the getters).
  'pod-spec-get': (args, _stdin, ctx) => specGet(args, ctx.app.podSpec?.spec),
  'k8s-spec-get': (args, _stdin, ctx) => specGet(args, ctx.app.podSpec?.spec),
  'k8s-raw-get': (args, _stdin, ctx) => specGet(args, ctx.app.rawSpec?.spec),

  'state-get': (args, _stdin, ctx) => {
    const { options, positional } = parseArgs(args, { ...FORMAT, strict: 'bool' });
    const format = outputFormat(options);
    const state = { ...ctx.unit.controllerState };
    for (const [key, value] of Object.entries(ctx.pending.state)) {
      if (value === null) delete state[key];
      else state[key] = value;
    }
    const key = positional[0];
    if (!key || key === '-') return ok(formatValue(state, format));
    if (!(key in state) && options.strict) failure(`key "${key}" not found`);
    return ok(formatValue(state[key] ?? null, format));
  },

  'state-set': (args, stdin, ctx) => {
    const { options, positional } = parseArgs(args, { file: 'value' });
    const fromFile = options.file === undefined ? {} : yamlMap(options.file === '-' ? stdin : readFile(String(options.file), ctx.cwd));
    const data = { ...fromFile, ...keyValues(positional) };
    for (const [key, value] of Object.entries(data)) {
      if (Buffer.byteLength(key) > 256) failure(`key "${key.slice(0, 20)}…" exceeds the 256 byte limit`);
      if (Buffer.byteLength(value) > 64 * 1024) failure(`value for key "${key}" exceeds the 65536 byte limit`);
      ctx.pending.state[key] = value;
    }
    return ok();
  },

  'state-delete': (args, _stdin, ctx) => {
    const { positional } = parseArgs(args, {});
    if (positional.length === 0) usage('no key specified');
    if (positional.length > 1) usage(`unrecognized args: ${goList(positional.slice(1))}`);
    ctx.pending.state[positional[0]!] = null;
    return ok();
  },

  'relation-ids': (args, _stdin, ctx) => {
    const { options, positional } = parseArgs(args, FORMAT);
    if (positional.length > 1) usage(`unrecognized args: ${goList(positional.slice(1))}`);
    const endpoint = positional[0] ?? (ctx.event.relationId === undefined ? undefined : relationEnd(ctx, ctx.event.relationId).endpoint);
    if (!endpoint) usage('no endpoint name specified');
    const ids = ctx.model.relations
      .filter((r) => r.ends.some((end) => end.app === ctx.app.name && end.endpoint === endpoint))
      .map((r) => r.id)
      .sort((a, b) => a - b)
      .map((id) => `${endpoint}:${id}`);
    return ok(formatValue(ids, outputFormat(options)));
  },

  'relation-list': (args, _stdin, ctx) => {
    const { options, positional } = parseArgs(args, { ...FORMAT, ...RELATION, app: 'bool' });
    noExtra(positional);
    const relation = relationFor(ctx, options);
    if (options.app) return ok(formatValue(remoteEnd(ctx, relation).app, outputFormat(options)));
    return ok(formatValue([...(relation.inScope?.[ctx.unit.name] ?? [])].sort(), outputFormat(options)));
  },

  'relation-get': (args, _stdin, ctx) => {
    const { options, positional } = parseArgs(args, { ...FORMAT, ...RELATION, app: 'bool' });
    if (positional.length > 2) usage(`unrecognized args: ${goList(positional.slice(2))}`);
    const relation = relationFor(ctx, options);
    const remote = remoteEnd(ctx, relation);
    let target = positional[1] ?? (options.app ? ctx.event.remoteApp : (ctx.event.remoteUnit ?? ctx.event.remoteApp));
    if (!target) usage('no unit or application specified');
    const isApp = !target!.includes('/');
    if (isApp && !options.app && !positional[1]) target = target!;
    else if (isApp && !options.app) usage(`expected unit name, got application name "${target}"`);
    if (!isApp && !/^[a-z][a-z0-9-]*\/\d+$/.test(target!)) usage(`invalid unit name "${target}"`);
    if (isApp && target === ctx.app.name && ctx.app.leader !== ctx.unit.name && remote.role !== 'peers') failure('permission denied');
    const bag = { ...(relation.data[target!] ?? {}) };
    if (target === ctx.unit.name || target === ctx.app.name) {
      for (const write of ctx.pending.relationSets) if (write.relationId === relation.id && write.bag === target) Object.assign(bag, write.data);
      for (const [key, value] of Object.entries(bag)) if (value === '') delete bag[key];
    }
    const key = positional[0];
    return ok(formatValue(key && key !== '-' ? (bag[key] ?? null) : bag, outputFormat(options)));
  },

  'relation-set': (args, stdin, ctx) => {
    const { options, positional } = parseArgs(args, { ...RELATION, app: 'bool', file: 'value', format: 'value' });
    const relation = relationFor(ctx, options);
    const fromFile = options.file === undefined ? {} : yamlMap(options.file === '-' ? stdin : readFile(String(options.file), ctx.cwd));
    const data = { ...fromFile, ...keyValues(positional) };
    if (options.app && ctx.app.leader !== ctx.unit.name) failure('cannot write relation settings');
    const size = JSON.stringify(data).length;
    if (size > 16 * 1024 * 1024) failure('relation settings exceed the 16 MiB limit');
    ctx.pending.relationSets.push({ relationId: relation.id, bag: options.app ? ctx.app.name : ctx.unit.name, data });
    return ok();
  },

  'leader-get': (args, _stdin, ctx) => {
    const { options, positional } = parseArgs(args, FORMAT);
    if (positional.length > 1) usage(`unrecognized args: ${goList(positional.slice(1))}`);
    const key = positional[0];
    if (key?.includes('=')) usage(`invalid key "${key}"`);
    return ok(formatValue(key && key !== '-' ? (ctx.app.leaderSettings[key] ?? null) : ctx.app.leaderSettings, outputFormat(options)));
  },

  'leader-set': (args, _stdin, ctx) => {
    const { positional } = parseArgs(args, {});
    const settings = keyValues(positional);
    if (ctx.app.leader !== ctx.unit.name) failure('cannot write leadership settings: cannot write settings: not the leader');
    for (const [key, value] of Object.entries(settings)) {
      if (value === '') delete ctx.app.leaderSettings[key];
      else ctx.app.leaderSettings[key] = value;
    }
    ctx.leaderSettingsChanged();
    return ok();
  },

  'application-version-set': (args, _stdin, ctx) => {
    const { positional } = parseArgs(args, {});
    if (positional.length === 0) usage('no version specified');
    if (positional.length > 1) usage(`unrecognized args: ${goList(positional.slice(1))}`);
    ctx.app.version = positional[0];
    return ok();
  },

  'open-port': (args, _stdin, ctx) => port('open', args, ctx),
  'close-port': (args, _stdin, ctx) => port('close', args, ctx),
  'opened-ports': (args, _stdin, ctx) => {
    const { options } = parseArgs(args, { ...FORMAT, endpoints: 'bool' });
    return ok(formatValue([...ctx.unit.openedPorts], outputFormat(options)));
  },

  'network-get': (args, _stdin, ctx) => {
    const { options, positional } = parseArgs(args, {
      ...FORMAT,
      ...RELATION,
      'bind-address': 'bool',
      'ingress-address': 'bool',
      'egress-subnets': 'bool',
      'primary-address': 'bool',
    });
    if (positional.length === 0) usage('no arguments specified');
    if (!ctx.metadata.endpoints.includes(positional[0]!)) failure(`no network config found for binding "${positional[0]}"`);
    const address = unitAddress(ctx);
    const full = {
      'bind-addresses': [{ 'mac-address': '', 'interface-name': 'eth0', addresses: [{ hostname: '', value: address, cidr: '10.1.0.0/16', address }] }],
      'egress-subnets': [`${address}/32`],
      'ingress-addresses': [address],
    };
    const selected = { 'bind-address': address, 'ingress-address': address, 'egress-subnets': [`${address}/32`], 'primary-address': address };
    const asked = (Object.keys(selected) as (keyof typeof selected)[]).filter((key) => options[key]);
    const value = asked.length === 0 ? full : asked.length === 1 ? selected[asked[0]!] : Object.fromEntries(asked.map((k) => [k, selected[k]]));
    return ok(formatValue(value, outputFormat(options)));
  },

  'unit-get': (args, _stdin, ctx) => {
    const { options, positional } = parseArgs(args, FORMAT);
    if (positional.length === 0) usage('no setting specified');
    if (!['private-address', 'public-address'].includes(positional[0]!)) usage(`unknown setting "${positional[0]}"`);
    return ok(formatValue(unitAddress(ctx), outputFormat(options)));
  },

  'goal-state': (args, _stdin, ctx) => {
    const { options } = parseArgs(args, { format: 'value', o: 'value', output: 'value' });
    const format = outputFormat(options, ['yaml', 'json']);
    const units = Object.fromEntries(ctx.app.units.map((u) => [u.name, { status: u.agent.status === 'error' ? 'error' : 'active', since: ctx.now() }]));
    return ok(formatValue({ units, relations: {} }, format));
  },

  'action-get': () => failure('not running an action'),
  'action-set': () => failure('not running an action'),
  'action-fail': () => failure('not running an action'),
  'action-log': () => failure('not running an action'),
};

/** Runs one tool call and turns a failure into Juju's stderr and exit code. */
export function runHookTool(tool: string, args: readonly string[], stdin: string, ctx: ToolContext): ToolResult {
  const handler = HOOK_TOOLS[tool];
  if (!handler) return { stdout: '', stderr: `ERROR bad request: unknown hook command: ${tool}\n`, exitCode: 1 };
  try {
    return handler(args, stdin, ctx);
  } catch (error) {
    if (error instanceof ToolFailure) return { stdout: '', stderr: `ERROR ${error.message}\n`, exitCode: error.exitCode };
    return { stdout: '', stderr: `ERROR ${(error as Error).message}\n`, exitCode: 1 };
  }
}

// Juju refuses both kinds of spec from one hook (it says so when the hook commits; the
// model says it when the second is set).
const ONE_SPEC_KIND = 'either k8s-spec-set or k8s-raw-set can be run for each application, but not both';

function specGet(args: readonly string[], spec: string | undefined): ToolResult {
  const { positional } = parseArgs(args, {});
  noExtra(positional);
  return ok(spec === undefined ? '' : spec.replace(/\n?$/, '\n'));
}

function specSet(tool: string, noun: string, args: readonly string[], stdin: string, ctx: ToolContext): ToolResult {
  const { options, positional } = parseArgs(args, { file: 'value', 'k8s-resources': 'value' });
  if (positional.length > 0) usage(`unrecognized args: ${goList(positional)}`);
  const spec = options.file && options.file !== '-' ? readFile(String(options.file), ctx.cwd) : stdin;
  if (!spec.trim()) failure(`no ${noun} spec specified: pipe ${noun} spec to command, or specify a file with --file`);
  const resources = options['k8s-resources'] ? readFile(String(options['k8s-resources']), ctx.cwd) : undefined;
  if (ctx.app.leader !== ctx.unit.name) {
    ctx.log('WARNING', `"${ctx.unit.name}" is not the leader but is setting application k8s spec`);
    failure('this unit is not the leader');
  }
  // Juju joins the two files as text, then decodes strictly.
  const joined = resources === undefined ? spec : `${spec.replace(/\n?$/, '\n')}${resources}`;
  let document: unknown;
  try {
    document = readCharmYaml(joined);
  } catch (error) {
    failure(`yaml: ${(error as Error).message.split('\n')[0]}`);
  }
  const checked = podSpecV3Schema.safeParse(document);
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    failure(issue.code === 'unrecognized_keys' ? `json: unknown field ${JSON.stringify(issue.keys[0])}` : `${issue.path.join('.')}: ${issue.message}`);
  }
  if (ctx.pending.k8sRaw !== undefined) failure(ONE_SPEC_KIND);
  const unrenderable = ctx.checkPodSpec?.(spec, resources);
  if (unrenderable) failure(unrenderable);
  ctx.pending.podSpec = { spec, ...(resources === undefined ? {} : { k8sResources: resources }) };
  return ok();
}

function port(action: 'open' | 'close', args: readonly string[], ctx: ToolContext): ToolResult {
  const { positional } = parseArgs(args, { endpoints: 'value' });
  if (positional.length === 0) usage('no port or range specified');
  if (positional.length > 1) usage(`unrecognized args: ${goList(positional.slice(1))}`);
  const text = positional[0]!.toLowerCase();
  const match = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp))?$/.exec(text);
  if (text !== 'icmp' && !match) usage(`invalid port or range "${positional[0]}"`);
  const name = text === 'icmp' ? 'icmp' : `${match![1]}${match![2] ? `-${match![2]}` : ''}/${match![3] ?? 'tcp'}`;
  ctx.pending.ports.push({ action, port: name });
  return ok();
}

function effectiveConfig(ctx: ToolContext): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const name of Object.keys(ctx.configYaml?.options ?? {}).sort()) {
    config[name] = Object.hasOwn(ctx.app.config, name) ? ctx.app.config[name] : (ctx.configYaml!.options[name]!.default ?? null);
  }
  return config;
}

function relationFor(ctx: ToolContext, options: ParsedArgs['options']): RelationRecord {
  const given = (options.r ?? options.relation) as string | undefined;
  const idText = given ?? (ctx.event.relationId === undefined ? undefined : String(ctx.event.relationId));
  if (idText === undefined) usage('no relation id specified');
  const id = Number(idText!.split(':').at(-1));
  if (!Number.isInteger(id)) usage(`invalid value "${given}" for option -r: invalid relation id`);
  const relation = ctx.model.relations.find((r) => r.id === id && r.ends.some((end) => end.app === ctx.app.name));
  if (!relation) usage(`invalid value "${given ?? idText}" for option -r: relation not found`);
  return relation!;
}

function relationEnd(ctx: ToolContext, id: number) {
  const relation = ctx.model.relations.find((r) => r.id === id)!;
  return relation.ends.find((end) => end.app === ctx.app.name)!;
}

function remoteEnd(ctx: ToolContext, relation: RelationRecord) {
  return relation.ends[0].app === ctx.app.name && relation.ends[1].app !== ctx.app.name ? relation.ends[1] : relation.ends[0];
}

function relationName(ctx: ToolContext, id: number): string {
  return `${relationEnd(ctx, id).endpoint}:${id}`;
}

function unitAddress(ctx: ToolContext): string {
  const appIndex = Object.keys(ctx.model.apps).indexOf(ctx.app.name);
  return `10.1.${appIndex + 1}.${Number(ctx.unit.name.split('/')[1]) + 10}`;
}

function noExtra(positional: readonly string[]): void {
  if (positional.length > 0) usage(`unrecognized args: ${goList(positional)}`);
}

/** Go's %q of a string slice: ["a" "b"]. */
function goList(values: readonly string[]): string {
  return `[${values.map((v) => JSON.stringify(v)).join(' ')}]`;
}

/**
 * A `--file` map as Juju decodes it, go-yaml v2 into map[string]string: the first
 * document only; each plain scalar keeps its text (`yes` stays "yes", `010` stays
 * "010"), quoted ones their value, an alias its target's; null is empty (which deletes
 * the key); a repeated key keeps its last value; anything but a map of scalars is refused.
 */
function yamlMap(text: string): Record<string, string> {
  const [document] = parseAllDocuments(text, { version: '1.1', uniqueKeys: false });
  if (!document) return {};
  if (document.errors[0]) usage(`cannot parse YAML: ${document.errors[0].message.split('\n')[0]}`);
  const map = document.contents;
  if (map === null) return {};
  if (!isMap(map)) return usage('expected YAML map of strings');
  const scalarText = (node: unknown): string => {
    const target = isAlias(node) ? node.resolve(document) : node;
    if (!isScalar(target)) return usage('expected YAML map of strings');
    if (target.value === null) return '';
    return target.type === 'PLAIN' && target.source !== undefined ? target.source : String(target.value);
  };
  return Object.fromEntries(map.items.map((pair: Pair) => [scalarText(pair.key), scalarText(pair.value)]));
}

function readFile(path: string, cwd = '/'): string {
  try {
    return readFileSync(resolvePath(cwd, path), 'utf8');
  } catch (error) {
    return failure(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}
