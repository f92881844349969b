/** A status that Juju does not let a charm set. */
export class StatusError extends Error {
  readonly code = 'INVALID_STATUS' as const;
  readonly status: unknown;

  constructor(status: unknown) {
    super(
      `invalid workload status ${JSON.stringify(status)}: a charm can set maintenance, blocked, waiting or active ` +
        `(error and unknown belong to Juju).`,
    );
    this.name = 'StatusError';
    this.status = status;
  }
}
