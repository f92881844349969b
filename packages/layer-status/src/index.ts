/**
 * @charms/layer-status: workload status with conflict resolution, as `layer:status`.
 *
 * @example
 * import status, { blocked, active } from '@charms/layer-status';
 * reactor.use(status);   // first, so that every later layer's statuses are resolved
 */
import { statusLayer } from './status-layer.js';

export default statusLayer;
export { statusLayer };
export { statusSet, maintenance, maint, blocked, waiting, active } from './status.js';
export { StatusError } from './status-error.js';
