import { clearFlag, clears, sets, toggleFlag, when, whenNot } from '@charms/reactive';
import { Endpoint } from '@charms/runtime';
import { fromBag, type ObjectStorageCredentials } from './credentials.js';
import { redact } from './secret.js';

/**
 * interface:object-storage, the side that uses a store.
 *
 * Flags: `{endpoint_name}.available` is set while some joined unit has sent complete
 * credentials (service, namespace, a port, access key, secret key), and cleared when
 * none has or no unit is joined. `endpoint.{endpoint_name}.changed` is left set, for the
 * charm's own handlers.
 */
export class ObjectStorageRequires extends Endpoint {
  @when('endpoint.{endpoint_name}.changed')
  @sets('{endpoint_name}.available')
  @clears('{endpoint_name}.available')
  changed(): void {
    toggleFlag(this.expandName('{endpoint_name}.available'), this.credentials() !== undefined);
  }

  @when('endpoint.{endpoint_name}.departed')
  @sets('{endpoint_name}.available')
  @clears('{endpoint_name}.available')
  departed(): void {
    toggleFlag(this.expandName('{endpoint_name}.available'), this.credentials() !== undefined);
  }

  // Only when the flag is still set: not a handler run in every hook while unrelated.
  @when('{endpoint_name}.available')
  @whenNot('endpoint.{endpoint_name}.joined')
  @clears('{endpoint_name}.available')
  broken(): void {
    clearFlag(this.expandName('{endpoint_name}.available'));
  }

  /**
   * The credentials of the first joined unit (by relation id, then unit name) that sent
   * complete ones, typed (`port` a number, `secure` a boolean), or undefined. Every
   * secret key received is registered with the hook's redaction.
   * @example
   * const storage = await endpointFromFlag<ObjectStorageRequires>('object-storage.available');
   * const credentials = storage?.credentials();
   */
  credentials(): ObjectStorageCredentials | undefined {
    let found: ObjectStorageCredentials | undefined;
    for (const unit of this.allJoinedUnits) {
      const secret = unit.receivedRaw.get('secret-key');
      if (secret) redact(secret);
      found ??= fromBag(unit.receivedRaw.toObject());
    }
    return found;
  }
}
