/**
 * Flush: what a successful hook commits, as Juju's `HookContext.Flush` does. The tools
 * that Juju buffers (`state-set`, `open-port`, `k8s-raw-set`, `pod-spec-set`,
 * `relation-set`) wrote to the hook's pending changes; they reach the model here, and only
 * when the hook exited 0. `status-set`, `leader-set`, `juju-log` and
 * `application-version-set` acted at once and are not in the pending changes.
 *
 * No I/O: the caller (the scheduler's `hook-exited` step) renders manifests and queues
 * the remote units' `-relation-changed` from what this returns.
 */
import type { AppRecord, ModelRecord, PendingChanges, RelationRecord, UnitRecord } from './model-state.js';

/** What a flush changed that others must hear of. */
export interface Flushed {
  /** A new pod spec was committed (its manifests must be written again). */
  readonly podSpecChanged: boolean;
  /** Relation bags that changed, in the order they were written. */
  readonly settings: readonly { readonly relation: RelationRecord; readonly bag: string }[];
}

/**
 * Applies `pending` to `model` (in place): the unit's controller state and opened ports,
 * the application's raw spec and pod spec (a new revision only when the text changed), and
 * relation settings (a key set to "" is deleted; writing the values a bag already holds is
 * no change).
 */
export function flush(model: ModelRecord, app: AppRecord, unit: UnitRecord, pending: PendingChanges): Flushed {
  for (const [key, value] of Object.entries(pending.state)) {
    if (value === null) delete unit.controllerState[key];
    else unit.controllerState[key] = value;
  }
  for (const change of pending.ports) {
    unit.openedPorts = change.action === 'open' ? [...new Set([...unit.openedPorts, change.port])] : unit.openedPorts.filter((p) => p !== change.port);
  }
  if (pending.k8sRaw !== undefined && pending.k8sRaw !== app.rawSpec?.spec) {
    app.rawSpec = { spec: pending.k8sRaw, revision: (app.rawSpec?.revision ?? 0) + 1 };
  }
  let podSpecChanged = false;
  if (pending.podSpec) {
    const same = app.podSpec && app.podSpec.spec === pending.podSpec.spec && app.podSpec.k8sResources === pending.podSpec.k8sResources;
    if (!same) {
      app.podSpec = { ...pending.podSpec, revision: (app.podSpec?.revision ?? 0) + 1 };
      podSpecChanged = true;
    }
  }
  const settings: { relation: RelationRecord; bag: string }[] = [];
  for (const write of pending.relationSets) {
    const relation = model.relations.find((r) => r.id === write.relationId);
    if (!relation) continue;
    const bag = (relation.data[write.bag] ??= {});
    let changed = false;
    for (const [key, value] of Object.entries(write.data)) {
      if ((bag[key] ?? '') === value) continue;
      changed = true;
      if (value === '') delete bag[key];
      else bag[key] = value;
    }
    if (changed) settings.push({ relation, bag: write.bag });
  }
  return { podSpecChanged, settings };
}
