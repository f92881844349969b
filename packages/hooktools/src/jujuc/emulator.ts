import { actionFail, actionGet, actionLog, actionSet } from './action-tools.js';
import { configGet } from './config-tools.js';
import { isLeader, leaderGet, leaderSet } from './leader-tools.js';
import { addMetric, credentialGet, jujuReboot } from './instance-tools.js';
import { jujuLog } from './log-tools.js';
import { goalState, networkGet, unitGet } from './network-tools.js';
import { closePort, openedPorts, openPort } from './port-tools.js';
import { relationGet, relationIds, relationList, relationSet } from './relation-tools.js';
import { resourceGet } from './resource-tools.js';
import { failed, type ToolResult } from './result.js';
import { k8sRawGet, k8sRawSet, k8sSpecSet, podSpecGet, podSpecSet } from './spec-tools.js';
import { stateDelete, stateGet, stateSet } from './state-tools.js';
import { storageAdd, storageGet, storageList } from './storage-tools.js';
import { applicationVersionSet, statusGet, statusSet } from './status-tools.js';
import type { JujucTool, JujucWorld } from './world.js';

/**
 * Juju's hook tools by name, as the jujuc server of a Juju 2.9 unit agent answers them
 * (spec/hook-tools.md §2–3): the same arguments, outputs (smart/yaml/json, `-o`), exit
 * codes (2 usage, 1 runtime) and `ERROR …` texts.
 */
export const JUJUC_TOOLS: Readonly<Record<string, JujucTool>> = {
  'status-set': statusSet,
  'status-get': statusGet,
  'application-version-set': applicationVersionSet,
  'config-get': configGet,
  'is-leader': isLeader,
  'leader-get': leaderGet,
  'leader-set': leaderSet,
  'juju-log': jujuLog,
  'resource-get': resourceGet,
  'pod-spec-set': podSpecSet,
  'k8s-spec-set': k8sSpecSet,
  'k8s-raw-set': k8sRawSet,
  'pod-spec-get': podSpecGet,
  'k8s-spec-get': podSpecGet,
  'k8s-raw-get': k8sRawGet,
  'state-get': stateGet,
  'state-set': stateSet,
  'state-delete': stateDelete,
  'relation-ids': relationIds,
  'relation-list': relationList,
  'relation-get': relationGet,
  'relation-set': relationSet,
  'open-port': openPort,
  'close-port': closePort,
  'opened-ports': openedPorts,
  'network-get': networkGet,
  'unit-get': unitGet,
  'goal-state': goalState,
  'action-get': actionGet,
  'action-set': actionSet,
  'action-fail': actionFail,
  'action-log': actionLog,
  'storage-get': storageGet,
  'storage-list': storageList,
  'storage-add': storageAdd,
  'credential-get': credentialGet,
  'add-metric': addMetric,
  'juju-reboot': jujuReboot,
};

/** One tool call: the tool's name, its arguments, and its stdin (empty when it reads none). */
export interface JujucRequest {
  readonly tool: string;
  readonly argv: readonly string[];
  readonly stdin?: string;
}

/**
 * Answers one hook-tool call as Juju's unit agent does, over `world`: argv in, stdout,
 * stderr and exit code out. It never throws: a failure is `ERROR <message>` on stderr
 * with exit 2 (usage) or 1, and an unknown tool is `bad request: unknown hook command`.
 *
 * @example
 * const answer = runJujuc({ tool: 'config-get', argv: ['--format=json', 'port'] }, world);
 * // { stdout: '9000\n', stderr: '', exitCode: 0 }
 */
export function runJujuc(request: JujucRequest, world: JujucWorld): ToolResult {
  const tool = JUJUC_TOOLS[request.tool];
  if (!tool) return { stdout: '', stderr: `ERROR bad request: unknown hook command: ${request.tool}\n`, exitCode: 1 };
  try {
    return tool(request.argv, request.stdin ?? '', world);
  } catch (error) {
    return failed(error);
  }
}
