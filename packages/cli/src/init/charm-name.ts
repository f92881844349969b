import { InitError } from './init-error.js';

/** Juju's rule for charm names: lower-case words of letters and digits joined by single hyphens, starting with a letter. */
export const CHARM_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/**
 * Checks a charm name against Juju's rule.
 * @throws InitError `INVALID_CHARM_NAME`, quoting the name and saying what is wrong with it.
 */
export function checkCharmName(name: string): void {
  if (CHARM_NAME.test(name)) return;
  const why =
    name === ''
      ? 'it is empty'
      : !/^[a-z]/.test(name)
        ? 'it must start with a lower-case letter'
        : /[^a-z0-9-]/.test(name)
          ? 'it may hold only lower-case letters, digits and hyphens'
          : 'hyphens must sit between letters or digits, one at a time, and not end the name';
  throw new InitError('INVALID_CHARM_NAME', `"${name}" is not a valid charm name: ${why} (Juju's rule: ${CHARM_NAME.source}), e.g. my-charm`, name);
}

/** The name of the charm's handler class: `my-charm` → `MyCharm`. */
export function className(name: string): string {
  return name
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}
