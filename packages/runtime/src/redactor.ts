/**
 * Replaces secret values with `***` in text bound for logs, traces and stderr.
 * Secrets shorter than 3 characters are not tracked: replacing them would mangle
 * ordinary words and hide nothing.
 */
export class Redactor {
  readonly #secrets = new Set<string>();

  add(secret: unknown): void {
    if (typeof secret === 'string' && secret.length >= 3) this.#secrets.add(secret);
  }

  redact(text: string): string {
    let result = text;
    // Longest first, so a secret that contains another is replaced whole.
    for (const secret of [...this.#secrets].sort((a, b) => b.length - a.length)) result = result.split(secret).join('***');
    return result;
  }
}

/** Config options whose values are secrets: Juju's `secret` type, or a name that says so. */
export function isSecretOption(name: string, type: string | undefined): boolean {
  return type === 'secret' || /(^|[-_.])(secret|password|passwd|token|credentials?)([-_.]|$)/i.test(name);
}
