/**
 * What the scheduler (scheduler.ts) takes and gives: the operations that can happen to a
 * model, the effects on disk a transition asks the caller for, and the endpoints of a
 * charm as the operations name them. Types only: the rules are scheduler*.ts's.
 */
import type { CharmConfigYaml, CharmMetadata } from '@charms/manifest';
import type { ContainerRecord, HookEvent, ModelRecord, PebbleNoticeEvent, PendingChanges, RelationEnd, StoreRecord } from './model-state.js';
import type { ResourceValue } from './resource-values.js';
import type { ActionOperation } from './scheduler-actions.js';

/** An endpoint of a charm, as the facade reads it from metadata.yaml. */
export interface CharmEndpoint {
  readonly name: string;
  readonly role: RelationEnd['role'];
  readonly interface: string;
}

/** What can happen to a model: a command (`juju deploy`, `juju config`, …) or a hook's life. */
export type Operation =
  | {
      readonly type: 'deploy';
      readonly app: string;
      readonly charm: string;
      /** Where the charm's files will be, relative to the model folder. */
      readonly charmDir: string;
      readonly configYaml: CharmConfigYaml | undefined;
      readonly config: Readonly<Record<string, unknown>>;
      readonly declaredResources: CharmMetadata['resources'];
      readonly resources: Readonly<Record<string, ResourceValue>>;
      readonly endpoints: readonly CharmEndpoint[];
      readonly units: number;
      /** The charm's stores (metadata.yaml `storage:`); `shared` ones are refused, as Juju 2.9 refuses them. */
      readonly stores?: readonly (StoreRecord & { readonly shared?: boolean })[];
      /** A Kubernetes (podspec) charm: storage hooks after start, no block storage. */
      readonly container?: boolean;
      /**
       * A sidecar charm's workload containers (metadata `containers:`, Juju 3.x): each unit
       * gets `<container>-pebble-ready` after start; no block storage.
       */
      readonly sidecar?: readonly ContainerRecord[];
      /** `charms deploy --run-workloads`: the sidecar units' Pebble runs service commands here. */
      readonly runWorkloads?: boolean;
    }
  | {
      readonly type: 'config';
      readonly app: string;
      readonly configYaml: CharmConfigYaml | undefined;
      readonly values: Readonly<Record<string, unknown>>;
      readonly reset: readonly string[];
      /**
       * The config a unit sees with `set` values: `@charms/manifest`'s `effectiveConfig`
       * over this charm's options. Passed in because the scheduler imports no package (it
       * stays pure), and so that the rule is written once.
       */
      readonly effectiveConfig: (set: Readonly<Record<string, unknown>>) => Readonly<Record<string, unknown>>;
    }
  | { readonly type: 'attach-resource'; readonly app: string; readonly name: string; readonly image: ResourceValue; readonly declaredResources: CharmMetadata['resources'] }
  | {
      readonly type: 'upgrade';
      readonly app: string;
      /** What the user named, for messages. */
      readonly source: string;
      readonly charm: string;
      readonly configYaml: CharmConfigYaml | undefined;
      readonly endpoints: readonly CharmEndpoint[];
      /** The new revision's stores; units get the minimum of a store new in it. */
      readonly stores?: readonly StoreRecord[];
      /** A sidecar charm's containers in the new revision. */
      readonly sidecar?: readonly ContainerRecord[];
    }
  | { readonly type: 'relate'; readonly interface: string; readonly ends: readonly [RelationEnd, RelationEnd] }
  | { readonly type: 'unrelate'; readonly relationId: number }
  | { readonly type: 'add-unit'; readonly app: string; readonly count: number }
  | { readonly type: 'remove-unit'; readonly unit: string }
  | { readonly type: 'remove'; readonly app: string }
  /** `juju add-storage`: more instances of the unit's stores (scheduler-storage.ts checks them). */
  | { readonly type: 'add-storage'; readonly unit: string; readonly requests: readonly { readonly name: string; readonly count: number; readonly size?: number }[] }
  | { readonly type: 'run'; readonly unit: string; readonly hook: string }
  /** charms replay: a recorded hook event, queued again on the unit (hook-replay.ts). */
  | { readonly type: 'replay'; readonly unit: string; readonly event: HookEvent }
  /**
   * Notices a unit's containers' Pebble added or repeated while its hooks ran: one
   * `<container>-pebble-custom-notice` each (Juju 3.4), or for a check's change that ended
   * `<container>-pebble-check-failed` / `-check-recovered` (3.6), as Juju's workload event
   * watcher queues them.
   */
  | { readonly type: 'pebble-notices'; readonly unit: string; readonly notices: readonly PebbleNoticeEvent[] }
  | { readonly type: 'tick'; readonly ms: number }
  | { readonly type: 'resolve'; readonly unit: string; readonly retry: boolean }
  /** The unit's first queued hook starts. */
  | { readonly type: 'hook-started'; readonly unit: string }
  /**
   * The unit's running hook exited. `leaderSettingsChanged`: one of its `leader-set` calls
   * changed the leader settings (calls that wrote what was there do not count).
   */
  | {
      readonly type: 'hook-exited';
      readonly unit: string;
      readonly exitCode: number;
      readonly pending: PendingChanges;
      readonly leaderSettingsChanged?: boolean;
      /** Model config `automatically-retry-hooks` (default true): a failed hook is retried with back-off. */
      readonly retryHooks?: boolean;
      /** The hook set the unit's workload status (`status-set` without `--application`). */
      readonly statusSet?: boolean;
      /**
       * Why the hook's changes cannot be committed although it exited 0 (a storage-add
       * Juju refuses, scheduler-storage.ts `storageAddProblem`): the hook fails, as in Juju.
       */
      readonly commitError?: string;
    }
  /** No unit has a hook it can run: relations and applications whose last hook ran go. */
  | { readonly type: 'settled' }
  /** run-action, and an action's start and end (scheduler-actions.ts). */
  | ActionOperation;

/** Work on disk that a transition asks for; the caller does it, in order. */
export type Effect =
  /**
   * Give the unit its own copy of the application's charm, keeping its state file; a
   * `fresh` (new) unit's folder is emptied first, so nothing left there (by a model older
   * than the deletion of removed units' folders) reaches it.
   */
  | { readonly type: 'copy-charm'; readonly app: string; readonly unit: string; readonly fresh?: true }
  /** Write the application's manifests again from its committed pod spec (the scale changed, or the spec). */
  | { readonly type: 'render-manifests'; readonly app: string }
  /** The application is gone: delete its charm and its manifests. */
  | { readonly type: 'remove-app-files'; readonly app: string; readonly charmDir: string }
  /**
   * A sidecar unit's pod is made again (a refresh changes its StatefulSet's pod template):
   * its workload containers start from their images, so their files and Pebble's saved plan go.
   */
  | { readonly type: 'restart-containers'; readonly app: string; readonly unit: string }
  /** The unit is gone (its remove hook ran or was skipped): delete its folder, its charm copy and the state kept there. */
  | { readonly type: 'remove-unit-files'; readonly app: string; readonly unit: string }
  /** A storage instance was made: its folder (relative to the model's); a block device is a file of `size` MiB in it. */
  | { readonly type: 'make-storage'; readonly id: string; readonly dir: string; readonly kind: 'filesystem' | 'block'; readonly size: number }
  /** A storage instance is gone: delete its folder. */
  | { readonly type: 'remove-storage'; readonly id: string; readonly dir: string };

/** The result of one transition. */
export interface Transition {
  readonly record: ModelRecord;
  readonly effects: readonly Effect[];
}
