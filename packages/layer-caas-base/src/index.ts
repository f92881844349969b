/**
 * @charms/layer-caas-base: the base of Kubernetes podspec charms, as `layer:caas-base`.
 *
 * @example
 * import caasBase, { podSpecSet } from '@charms/layer-caas-base';
 * reactor.use(caasBase).use(status).use(dockerResource).use(charm);
 */
import { caasBaseLayer } from './caas-base-layer.js';

export default caasBaseLayer;
export { caasBaseLayer };
export { podSpecSet, k8sRawSet } from './caas-base.js';
export type { PodSpecV3 } from '@charms/manifest';
export { PodSpecError } from './pod-spec-error.js';
export type { PodSpecErrorCode } from './pod-spec-error.js';
