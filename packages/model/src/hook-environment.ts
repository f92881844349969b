/**
 * The environment of a hook's `dispatch`: what Juju 2.9's uniter gives a hook
 * (worker/uniter/runner/context/context.go HookVars), and the model's own variables (its
 * shims' FIFO, the trace file). One function for the hook the model runs now and for the
 * one it starts ahead of its turn (hook-prestart.ts), which runs only if the two agree.
 */
import { dirname, join } from 'node:path';
import type { DebugRequest } from './debug-session.js';
import { JUJU_VERSION, MODEL_NAME } from './juju-identity.js';
import type { ActionRecord, AppRecord, HookEvent, ModelRecord, UnitRecord } from './model-state.js';
import { pebbleSocketDir } from './pebble-sockets.js';
import { ANSWER_POOL_SIZE } from './shim-server.js';
import { PEBBLE_SOCKETS_VARIABLE } from './sidecar-sockets.js';
import { storageLocation } from './storage-files.js';

/**
 * What the model sets for a hook, which ModelOptions.hookEnv may not replace or add to
 * (the hook gate's variable too: a hook given it would wait on a descriptor it does not have).
 */
export const MODEL_VARIABLES = /^(JUJU_.*|CHARM_DIR|CHARMS_TOOL_.*|CHARMS_TRACE_FILE|CHARMS_PEBBLE_SOCKETS|CHARMS_HOOK_GATE|PATH|HOME|LANG)$/;

/** What a hook's environment is made from. */
export interface HookEnvironmentInput {
  readonly modelDir: string;
  /** The unit's copy of the charm. */
  readonly charmDir: string;
  /** Where the shims keep a call's files (CHARMS_TOOL_TMP). */
  readonly toolTmp: string;
  /** ModelOptions.hookEnv: first, so that nothing in it replaces what the model sets. */
  readonly given: Readonly<Record<string, string>> | undefined;
  /** The agent socket, when it serves. */
  readonly agentSocket: string | undefined;
  readonly model: ModelRecord;
  readonly app: AppRecord;
  readonly unit: UnitRecord;
  readonly event: HookEvent;
  readonly contextId: string;
  readonly traceFile: string;
  readonly action?: ActionRecord;
  readonly debug?: DebugRequest;
}

/** The uniter's context id of a hook or action: `<unit>-<hook or action name>-<the model's hook counter>`. */
export function hookContextId(unit: string, name: string, counter: number): string {
  return `${unit}-${name}-${counter}`;
}

/** Where a hook's trace goes, relative to the model (for charms explain): by the model's hook counter. */
export function hookTraceFile(counter: number): string {
  return join('traces', `${counter}.json`);
}

