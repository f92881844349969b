// What both MinIO charms (this one and examples/minio-sidecar, which imports this file by
// its relative path) publish to their object-storage consumers. Not in reactive/: a module
// there is registered as a layer.
import type { ObjectStorageProvides } from '@charms/interface-object-storage';
import { endpointFromName } from '@charms/runtime';
import type { Context } from './charm-config.js';

/** Publishes MinIO's endpoint and credentials on the object-storage relations; the caller checks the config first. */
export async function publishCredentials(ctx: Context): Promise<void> {
  const storage = await endpointFromName<ObjectStorageProvides>('object-storage');
  storage?.publishCredentials({
    service: ctx.juju.appName,
    namespace: ctx.juju.modelName,
    port: ctx.config.port,
    accessKey: ctx.config['access-key'],
    secretKey: ctx.config['secret-key'],
    secure: false,
  });
}
