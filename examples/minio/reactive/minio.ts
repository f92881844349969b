import { getInfo } from '@charms/layer-docker-resource';
import { podSpecSet, type PodSpecV3 } from '@charms/layer-caas-base';
import { active, blocked, maintenance, waiting } from '@charms/layer-status';
import { hook, when, whenAny, whenNot } from '@charms/reactive';
import type { Context } from '../charm-config.js';
import { configProblem, defaultSecretKeyWarning } from '../config-checks.js';
import { publishCredentials } from '../object-storage-credentials.js';

const STARTED = 'charm.minio.started';
const IMAGE_AVAILABLE = 'layer.docker-resource.oci-image.available';

/**
 * The MinIO charm: once the image is known, the leader sets a pod spec running
 * `minio server /data`; a config or image change starts it again. Credentials go into a
 * Kubernetes Secret that the container reads through envConfig, never into plain values.
 */
export default class Minio {
  @hook('upgrade-charm')
  upgrade(ctx: Context) {
    ctx.clearFlag(STARTED);
  }

  // @whenAny, not @when: either change alone must restart (the classic charm's bug).
  @whenAny('layer.docker-resource.oci-image.changed', 'config.changed')
  restart(ctx: Context) {
    ctx.clearFlag(STARTED);
  }

  @when(IMAGE_AVAILABLE)
  @whenNot(STARTED)
  async start(ctx: Context) {
    const problem = configProblem(ctx.config);
    if (problem) {
      await blocked(problem);
      return;
    }
    if (!(await ctx.tools.isLeader())) {
      await waiting('waiting for the leader to set the pod spec');
      return;
    }
    const warning = defaultSecretKeyWarning(ctx.config, 'minio');
    if (warning) await ctx.log(warning, 'WARNING');
    await maintenance('configuring container');
    const { spec, resources } = podSpec(ctx.juju.appName, ctx.config, getInfo('oci-image'));
    await podSpecSet(spec, resources);
    await maintenance('creating container');
    ctx.setFlag(STARTED);
  }

  @when(STARTED)
  async ready(ctx: Context) {
    await active(`serving on port ${ctx.config.port}`);
  }

  // Runs in every hook while a consumer is related, so a config change reaches the
  // consumers. Invalid config is not published: start() says why the unit is blocked.
  @when('endpoint.object-storage.joined')
  async publish(ctx: Context) {
    if (configProblem(ctx.config)) return;
    await publishCredentials(ctx);
  }
}

/** The pod spec (v3) and its Kubernetes resources. */
export function podSpec(
  app: string,
  config: Context['config'],
  image: { registryPath: string; username: string; password: string },
): { spec: PodSpecV3; resources: Record<string, unknown> } {
  const secret = `${app}-secret`;
  const probe = (path: string) => ({ httpGet: { path, port: config.port }, initialDelaySeconds: 10, periodSeconds: 10 });
  // A hash of the config in the pod template: a config change rolls the pods.
  // node:crypto on first use (Node 20.16+), not at load: every hook loads this module, few set a spec.
  const { createHash } = process.getBuiltinModule('node:crypto');
  const configHash = createHash('sha256').update(JSON.stringify([config.port, config['access-key'], config['secret-key']])).digest('hex');
  return {
    spec: {
      version: 3,
      containers: [
        {
          name: 'minio',
          imageDetails: { imagePath: image.registryPath, username: image.username, password: image.password },
          args: ['server', '/data', '--address', `:${config.port}`],
          ports: [{ name: 'minio', containerPort: config.port }],
          envConfig: {
            MINIO_ACCESS_KEY: { secret: { name: secret, key: 'access-key' } },
            MINIO_SECRET_KEY: { secret: { name: secret, key: 'secret-key' } },
          },
          kubernetes: { readinessProbe: probe('/minio/health/ready'), livenessProbe: probe('/minio/health/live') },
        },
      ],
    },
    resources: {
      kubernetesResources: {
        secrets: [{ name: secret, type: 'Opaque', stringData: { 'access-key': config['access-key'], 'secret-key': config['secret-key'] } }],
        pod: { annotations: { 'minio.charm/config-hash': configHash } },
      },
    },
  };
}
