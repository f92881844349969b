// MinIO's config checks, for both MinIO charms: this one (podspec) and examples/minio-sidecar,
// which imports this file by its relative path (a build bundles what a charm's modules
// import, wherever it is). Not in reactive/: a module there is registered as a layer.
import type { Config } from './charm-config.js';

/** The secret key config.yaml gives: a unit running with it warns. */
export const DEFAULT_SECRET_KEY = 'minio123';

/** Why the config cannot be used, or undefined. */
export function configProblem(config: Config): string | undefined {
  if (!Number.isInteger(config.port) || config.port < 1 || config.port > 65535) return `port must be between 1 and 65535, not ${config.port}`;
  if (config['access-key'].length < 3) return 'access-key must be at least 3 characters long';
  if (config['secret-key'].length < 8) return 'secret-key must be at least 8 characters long';
  return undefined;
}

/** The warning for a secret key left at its default, or undefined; `app` is the application the command shown sets it on. */
export function defaultSecretKeyWarning(config: Config, app: string): string | undefined {
  return config['secret-key'] === DEFAULT_SECRET_KEY ? `secret-key is still the default: set your own with \`charms config ${app} secret-key=...\`` : undefined;
}
