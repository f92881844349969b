import { EndpointError } from './endpoint-error.js';

/** Something read from Juju once per hook: the value, or the error reading it gave. */
export type Loaded<T> = { readonly value: T } | { readonly error: unknown };

/** Reads `promise` into a {@link Loaded}: an error is kept, to be thrown where the value is used. */
export async function load<T>(promise: Promise<T>): Promise<Loaded<T>> {
  try {
    return { value: await promise };
  } catch (error) {
    return { error };
  }
}

/**
 * The value, or the error reading it gave (thrown where the value is used, as the
 * original's lazy read would have raised it there).
 * @throws EndpointError (`NOT_LOADED`) when it was never read.
 */
export function use<T>(loaded: Loaded<T> | undefined, what: string): T {
  if (loaded === undefined) {
    throw new EndpointError(
      'NOT_LOADED',
      `${what} is not loaded: Endpoint handlers and endpointFromFlag/endpointFromName load it; elsewhere call 'await endpoint.load()' first`,
    );
  }
  if ('error' in loaded) throw loaded.error;
  return loaded.value;
}
