/**
 * The scheduler's effects carried out on the model folder: each is what a change of the
 * record means for the files (a unit's charm copy, storage folders, manifests, what a
 * removed unit or application leaves). `LocalModel` calls it with each next record;
 * nothing here reads or changes the record.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyCharm } from './charm-staging.js';
import { replayRecordFile } from './hook-replay.js';
import type { AppRecord, ModelRecord } from './model-state.js';
import type { ModelStore } from './model-store.js';
import type { Effect } from './scheduler-operations.js';
import { renderSidecarManifests } from './sidecar-manifests.js';
import { makeStorageFolder } from './storage-files.js';

/** Carries out `effects`, which the scheduler returned with `record`, in the folder of `store`. */
export function carryOutEffects(store: ModelStore, record: ModelRecord, effects: readonly Effect[]): void {
  for (const effect of effects) {
    if (effect.type === 'make-storage') makeStorageFolder(store.file(effect.dir), effect.kind, effect.size);
    else if (effect.type === 'remove-storage') rmSync(store.file(effect.dir), { recursive: true, force: true });
    else if (effect.type === 'copy-charm') {
      if (effect.fresh) rmSync(store.unitDir(effect.unit), { recursive: true, force: true });
      copyCharm(store.file(record.apps[effect.app]!.charmDir), store.unitDir(effect.unit));
    }
    else if (effect.type === 'render-manifests') renderManifests(store, record.apps[effect.app]!);
    else if (effect.type === 'remove-unit-files') {
      rmSync(store.unitDir(effect.unit), { recursive: true, force: true });
      // Its replay records hold config values and relation data: they go with the unit.
      for (const entry of store.readTimeline()) {
        if (entry.kind === 'hook-start' && entry.unit === effect.unit && entry.trace) rmSync(store.file(replayRecordFile(entry.trace)), { force: true });
      }
    }
    else if (effect.type === 'restart-containers') {
      // A new pod: its containers start from their images, Pebble with an empty plan.
      for (const part of ['pebble', 'containers']) rmSync(join(store.unitDir(effect.unit), part), { recursive: true, force: true });
    }
    else store.removeApp(effect.app, effect.charmDir);
  }
}

/** Writes an application's manifests: a sidecar application's StatefulSet, or a committed pod spec's objects. */
function renderManifests(store: ModelStore, app: AppRecord): void {
  if (!app.sidecar) return store.writeManifests(app);
  const images = Object.fromEntries(Object.entries(app.resources).map(([name, resource]) => [name, resource.image]));
  const rendered = renderSidecarManifests({ app: app.name, scale: app.units.length, containers: app.sidecar.containers, images, stores: app.stores ?? [] });
  mkdirSync(store.file('manifests'), { recursive: true });
  writeFileSync(store.manifestsFile(app.name), rendered.yaml, { mode: 0o600 });
}
