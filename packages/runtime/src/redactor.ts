import { isSecretSetting } from '@charms/manifest/internal';

/**
 * Replaces secret values with `***` in text bound for logs, traces and stderr.
 * Secrets shorter than 3 characters are not tracked: replacing them would mangle
 * ordinary words and hide nothing. The local model leaves out the same short values
 * (`log-masking.ts`), so both hide the same ones.
 */
export class Redactor {
  readonly #secrets = new Set<string>();

  /** Tracks a string, or a number as its text (a secret option may be an `int`); anything else is ignored. */
  add(secret: unknown): void {
    const text = typeof secret === 'string' ? secret : typeof secret === 'number' ? String(secret) : undefined;
    if (text !== undefined && text.length >= 3) this.#secrets.add(text);
  }

  redact(text: string): string {
    let result = text;
    // Longest first, so a secret that contains another is replaced whole.
    for (const secret of [...this.#secrets].sort((a, b) => b.length - a.length)) result = result.split(secret).join('***');
    return result;
  }
}

/**
 * Config options whose values are secrets: the rule the local model masks with too
 * (`isSecretSetting` of `@charms/manifest/internal`: Juju's `secret` type, a name with
 * `secret`, `password`, `passwd`, `passphrase`, `token`, `credential`, or a key compound
 * such as `api-key` or `private-key`, but not `access-key`).
 */
export function isSecretOption(name: string, type: string | undefined): boolean {
  return isSecretSetting(name, type);
}
