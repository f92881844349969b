/**
 * @charms/layer-sidecar: the workload containers of a sidecar charm through their
 * Pebble, as `layer:sidecar`.
 *
 * @example
 * import status from '@charms/layer-status';
 * import sidecar, { planLayer } from '@charms/layer-sidecar';
 * reactor.use(status).use(sidecar).use(charm);
 * // in a handler guarded by when('container.minio.available'):
 * const { failure } = await planLayer('minio', 'minio', { services: { minio: { override: 'replace', command: 'minio server /data', startup: 'enabled' } } });
 */
import { sidecarLayer } from './sidecar-layer.js';

export default sidecarLayer;
export { sidecarLayer };
export { containerFlag } from './container-flags.js';
export type { ContainerState } from './container-flags.js';
export { containerPebble } from './container-pebble.js';
export { planLayer } from './plan-layer.js';
export type { PlanOutcome } from './plan-layer.js';
