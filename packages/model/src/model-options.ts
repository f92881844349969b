/** The options of the local model and of its operations, and what an operation reports. */
import type { ResourceValue } from './resource-values.js';

/** The result of one hook, for progress output. */
export interface HookReport {
  readonly unit: string;
  readonly hook: string;
  readonly ok: boolean;
  readonly ms: number;
}

export interface ModelOptions {
  /** The model directory (created if missing). */
  readonly dir: string;
  /** Told after every hook. */
  readonly onHook?: (report: HookReport) => void;
  /** A seed to run units in a reproducible shuffled order; without it, round-robin. */
  readonly seed?: number;
  /** Extra environment for every hook process (NODE_OPTIONS for profiling, say); never secrets. */
  readonly hookEnv?: Readonly<Record<string, string>>;
  /**
   * Juju's model config `automatically-retry-hooks` (default true): a failed hook runs
   * again by itself on the virtual clock, 5 s after it failed, then 10 s, 20 s, … up to
   * every 5 minutes, until it succeeds or the unit is resolved. With false, only
   * `resolve` runs it again.
   */
  readonly automaticallyRetryHooks?: boolean;
  /**
   * Sidecar charms: the units' Pebble runs service commands as processes inside their
   * containers' files (when the executable exists there: the container's own files, or this
   * machine's system folders mounted read only), for every sidecar application of this
   * model process; it needs Linux user namespaces (workload-sandbox.ts). Without
   * it (and without `DeployOptions.runWorkloads`), a service start fails as Pebble reports
   * a failed start. Services stop when the operation ends (model.md, "Sidecar charms").
   */
  readonly runWorkloads?: boolean;
}

export interface DeployOptions {
  readonly app?: string;
  /** Config values (strings are read as the option's type). */
  readonly config?: Readonly<Record<string, unknown>>;
  /** oci-image resources: name → image, or { image, username, password }. */
  readonly resources?: Readonly<Record<string, ResourceValue>>;
  readonly units?: number;
  /**
   * A sidecar charm: its units' Pebble runs service commands inside their containers' files
   * (`charms deploy --run-workloads`); recorded with the application.
   * @throws ModelError INVALID_OPTION at deploy where Linux user namespaces are not allowed.
   */
  readonly runWorkloads?: boolean;
}
