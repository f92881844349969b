/** `getInfo` for a resource that has not been fetched successfully. */
export class DockerResourceError extends Error {
  readonly code = 'RESOURCE_NOT_AVAILABLE' as const;
  readonly resource: string;

  constructor(resource: string) {
    super(
      `resource ${resource} not available: it has not been fetched successfully. Call getInfo() from a handler ` +
        `guarded by @when('layer.docker-resource.${resource}.available').`,
    );
    this.name = 'DockerResourceError';
    this.resource = resource;
  }
}
