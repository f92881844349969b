import type { ObjectStorageRequires } from '@charms/interface-object-storage';
import { active, blocked, waiting } from '@charms/layer-status';
import { when, whenNot } from '@charms/reactive';
import { endpointFromName, type CharmContext } from '@charms/runtime';

/**
 * Uses the object store related on `object-storage`: once a provider sent complete
 * credentials, the status says which store and access key it uses (never the secret
 * key, which interface:object-storage registers with the hook's redaction).
 */
export default class MinioConsumer {
  // Every hook while related, on the automatic flag, not object-storage.available: that
  // is set by the interface's handler after this one ran in the hook the data came, and
  // layer:status would keep this hook's "waiting" over a later "active". credentials()
  // is what that flag stands for: complete data from some provider unit.
  @when('endpoint.object-storage.joined')
  async connect(ctx: CharmContext) {
    const storage = await endpointFromName<ObjectStorageRequires>('object-storage');
    const credentials = storage?.credentials();
    if (credentials === undefined) {
      await waiting('waiting for object storage credentials');
      return;
    }
    const { service, namespace, port, accessKey, secure } = credentials;
    ctx.setFlag('minio-consumer.storage.connected');
    await active(`using ${secure ? 'https' : 'http'}://${service}.${namespace}:${port} as ${accessKey}`);
  }

  @whenNot('endpoint.object-storage.joined')
  async unrelated(ctx: CharmContext) {
    ctx.clearFlag('minio-consumer.storage.connected');
    await blocked('needs an object-storage relation (charms relate minio-consumer minio)');
  }
}
