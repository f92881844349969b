import type { LogLevel, WorkloadStatus } from '../hook-tools.js';
import { runJujuc, type JujucRequest } from './emulator.js';
import { memoryFiles } from './files.js';
import type { ToolResult } from './result.js';
import { noChanges, type HookChanges, type JujucWorld } from './world.js';

export { noChanges };

/** One relation as a {@link MemoryWorld} holds it, by its id (`db:3`). */
export interface MemoryRelation {
  endpoint: string;
  app: string;
  /** Remote units in scope and what each published. */
  units: Record<string, Record<string, string>>;
  appData?: Record<string, string>;
  /** What this unit published. */
  local?: Record<string, string>;
  localApp?: Record<string, string>;
  /** A peer relation: any unit may read the application's own bag. */
  peer?: boolean;
  /**
   * `units` also holds (with their data) the remote units that have left the scope, so a
   * unit not in it never joined: `relation-get` of it is Juju's "settings not found".
   * Without it a unit of the remote application that is not in `units` reads as empty.
   */
  scopeKnown?: boolean;
}

/**
 * A unit's world as plain data: what `MemoryHookTools` and the fake Juju of the tests
 * answer from. Tests arrange it and read it back.
 */
export interface MemoryWorld {
  unitName: string;
  leader: boolean;
  config: Record<string, unknown>;
  /** Resource name → the path `resource-get` prints (a missing one fails like Juju). */
  resources: Record<string, string>;
  relations: Record<string, MemoryRelation>;
  leaderSettings: Record<string, string>;
  controllerState: Record<string, string>;
  /** Every `status-set`, in order. */
  statusHistory: { status: WorkloadStatus; message: string; application: boolean }[];
  logs: { level: LogLevel; message: string }[];
  podSpec?: { spec: string; k8sResources?: string };
  k8sRaw?: string;
  /** A sidecar charm's unit (metadata.yaml `containers:`): pod-spec-set, k8s-spec-set and k8s-raw-set refuse. */
  sidecar?: boolean;
  openedPorts: string[];
  applicationVersion?: string;
  action?: { params: Record<string, unknown>; results: Record<string, unknown>; failed?: string; log: string[] };
  /** Tools made to fail, as Juju would: `{ 'pod-spec-set': { exitCode: 1, stderr: 'ERROR …\n' } }`. */
  failures?: Record<string, { exitCode: number; stderr: string }>;
  /** Files the tools read and write (`--file`, `-o`), by path, for a world without a disk. */
  files?: Record<string, string>;
  /** Storage attachments by id (`data/0`), for storage-get and storage-list. */
  storage?: Record<string, { kind: string; location: string }>;
  /** Every storage-add request, in order (the world adds no instance: the test reads what was asked). */
  storageRequests?: { name: string; count: number }[];
  /** The cloud spec credential-get prints; absent, the application is not trusted. */
  cloudSpec?: Record<string, unknown>;
}

/** A hook's relation and remote side, as JUJU_RELATION_ID, JUJU_REMOTE_UNIT and JUJU_REMOTE_APP give them. */
export interface MemoryHook {
  readonly relationId?: string;
  readonly remoteUnit?: string;
  readonly remoteApp?: string;
  /** JUJU_STORAGE_ID, in a storage hook. */
  readonly storageId?: string;
}

const relationNumber = (id: string) => Number(id.split(':').at(-1));

/**
 * Answers one tool call from a {@link MemoryWorld} through the jujuc emulator: a failure
 * the world forces comes first; the call's transactional changes go into `changes`.
 */
export function answerFromMemory(
  world: MemoryWorld,
  request: JujucRequest,
  options: { hook?: MemoryHook; changes?: HookChanges; files?: JujucWorld['files'] } = {},
): ToolResult {
  const forced = world.failures?.[request.tool];
  if (forced) return { stdout: '', stderr: forced.stderr, exitCode: forced.exitCode };
  return runJujuc(request, memoryJujucWorld(world, options.hook ?? {}, options.changes ?? noChanges(), options.files));
}

