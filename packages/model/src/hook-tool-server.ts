import { effectiveConfig, nameProblem, podSpecV3Schema, type CharmConfigYaml } from '@charms/manifest';
import { pathInside } from '@charms/manifest/internal';
import { diskFiles, JUJUC_TOOLS, runJujuc, type GoalStateData, type JujucAction, type JujucRelation, type JujucWorld, type ToolResult } from '@charms/hooktools/jujuc';
import { storageLocation } from './storage-files.js';
import { otherEnd, podAddress, type AppRecord, type HookEvent, type ModelRecord, type PendingChanges, type RelationEnd, type RelationRecord, type UnitRecord } from './model-state.js';

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
  /** The caller's working folder, for relative --file and -o paths. */
  readonly cwd?: string;
  /** Checks that a pod spec can be created in Kubernetes; returns the problem, if any. */
  checkPodSpec?(spec: string, k8sResources: string | undefined): string | undefined;
  /** The running action, when this context is one's: the action tools answer from it and record into it. */
  readonly action?: JujucAction;
  /** The model's folder, where storage instances have theirs. */
  readonly modelDir: string;
}

type ToolHandler = (args: readonly string[], stdin: string, ctx: ToolContext) => ToolResult;

/**
 * Juju's hook tools for the local model, by name: each answers through the one tool
 * emulator of `@charms/hooktools/jujuc`, over the unit's world as the model records it.
 * Transactional tools write to `ctx.pending`; status-set, juju-log and leader-set change
 * the model at once.
 */
export const HOOK_TOOLS: Record<string, ToolHandler> = Object.fromEntries(
  Object.keys(JUJUC_TOOLS).map((tool) => [tool, (args: readonly string[], stdin: string, ctx: ToolContext) => runJujuc({ tool, argv: args, stdin }, modelWorld(ctx))]),
);

/** Runs one tool call and answers with Juju's stdout, stderr and exit code. */
export function runHookTool(tool: string, args: readonly string[], stdin: string, ctx: ToolContext): ToolResult {
  return runJujuc({ tool, argv: args, stdin }, modelWorld(ctx));
}

/** The unit's world as the emulator sees it, backed by the model's records. */
function modelWorld(ctx: ToolContext): JujucWorld {
  const { app, unit } = ctx;
  return {
    unitName: unit.name,
    isLeader: () => app.leader === unit.name,
    hook: { relationId: ctx.event.relationId, remoteUnit: ctx.event.remoteUnit, remoteApp: ctx.event.remoteApp, storageId: ctx.event.storageId },
    changes: ctx.pending,
    files: diskFiles(ctx.cwd),
    unitStatus: () => unit.workload,
    applicationStatus: () => ({
      ...(app.applicationStatus ?? { status: 'unknown', message: '' }),
      units: Object.fromEntries(app.units.map((u) => [u.name, u.workload])),
    }),
    setStatus: ({ status, message }, application) => {
      const record = { status, message, since: ctx.now() };
      if (application) app.applicationStatus = record;
      else unit.workload = record;
    },
    setApplicationVersion: (version) => {
      app.version = version;
    },
    config: () => effectiveConfig(ctx.configYaml?.options, app.config),
    leaderSettings: () => app.leaderSettings,
    setLeaderSettings: (settings) => {
      app.leaderSettings = settings;
      ctx.leaderSettingsChanged();
    },
    // Juju's hook context lists the relations the unit has joined (entered the scope of,
    // once installed: worker/uniter/relation/statetracker.go GetInfo), and the hook's own.
    relations: () =>
      ctx.model.relations
        .filter((r) => r.ends.some((end) => end.app === app.name) && (r.id === ctx.event.relationId || inScope(r, unit.name)))
        .map((r) => relationView(ctx, r)),
    controllerState: () => unit.controllerState,
    resourcePath: (name) => {
      // Own properties only, and a valid resource name only: the name becomes a folder of
      // the unit (resources/<name>/), so one that is not a plain name is never written.
      if (nameProblem('resource', name) !== undefined || !Object.hasOwn(app.resources, name) || !Object.hasOwn(ctx.metadata.resources ?? {}, name)) return undefined;
      const resource = app.resources[name];
      if (!resource) return undefined;
      // The unit writes resources/<name>/content.yaml: that path must stay in resources/.
      pathInside('resources', name, 'content.yaml');
      return ctx.writeResource(name, `registrypath: ${JSON.stringify(resource.image)}\nusername: ${JSON.stringify(resource.username)}\npassword: ${JSON.stringify(resource.password)}\n`);
    },
    // The app's record says whether its charm is a sidecar one (metadata containers:).
    sidecar: app.sidecar !== undefined,
    specs: () => ({ podSpec: app.podSpec?.spec, rawSpec: app.rawSpec?.spec }),
    checkPodSpec: (document, spec, k8sResources) => {
      // Juju decodes the spec strictly: an unknown field is an error.
      const checked = podSpecV3Schema.safeParse(document);
      if (!checked.success) {
        const issue = checked.error.issues[0]!;
        return issue.code === 'unrecognized_keys' ? `json: unknown field ${JSON.stringify(issue.keys[0])}` : `${issue.path.join('.')}: ${issue.message}`;
      }
      return ctx.checkPodSpec?.(spec, k8sResources);
    },
    openedPorts: () => unit.openedPorts,
    bindings: () => ctx.metadata.endpoints,
    network: () => ({ address: podAddress(ctx.model, unit.name), cidr: '10.1.0.0/16' }),
    goalState: () => goalState(ctx),
    // The unit's attachments, a detaching one until its storage-detaching hook commits.
    storage: () =>
      Object.fromEntries((ctx.model.storage ?? []).filter((s) => s.unit === unit.name).map((s) => [s.id, { kind: s.kind, location: storageLocation(s, ctx.modelDir) }])),
    action: () => ctx.action,
    log: (level, message) => ctx.log(level, message),
  };
}

