/**
 * @charms/model/internal: what the charms command shares with the model (how a logged
 * text is made safe for a terminal, how an action is shown). For the packages of this workspace only: not
 * stable, not for charms.
 */
export { escapeControl } from './log-masking.js';
export { actionOutput } from './action-output.js';
export type { ActionOutput } from './action-output.js';
// For charms storage (issue 17).
export { storageTable } from './storage-tabular.js';
// For charms show-relation, show-stored and tail (issue 18).
export { isSecretName, maskSecrets } from './log-masking.js';
export { appManifests, inspectionSecrets, unitCharmDir } from './model-inspection.js';
export { JournalFollower } from './journal-follower.js';
export type { JournalEntries } from './journal-follower.js';
// For charms debug-code and debug-hooks (issue 18): the waiting command's side of run/debug/.
export { cancelDebug, devtoolsUrl, requestDebug, shellExited, vscodeAttach, waitForEnd, waitForSession } from './debug-session.js';
export { charmHookNames } from './hook-names.js';
// For sidecar charms (issue 19): the Pebble server of each container of a unit.
export { pebbleSocketDir, pebbleSocketPath, SOCKET_PATH_LIMIT } from './pebble-sockets.js';
export { startPebble } from './pebble-server.js';
export type { PebbleServer, PebbleServerOptions } from './pebble-server.js';
