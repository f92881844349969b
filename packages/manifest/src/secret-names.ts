/**
 * Which config options and settings keys hold secrets: one rule for the runtime (what it
 * masks in `juju-log` lines, traces and stderr; on real Juju nothing else masks) and the
 * local model (what it masks in a hook's output and in the command line's views), so the
 * two hide the same values and a line reads the same whichever way it reached the log.
 */

/**
 * A word that makes a name secret, alone or ending a word written without separators
 * (`dbpassword`, `clientsecret`, `authtoken`), singular or plural. Only at the end of a
 * word, so that `secretary` or `tokenizer` say nothing.
 */
const SECRET_WORD = /(secret|password|passwd|passphrase|token|credential)s?$/;

/**
 * The words before `key` (or glued to it: `apikey`) in a compound that names a secret key
 * by itself. Not `access` (`access-key` identifies, as AWS and MinIO use it: the secret is
 * `secret-key`), nor `public`, nor a bare `key`, which may be anything (a map key, a key
 * name). `ssh` is in: a charm's `ssh-key` option is as often a private deploy key as a
 * public one, and masking a public key hides nothing anyone needs.
 */
const SECRET_KEY_KINDS: ReadonlySet<string> = new Set(['api', 'auth', 'client', 'encryption', 'hmac', 'master', 'private', 'session', 'shared', 'signing', 'ssh', 'ssl', 'tls']);

/**
 * Whether a config option or a settings key (relation data, …) holds a secret: its
 * Juju type is `secret`, or its name has a word `secret`, `password`, `passwd`,
 * `passphrase`, `token` or `credential` (or one of these ending a word, or plural), or a
 * key compound that is a secret by itself (`api-key`, `apikey`, `private-key`, `ssl-key`,
 * `tls-key`, `auth-key`, `client-key`, `ssh-key`, `signing-key`, `encryption-key`,
 * `master-key`, `session-key`, `hmac-key`, `shared-key`). A bare `key`, `access-key` and `public-key`
 * are not secrets. Words are separated by `-`, `_`, `.` or a lower-to-upper case change
 * (`apiKey`), and compared ignoring case.
 *
 * @param name the option's or key's name
 * @param type the option's type in config.yaml, if it is an option
 * @example isSecretSetting('admin-password') // true
 * @example isSecretSetting('access-key') // false
 */
export function isSecretSetting(name: string, type?: string): boolean {
  if (type === 'secret') return true;
  const words = nameWords(name);
  return words.some((word, index) => SECRET_WORD.test(word) || isSecretKeyWord(word, words[index - 1]));
}

/** `key`/`keys` after a secret kind (`api key`), or a kind glued to it (`apikey`). */
function isSecretKeyWord(word: string, previous: string | undefined): boolean {
  if (word === 'key' || word === 'keys') return previous !== undefined && SECRET_KEY_KINDS.has(previous);
  const glued = /^([a-z]+)keys?$/.exec(word);
  return glued !== null && SECRET_KEY_KINDS.has(glued[1]!);
}

/** The words of a name, lower case: `sslPrivate-KEY_file` → ssl, private, key, file. */
function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
}

/** Words that mean nothing alone: a setting under a secret key that holds one is not masked, or every line would lose them. */
const PLAIN_WORDS: ReadonlySet<string> = new Set(['true', 'false', 'null', 'none', 'yes', 'no']);

/**
 * The texts to hide for one secret value, as the runtime and the local model both mask
 * them: the value (a string, or a number as text) when it has 3 characters or more and
 * is not a plain word (`true`, `null`…); each line of a value of several lines (a PEM key
 * logged line by line, or masked a line at a time in a hook's output) that has 8
 * characters or more; and the value as it reads inside JSON text, when escaping changes it.
 * @example secretForms('pa"ss\nword-line-2') // ['pa"ss\nword-line-2', 'word-line-2', 'pa\\"ss\\nword-line-2']
 */
export function secretForms(value: unknown): string[] {
  const text = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
  if (text === undefined || text.length < 3 || PLAIN_WORDS.has(text.trim().toLowerCase())) return [];
  const forms = new Set([text]);
  if (/[\r\n]/.test(text)) for (const line of text.split(/\r?\n/)) if (line.trim().length >= 8) forms.add(line.trim());
  const escaped = JSON.stringify(text).slice(1, -1);
  if (escaped !== text) forms.add(escaped);
  return [...forms];
}
