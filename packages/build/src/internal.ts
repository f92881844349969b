/**
 * @charms/build/internal: what the charms command shares with the build (where packages
 * are found). For the packages of this workspace only: not stable, not for charms.
 */
export { packageRoot, WORKSPACE_ROOT } from './install-root.js';