/** The environment of the hook (or action) `input` names. */
export function hookEnvironment(input: HookEnvironmentInput): NodeJS.ProcessEnv {
  const { modelDir, charmDir, toolTmp, given, agentSocket, model, app, unit, event, contextId, traceFile, action, debug } = input;
  const relation = event.relationId === undefined ? undefined : model.relations.find((r) => r.id === event.relationId);
  const end = relation?.ends.find((e) => e.app === app.name);
  const storage = event.storageId === undefined ? undefined : model.storage?.find((s) => s.id === event.storageId);

  const env: NodeJS.ProcessEnv = {
    // First, so that nothing given here can replace what the model sets below.
    ...given,
    PATH: `${join(modelDir, 'run', 'bin')}:${dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`,
    HOME: process.env.HOME,
    LANG: 'C.UTF-8',
    CHARMS_TOOL_FIFO: join(modelDir, 'run', 'tools.fifo'),
    CHARMS_TOOL_TMP: toolTmp,
    CHARMS_TOOL_POOL: String(ANSWER_POOL_SIZE),
    // The shims' wait for an answer, when the command running the model sets one.
    ...(process.env.CHARMS_TOOL_TIMEOUT ? { CHARMS_TOOL_TIMEOUT: process.env.CHARMS_TOOL_TIMEOUT } : {}),
    JUJU_CONTEXT_ID: contextId,
    // The runtime writes what it did here, for charms explain (flag names, never values).
    CHARMS_TRACE_FILE: traceFile,
    JUJU_CHARM_DIR: charmDir,
    CHARM_DIR: charmDir,
    JUJU_UNIT_NAME: unit.name,
    JUJU_MODEL_NAME: MODEL_NAME,
    JUJU_MODEL_UUID: '00000000-0000-4000-8000-000000000000',
    JUJU_VERSION,
    // An action: Juju 2.9 exports JUJU_HOOK_NAME empty, and the action's id, tag and name.
    JUJU_DISPATCH_PATH: action ? `actions/${action.name}` : `hooks/${event.hook}`,
    JUJU_HOOK_NAME: action ? '' : event.hook,
    ...(action ? { JUJU_ACTION_NAME: action.name, JUJU_ACTION_UUID: action.id, JUJU_ACTION_TAG: `action-${action.id}` } : {}),
    ...(agentSocket !== undefined ? { JUJU_AGENT_SOCKET_ADDRESS: agentSocket, JUJU_AGENT_SOCKET_NETWORK: 'unix' } : {}),
    JUJU_API_ADDRESSES: '127.0.0.1:17070',
    JUJU_MACHINE_ID: '',
    JUJU_PRINCIPAL_UNIT: '',
    JUJU_AVAILABILITY_ZONE: '',
    // A sidecar unit: where its containers' Pebble sockets are (sidecar-sockets.ts), for
    // every hook, as Juju mounts /charm/containers/ into the charm container for all of them.
    ...(app.sidecar ? { [PEBBLE_SOCKETS_VARIABLE]: pebbleSocketDir(modelDir, unit.name) } : {}),
    // A workload hook: its container (context.go HookVars: JUJU_WORKLOAD_NAME).
    ...(event.workload !== undefined ? { JUJU_WORKLOAD_NAME: event.workload } : {}),
    // A Pebble notice hook: its notice, and a check hook its check (context.go HookVars: JUJU_NOTICE_ID, _TYPE, _KEY, JUJU_PEBBLE_CHECK_NAME).
    ...(event.notice !== undefined ? { JUJU_NOTICE_ID: event.notice.id, JUJU_NOTICE_TYPE: event.notice.type, JUJU_NOTICE_KEY: event.notice.key } : {}),
    ...(event.checkName !== undefined ? { JUJU_PEBBLE_CHECK_NAME: event.checkName } : {}),
    // A storage hook: its instance (context.go HookVars, from HookStorage()).
    ...(storage
      ? { JUJU_STORAGE_ID: storage.id, JUJU_STORAGE_LOCATION: storageLocation(storage, modelDir), JUJU_STORAGE_KIND: storage.kind }
      : {}),
    ...(relation && end
      ? {
          JUJU_RELATION: end.endpoint,
          JUJU_RELATION_ID: `${end.endpoint}:${relation.id}`,
          JUJU_REMOTE_UNIT: event.remoteUnit ?? '',
          JUJU_REMOTE_APP: event.remoteApp ?? '',
          ...(event.departingUnit ? { JUJU_DEPARTING_UNIT: event.departingUnit } : {}),
        }
      : {}),
    // charms debug-code: JUJU_DEBUG_AT as Juju 2.9's debug-code sets it (--at), and Node's
    // inspector for the hook's node (dispatch runs node; the shims are shell scripts, so
    // only the charm's own node processes see it), on a free port of 127.0.0.1.
    ...(debug?.kind === 'code'
      ? { JUJU_DEBUG_AT: debug.at ?? 'all', NODE_OPTIONS: [given?.NODE_OPTIONS, '--inspect-brk=127.0.0.1:0'].filter(Boolean).join(' ') }
      : {}),
  };
  return env;
}
