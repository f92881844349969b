import { containerPebble, planLayer } from '@charms/layer-sidecar';
import { active, blocked } from '@charms/layer-status';
import { ChangeError, type Layer } from '@charms/pebble';
import { when } from '@charms/reactive';
import type { Context } from '../charm-config.js';
import { configProblem as minioConfigProblem, defaultSecretKeyWarning } from '../../minio/config-checks.js';
import { publishCredentials } from '../../minio/object-storage-credentials.js';

const CONTAINER = 'minio';
const AVAILABLE = 'container.minio.available';
/** The file MinIO reads its root credentials from (MINIO_CONFIG_ENV_FILE, MinIO 2022 and later). */
export const CREDENTIALS_FILE = '/etc/minio/credentials.env';

/**
 * The MinIO charm as a sidecar charm: once the minio container's Pebble answers, it
 * writes the credentials into a file only its owner reads, declares the service layer of
 * `minio server /data` with its health checks, and lets layer:sidecar replan when the
 * plan changed. "active" means Pebble accepted the plan and started the service; a start
 * that failed leaves the unit blocked with Pebble's reason (layer:sidecar's status).
 */
export default class MinioSidecar {
  // In every hook while the container answers: config-changed changes the plan (port)
  // or the credentials, and a start that failed is tried again.
  @when(AVAILABLE)
  async configure(ctx: Context) {
    const problem = configProblem(ctx.config);
    if (problem) {
      await blocked(problem);
      return;
    }
    const warning = defaultSecretKeyWarning(ctx.config, 'minio-sidecar');
    if (warning) await ctx.log(warning, 'WARNING');
    ctx.secret(ctx.config['secret-key']);
    // dataChanged keeps a hash of the value, not the value.
    const credentialsChanged = ctx.dataChanged('charm.minio.credentials', [ctx.config['access-key'], ctx.config['secret-key']]);
    // Not in the plan's environment, where anyone who reads the plan would see them.
    await containerPebble(CONTAINER).push(CREDENTIALS_FILE, credentialsFile(ctx.config), { makeDirs: true, permissions: 0o600 });
    const outcome = await planLayer(CONTAINER, 'minio', minioLayer(ctx.config.port));
    if (outcome.failure !== undefined) return;
    // MinIO reads the file when it starts: new credentials with the same plan need a restart.
    if (credentialsChanged && !outcome.replanned) {
      try {
        await containerPebble(CONTAINER).restartServices(['minio']);
      } catch (error) {
        if (!(error instanceof ChangeError)) throw error;
        await blocked(`container ${CONTAINER}: MinIO did not restart with the new credentials: ${error.taskLog.at(-1) ?? error.message}`);
        return;
      }
    }
    await active(`serving on port ${ctx.config.port}`);
  }

  // Runs in every hook while a consumer is related, so a config change reaches the
  // consumers. Invalid config is not published: configure() says why the unit is blocked.
  @when('endpoint.object-storage.joined')
  async publish(ctx: Context) {
    if (configProblem(ctx.config)) return;
    await publishCredentials(ctx);
  }
}

/** Why the config cannot be used, or undefined: examples/minio's checks, then one of its own, since each key is a line of the credentials file. */
export function configProblem(config: Context['config']): string | undefined {
  const problem = minioConfigProblem(config);
  if (problem !== undefined) return problem;
  if (/[\r\n]/.test(config['access-key'] + config['secret-key'])) return 'access-key and secret-key must be one line each';
  return undefined;
}

/** The credentials file: one `NAME=value` line each, as MinIO's config env file. */
export function credentialsFile(config: Context['config']): string {
  return `MINIO_ROOT_USER=${config['access-key']}\nMINIO_ROOT_PASSWORD=${config['secret-key']}\n`;
}

/**
 * The Pebble layer: `minio server /data` on the configured port, and the probes of
 * examples/minio's pod spec as Pebble checks (alive: /minio/health/live, restarting the
 * service when it fails; ready: /minio/health/ready).
 */
export function minioLayer(port: number): Layer {
  const check = (level: 'alive' | 'ready', path: string) => ({ override: 'replace' as const, level, period: '10s', threshold: 3, http: { url: `http://localhost:${port}${path}` } });
  return {
    summary: 'MinIO object storage',
    services: {
      minio: {
        override: 'replace',
        summary: 'MinIO server',
        command: `minio server /data --address :${port}`,
        startup: 'enabled',
        environment: { MINIO_CONFIG_ENV_FILE: CREDENTIALS_FILE },
        'on-check-failure': { 'minio-live': 'restart' },
      },
    },
    checks: {
      'minio-live': check('alive', '/minio/health/live'),
      'minio-ready': check('ready', '/minio/health/ready'),
    },
  };
}
