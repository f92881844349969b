/** One problem in a charm file, located as precisely as the YAML allows. */
export interface ManifestProblem {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  /** Stable: `YAML_SYNTAX`, `NOT_FOUND`, `UNREADABLE`, `SCHEMA` for a value that breaks the schema, or `INVALID_NAME` for a name Juju would refuse (names.ts). */
  readonly code: string;
  readonly message: string;
}

/**
 * A charm file that cannot be used. Lists every problem found, each as
 * `file:line:col code message`, so all of them can be fixed in one go.
 */
export class ManifestError extends Error {
  readonly code = 'MANIFEST_INVALID' as const;
  readonly problems: readonly ManifestProblem[];

  constructor(problems: readonly ManifestProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ManifestError';
    this.problems = problems;
  }
}

/** `metadata.yaml:3:7 SCHEMA requires.db.interface: expected a string`. */
export function formatProblem(problem: ManifestProblem): string {
  return `${problem.file}:${problem.line}:${problem.col} ${problem.code} ${problem.message}`;
}
