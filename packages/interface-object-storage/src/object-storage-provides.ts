import { clearFlag, clears, setFlag, sets, when, whenNot } from '@charms/reactive';
import { Endpoint } from '@charms/runtime';
import { toBag, type ObjectStorageCredentials } from './credentials.js';
import { redact } from './secret.js';

/**
 * interface:object-storage, the side of the store (MinIO).
 *
 * Flags: `{endpoint_name}.joined` is set while a unit of a consuming application is
 * joined, and cleared when none is.
 */
export class ObjectStorageProvides extends Endpoint {
  // Each handler runs on the change only (not in every hook while it holds), so a
  // charm's hooks pay for no handler run, and no log line, of the interface.
  @when('endpoint.{endpoint_name}.joined')
  @whenNot('{endpoint_name}.joined')
  @sets('{endpoint_name}.joined')
  joined(): void {
    setFlag(this.expandName('{endpoint_name}.joined'));
  }

  @when('{endpoint_name}.joined')
  @whenNot('endpoint.{endpoint_name}.joined')
  @clears('{endpoint_name}.joined')
  broken(): void {
    clearFlag(this.expandName('{endpoint_name}.joined'));
  }

  /**
   * Publishes the store's endpoint and credentials in this unit's bag of every relation
   * of the endpoint (`service`, `namespace`, `port`, `access-key`, `secret-key`, `secure`,
   * `bucket`; raw strings), sent at the end of the hook if it succeeds. The secret key
   * is registered with the hook's redaction first. Call it in every hook the values may
   * have changed in: a bag is sent only when something was set.
   * @throws TypeError (before anything is set) for an empty service, namespace or key,
   * or a port that is not an integer from 1 to 65535.
   * @example
   * const storage = await endpointFromName<ObjectStorageProvides>('object-storage');
   * storage?.publishCredentials({ service: ctx.juju.appName, namespace: ctx.juju.modelName, port: 9000,
   *   accessKey: ctx.config['access-key'], secretKey: ctx.config['secret-key'], secure: false });
   */
  publishCredentials(credentials: ObjectStorageCredentials): void {
    if (typeof credentials.secretKey === 'string') redact(credentials.secretKey);
    const bag = toBag(credentials);
    for (const relation of this.relations) {
      for (const [key, value] of Object.entries(bag)) {
        // Deleting a key the bag does not have would send a deletion for nothing.
        if (value !== null || relation.toPublishRaw.has(key)) relation.toPublishRaw.set(key, value);
      }
    }
  }
}
