/**
 * @charms/layer-docker-resource: OCI image resources, as `layer:docker-resource`.
 *
 * @example
 * import status from '@charms/layer-status';
 * import dockerResource, { getInfo } from '@charms/layer-docker-resource';
 * reactor.use(status).use(dockerResource).use(charm);
 * // in a handler guarded by when('layer.docker-resource.oci-image.available'):
 * const { registryPath, username, password } = getInfo('oci-image');
 */
import { dockerResourceLayer } from './docker-resource-layer.js';

export default dockerResourceLayer;
export { dockerResourceLayer };
export { fetch, getInfo, resourceFlag } from './docker-resource.js';
export type { DockerImageInfo } from './image-info.js';
export { DockerResourceError } from './docker-resource-error.js';
