/**
 * @charms/pebble: a client of Pebble, the service manager of a sidecar charm's workload
 * containers, over its unix socket and REST API (v1): layers and the plan, services and
 * their changes, health checks, files, exec, and notices.
 *
 * Public API only.
 */
export { Pebble, JUJU_CONTAINERS_DIR, PEBBLE_SOCKETS_VARIABLE } from './pebble.js';
export type {
  PebbleOptions,
  ForContainerOptions,
  SystemInfo,
  ServiceInfo,
  CheckInfo,
  ServiceActionOptions,
  WaitChangeOptions,
} from './pebble.js';
export type { Change, Task } from './change.js';
export type { Layer, ServiceDefinition, CheckDefinition, LogTargetDefinition, ServiceAction, Plan } from './layer.js';
export type { FileInfo, PushOptions, MakeDirOptions, ListFilesOptions, Ownership } from './files.js';
export type { ExecOptions, ExecResult } from './exec.js';
export type { Notice, NotifyOptions, NoticesFilter } from './notices.js';
export { PebbleError, PathError, ConnectionError, ChangeError, TimeoutError } from './errors.js';
export type { PebbleErrorCode, PebbleErrorKind } from './errors.js';
