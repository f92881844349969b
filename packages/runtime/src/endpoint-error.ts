/** Stable codes of {@link EndpointError}. */
export type EndpointErrorCode =
  | 'READ_ONLY_DATA'
  | 'NOT_LOADED'
  | 'NO_ENDPOINT'
  | 'UNKNOWN_ENDPOINT'
  | 'RELATION_NOT_FOUND'
  | 'INVALID_ENDPOINT_CLASS'
  | 'DUPLICATE_ENDPOINT_CLASS'
  | 'NOT_JSON_VALUE';

/**
 * A misuse of an Endpoint class or its relation data: writing a remote bag, reading
 * data before it was loaded, a handler that needs an endpoint where the hook names
 * none, two classes for one interface and role, a value JSON cannot hold.
 */
export class EndpointError extends Error {
  readonly code: EndpointErrorCode;

  constructor(code: EndpointErrorCode, message: string) {
    super(message);
    this.name = 'EndpointError';
    this.code = code;
  }
}