/** The units in `relation`'s scope: the record's members, or, in a record written before it kept them, the units whose relation hooks have begun. */
function scopeMembers(relation: RelationRecord): string[] {
  if (relation.members) return relation.members;
  const started = Object.keys(relation.inScope ?? {});
  return [...new Set([...started, ...Object.values(relation.inScope ?? {}).flat()])];
}

/** Whether `unit` has entered `relation`'s scope (state/relationunit.go EnterScope). */
function inScope(relation: RelationRecord, unit: string): boolean {
  return scopeMembers(relation).includes(unit);
}

/** The relation's key as Juju prints it (state/relation.go relationKey): `app:endpoint` of each end, the provider (or the peer) first. */
function relationKey(relation: RelationRecord): string {
  const rank = (end: RelationEnd) => (end.role === 'requires' ? 1 : 0);
  const ends = relation.ends[0].role === 'peers' ? [relation.ends[0]] : [...relation.ends].sort((a, b) => rank(a) - rank(b) || (a.app < b.app ? -1 : a.app > b.app ? 1 : 0));
  return ends.map((end) => `${end.app}:${end.endpoint}`).join(' ');
}

function relationView(ctx: ToolContext, relation: ModelRecord['relations'][number]): JujucRelation {
  const [first, second] = relation.ends;
  const local = first.app === ctx.app.name ? first : second;
  const remote = first.app === ctx.app.name && second.app !== ctx.app.name ? second : first;
  // A unit has its settings from the moment it enters the scope, empty or not.
  const entered = Object.fromEntries(scopeMembers(relation).map((unit) => [unit, {}]));
  return {
    id: relation.id,
    endpoint: local.endpoint,
    remoteApp: remote.app,
    peer: remote.role === 'peers',
    units: relation.inScope?.[ctx.unit.name] ?? [],
    data: { ...entered, ...relation.data },
    key: relationKey(relation),
  };
}

/**
 * goal-state (apiserver/facades/agent/uniter goalStateUnits, goalStateRelations): the
 * application's units with their workload status (`dying` once leaving), and for each
 * relation but peer ones, by local endpoint, the remote application with the relation's
 * status and the remote units. The model keeps no time for a relation's status, so its
 * `since` is left out.
 */
function goalState(ctx: ToolContext): GoalStateData {
  const units = (app: AppRecord | undefined) =>
    Object.fromEntries(
      (app?.units ?? []).map((u) => [u.name, { status: app!.dying || u.queue.some((e) => e.hook === 'remove') ? 'dying' : u.workload.status, since: u.workload.since }]),
    );
  const relations: Record<string, Record<string, { status: string; since?: string }>> = {};
  for (const relation of ctx.model.relations) {
    if (relation.ends[0].role === 'peers' || !relation.ends.some((e) => e.app === ctx.app.name)) continue;
    const local = relation.ends.find((e) => e.app === ctx.app.name)!;
    const remote = otherEnd(relation, ctx.app.name);
    const joined = scopeMembers(relation).some((u) => u.split('/')[0] === ctx.app.name);
    const status = relation.dying ? 'broken' : joined ? 'joined' : 'joining';
    relations[local.endpoint] = { ...relations[local.endpoint], [remote.app]: { status }, ...units(ctx.model.apps[remote.app]) };
  }
  return { units: units(ctx.app), relations };
}