function memoryJujucWorld(world: MemoryWorld, hook: MemoryHook, changes: HookChanges, files: JujucWorld['files'] | undefined): JujucWorld {
  const ownApp = world.unitName.split('/')[0]!;
  const lastStatus = (application: boolean) => {
    const last = world.statusHistory.filter((s) => s.application === application).at(-1);
    return last ? { status: last.status, message: last.message } : { status: 'unknown', message: '' };
  };
  return {
    unitName: world.unitName,
    isLeader: () => Boolean(world.leader),
    hook: { relationId: hook.relationId ? relationNumber(hook.relationId) : undefined, remoteUnit: hook.remoteUnit, remoteApp: hook.remoteApp, storageId: hook.storageId },
    changes,
    files: files ?? memoryFiles((world.files ??= {})),
    unitStatus: () => lastStatus(false),
    applicationStatus: () => ({ ...lastStatus(true), units: { [world.unitName]: lastStatus(false) } }),
    setStatus: ({ status, message }, application) => void world.statusHistory.push({ status: status as WorkloadStatus, message, application }),
    setApplicationVersion: (version) => void (world.applicationVersion = version),
    config: () => world.config,
    leaderSettings: () => world.leaderSettings,
    setLeaderSettings: (settings) => void (world.leaderSettings = settings),
    relations: () =>
      Object.entries(world.relations).map(([id, relation]) => ({
        id: relationNumber(id),
        endpoint: relation.endpoint,
        remoteApp: relation.app,
        peer: Boolean(relation.peer),
        units: Object.keys(relation.units ?? {}),
        formerUnitsUnknown: !relation.scopeKnown,
        data: {
          ...relation.units,
          [relation.app]: relation.appData ?? {},
          [world.unitName]: relation.local ?? {},
          ...(relation.peer || relation.app !== ownApp ? { [ownApp]: relation.localApp ?? {} } : {}),
        },
      })),
    controllerState: () => world.controllerState,
    resourcePath: (name) => world.resources[name],
    sidecar: Boolean(world.sidecar),
    specs: () => ({ podSpec: world.podSpec?.spec, rawSpec: world.k8sRaw }),
    openedPorts: () => world.openedPorts,
    bindings: () => Object.values(world.relations).map((r) => r.endpoint),
    network: () => ({ address: '10.1.2.3', cidr: '10.1.2.0/24' }),
    goalState: () => ({ units: { [world.unitName]: { status: 'active' } }, relations: {} }),
    storage: () => world.storage ?? {},
    cloudSpec: () => world.cloudSpec,
    action: () => world.action,
    log: (level, message) => void world.logs.push({ level: level as LogLevel, message }),
  };
}

/**
 * What Juju does when a hook succeeds (`HookContext.Flush`): applies its transactional
 * changes to the world. Relation writes land in the unit's or its application's bag (an
 * empty value deletes a key); state-delete removes keys; ports open and close.
 */
export function commitChanges(world: Pick<MemoryWorld, 'podSpec' | 'k8sRaw' | 'openedPorts' | 'controllerState' | 'storageRequests'> & { relations: Record<string, Pick<MemoryRelation, 'local' | 'localApp'>> }, changes: HookChanges): void {
  if (changes.podSpec) world.podSpec = changes.podSpec;
  if (changes.k8sRaw !== undefined) world.k8sRaw = changes.k8sRaw;
  for (const write of changes.relationSets) {
    const relation = Object.entries(world.relations).find(([id]) => relationNumber(id) === write.relationId)?.[1];
    if (!relation) continue;
    // A unit's name has a slash, an application's has none.
    const bag = write.bag.includes('/') ? (relation.local ??= {}) : (relation.localApp ??= {});
    for (const [key, value] of Object.entries(write.data)) {
      if (value === '') delete bag[key];
      else bag[key] = value;
    }
  }
  for (const { action, port } of changes.ports) {
    if (action === 'close') world.openedPorts = world.openedPorts.filter((p) => p !== port);
    else if (!world.openedPorts.includes(port)) world.openedPorts.push(port);
  }
  for (const [key, value] of Object.entries(changes.state)) {
    if (value === null) delete world.controllerState[key];
    else world.controllerState[key] = value;
  }
  if (changes.storage.length > 0) (world.storageRequests ??= []).push(...changes.storage);
}
