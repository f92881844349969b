import { blocked, maintenance } from '@charms/layer-status';
import { currentContext, type ReactiveContext } from '@charms/reactive';
import type { CharmCallbackContext } from '@charms/runtime';
import { DockerResourceError } from './docker-resource-error.js';
import { imageInfo, readImageFile, type DockerImageInfo } from './image-info.js';

/** The flag prefix of this layer; a resource's flags are `<prefix>.<name>.<state>`. */
export const PREFIX = 'layer.docker-resource';
const PENDING = `${PREFIX}.pending`;

/** The flag `layer.docker-resource.<name>.<state>`. */
export function resourceFlag(name: string, state: 'fetched' | 'available' | 'failed' | 'changed'): string {
  return `${PREFIX}.${name}.${state}`;
}

/**
 * Asks for `name` to be fetched by this layer's `fetch` handler, later in the same
 * hook: queues it and sets `<name>.fetched` and the internal `pending` flag.
 * @throws NoActiveDispatchError outside a hook.
 */
export function fetch(name: string): void {
  const context = currentContext('fetch');
  queueFetch(context, name);
}

/**
 * The registry path and credentials of a fetched resource.
 * @throws DockerResourceError (`RESOURCE_NOT_AVAILABLE`) when it is not available.
 * @example const { registryPath, username, password } = getInfo('oci-image');
 */
export function getInfo(name: string): DockerImageInfo {
  const data = currentContext('getInfo').kv.get<Record<string, unknown>>(`${PREFIX}.${name}.image-info`);
  if (!data) throw new DockerResourceError(name);
  return imageInfo(data);
}

/** {@link fetch} with an explicit context. */
export function queueFetch(context: ReactiveContext, name: string): void {
  const queue = context.kv.get<string[]>(PENDING) ?? [];
  context.kv.set(PENDING, [...queue, name]);
  context.setFlag(resourceFlag(name, 'fetched'));
  context.setFlag(PENDING);
}

/**
 * Fetches every queued resource: `resource-get`, then the file it names. A success sets
 * `<name>.available` (and `<name>.changed` when a re-fetch brought different data); a
 * failure sets `<name>.failed`, logs why at ERROR and keeps the resource queued, so it
 * is tried again in the next hook.
 */
export async function fetchQueued(context: CharmCallbackContext): Promise<void> {
  const setStatus = context.layerOptions('docker-resource')['set-status'] !== false;
  const failed: string[] = [];
  for (const name of context.kv.get<string[]>(PENDING) ?? []) {
    const flag = (state: Parameters<typeof resourceFlag>[1]) => resourceFlag(name, state);
    try {
      if (setStatus) await maintenance(`fetching resource: ${name}`);
      const data = await readImageFile((await context.tools.resourceGet(name)).trim());
      if (typeof data.password === 'string') context.secret(data.password);
      context.kv.set(`${PREFIX}.${name}.image-info`, data);
      const wasAvailable = context.isFlagSet(flag('available'));
      const isChanged = context.dataChanged(`${PREFIX}.${name}`, data);
      context.setFlag(flag('available'));
      context.clearFlag(flag('failed'));
      context.toggleFlag(flag('changed'), wasAvailable && isChanged);
    } catch (error) {
      await context.log(`unable to fetch docker resource ${name}: ${(error as Error).message}`, 'ERROR');
      failed.push(name);
      context.setFlag(flag('failed'));
      context.clearFlag(flag('available'));
      context.clearFlag(flag('changed'));
    }
  }
  if (failed.length > 0) {
    if (setStatus) await blocked(`unable to fetch resource${failed.length > 1 ? 's' : ''}: ${failed.join(', ')}`);
    context.kv.set(PENDING, failed);
  } else {
    context.kv.set(PENDING, []);
    context.clearFlag(PENDING);
  }
}
