import { isSecretSetting, secretForms } from '@charms/manifest/queries';
import { pythonJsonLoads } from './python-json.js';

/**
 * Replaces secret values with `***` in text bound for logs, traces and stderr.
 * Secrets shorter than 3 characters are not tracked: replacing them would mangle
 * ordinary words and hide nothing. The local model leaves out the same short values
 * (`log-masking.ts`), so both hide the same ones.
 */
export class Redactor {
  readonly #secrets = new Set<string>();

  /**
   * Tracks a string, or a number as its text (a secret option may be an `int`), in the
   * forms `secretForms` gives (its lines, its JSON-escaped text); anything else is ignored.
   */
  add(secret: unknown): void {
    for (const form of secretForms(secret)) this.#secrets.add(form);
  }

  /**
   * Tracks what a settings bag (a relation's data, read or set) holds under secret keys
   * (`isSecretSetting`, the rule config options follow): each value as it is and, when it
   * is JSON (interfaces publish `"pw"` through `toPublish`), the string or number it
   * decodes to, which is what a charm holds and may log. Values under other keys
   * (`access-key`, `host`) are not tracked.
   */
  addSettings(settings: Readonly<Record<string, unknown>>): void {
    for (const [key, value] of Object.entries(settings)) {
      if (!isSecretSetting(key)) continue;
      this.add(value);
      if (typeof value === 'string') this.add(pythonJsonLoads(value));
    }
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
 * (`isSecretSetting` of `@charms/manifest/queries`: Juju's `secret` type, a name with
 * `secret`, `password`, `passwd`, `passphrase`, `token`, `credential`, or a key compound
 * such as `api-key` or `private-key`, but not `access-key`).
 */
export function isSecretOption(name: string, type: string | undefined): boolean {
  return isSecretSetting(name, type);
}
