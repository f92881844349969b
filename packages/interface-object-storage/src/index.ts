/**
 * @charms/interface-object-storage: `interface:object-storage`, an S3-compatible store
 * (MinIO) offering its endpoint and credentials, as Endpoint classes. Include it
 * (`includes: ['interface:object-storage']`) and `charms build` registers it; a test
 * `use`s the default export on its reactor.
 *
 * @example
 * import { endpointFromFlag } from '@charms/runtime';
 * import type { ObjectStorageRequires } from '@charms/interface-object-storage';
 *
 * @when('object-storage.available')
 * async connect() {
 *   const credentials = (await endpointFromFlag<ObjectStorageRequires>('object-storage.available'))?.credentials();
 * }
 */
import { defineInterface } from '@charms/runtime';
import { ObjectStorageProvides } from './object-storage-provides.js';
import { ObjectStorageRequires } from './object-storage-requires.js';

/** The interface layer: {@link ObjectStorageProvides} and {@link ObjectStorageRequires} bound to `object-storage`. */
const objectStorage = defineInterface('object-storage', { provides: ObjectStorageProvides, requires: ObjectStorageRequires });

export default objectStorage;
export { objectStorage, ObjectStorageProvides, ObjectStorageRequires };
export type { ObjectStorageCredentials } from './credentials.js';
