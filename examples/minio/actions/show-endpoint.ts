import type { ActionContext } from '@charms/runtime';
import type { ActionParams, Config } from '../charm-config.js';

/**
 * `charms run-action minio/0 show-endpoint --wait` (or `juju run-action`): the address of
 * the Service Juju makes for the application, as clients in the cluster reach it. It
 * reads the config and sets results only: nothing to commit, nothing for the next hook.
 */
export default function showEndpoint(ctx: ActionContext<ActionParams['show-endpoint']>): void {
  const { port } = ctx.config as unknown as Config;
  const host = `${ctx.juju.appName}.${ctx.juju.modelName}.svc.cluster.local`;
  ctx.setResult('endpoint.url', `${ctx.params.scheme}://${host}:${port}`);
  ctx.setResult('endpoint.host', host);
  ctx.setResult('endpoint.port', port);
}
