/**
 * @charms/manifest/internal: what the build, the runtime and the local model share with this package
 * (YAML documents with positions, the name checks inside the schemas, the path guard).
 * For the packages of this workspace only: not stable, not for charms.
 */
export { parseCharmYaml, locate, issuePath } from './load-yaml.js';
export { pathInside, checkMetadataNames, checkActionNames } from './names.js';
export { parseSize } from './storage.js';
