/**
 * The scheduler's `deploy` and `upgrade` operations as a staged charm gives them: what
 * the pure scheduler needs read from the charm's files (endpoints, stores, config.yaml,
 * a sidecar charm's containers), with the checks it cannot make itself (Juju's name
 * rule, socket paths under the model folder), every check before the first change.
 */
import { join } from 'node:path';
import { endpoints, isKubernetesCharm, isSidecarCharm, loadConfigYaml, storeDeclarations, type CharmMetadata } from '@charms/manifest';
import { nameProblem } from '@charms/manifest/queries';
import type { StagedCharm } from './charm-staging.js';
import { ModelError } from './model-errors.js';
import { sandboxProblem } from './workload-sandbox.js';
import type { DeployOptions } from './model-options.js';
import type { ContainerRecord, ModelRecord } from './model-state.js';
import { checkNewApp, checkUpgrade } from './scheduler.js';
import type { Operation } from './scheduler-operations.js';
import { checkSocketPaths } from './sidecar-sockets.js';
import { storeRecord } from './storage-requests.js';

/**
 * `deploy` of the staged charm into the model `state` of the folder `modelDir`.
 * @throws ModelError `INVALID_CHARM` (the application's name), `ALREADY_EXISTS`;
 *   `INVALID_OPTION` for a model folder too deep for the units' Pebble sockets.
 */
export function deployOperation(state: ModelRecord, modelDir: string, { charmDir, metadata }: StagedCharm, options: DeployOptions): Extract<Operation, { type: 'deploy' }> {
  const app = options.app ?? metadata.name;
  // Juju's rule for application names (juju/names application.go), from the manifest
  // package, which the pure scheduler may not import; its own looser check stays as a guard.
  const problem = nameProblem('application', app);
  if (problem) throw new ModelError('INVALID_CHARM', problem);
  checkNewApp(state, app);
  const sidecar = isSidecarCharm(metadata) ? sidecarContainers(metadata) : undefined;
  if (sidecar) {
    // Every unit this deploy makes gets its sockets under the model: refused now if they cannot.
    const first = state.unitSequences?.[app] ?? 0;
    const units = Array.from({ length: options.units ?? 1 }, (_, i) => `${app}/${first + i}`);
    checkSocketPaths(modelDir, units, sidecar.map((c) => c.name));
    // Workloads run only inside their containers' files: refused now, before anything changes, where they cannot.
    const problem = options.runWorkloads ? sandboxProblem() : undefined;
    if (problem !== undefined) throw new ModelError('INVALID_OPTION', `--run-workloads cannot run workloads inside their containers here: ${problem}; deploy without --run-workloads`);
  }
  return {
    type: 'deploy',
    app,
    charm: metadata.name,
    charmDir: join('charms', app),
    configYaml: loadConfigYaml(charmDir),
    config: options.config ?? {},
    declaredResources: metadata.resources,
    resources: options.resources ?? {},
    endpoints: endpoints(metadata),
    units: options.units ?? 1,
    stores: storeDeclarations(metadata.storage).map(storeRecord),
    container: isKubernetesCharm(metadata),
    ...(sidecar ? { sidecar, ...(options.runWorkloads ? { runWorkloads: true } : {}) } : {}),
  };
}

/**
 * `upgrade` of `app` to the staged charm (`source` as the user named it, for messages).
 * @throws ModelError `NOT_FOUND` (unknown application); `INVALID_CHARM` for another charm,
 *   an endpoint in use dropped, or stores that do not fit the old ones.
 */
export function upgradeOperation(state: ModelRecord, app: string, source: string, { charmDir, metadata }: StagedCharm): Extract<Operation, { type: 'upgrade' }> {
  const op = { type: 'upgrade', app, source, charm: metadata.name, endpoints: endpoints(metadata), stores: storeDeclarations(metadata.storage).map(storeRecord) } as const;
  checkUpgrade(state, op);
  const sidecar = isSidecarCharm(metadata) ? sidecarContainers(metadata) : undefined;
  return { ...op, configYaml: loadConfigYaml(charmDir), ...(sidecar ? { sidecar } : {}) };
}

/** A sidecar charm's containers as the model keeps them (metadata checked: resources and stores are declared). */
function sidecarContainers(metadata: CharmMetadata): ContainerRecord[] {
  return Object.entries(metadata.containers ?? {}).map(([name, spec]) => ({
    name,
    ...(spec.resource !== undefined ? { resource: spec.resource } : {}),
    mounts: (spec.mounts ?? []).map((mount) => ({ storage: mount.storage!, location: mount.location! })),
  }));
}
