import { defineLayer } from '@charms/reactive';
import type { CharmContext } from '@charms/runtime';
import { fetchQueued, PREFIX, queueFetch, resourceFlag } from './docker-resource.js';

/**
 * layer:docker-resource: fetches every `oci-image` resource marked `auto-fetch: true`
 * once, anything else the charm asks for with `fetch()`, retries failures in every hook,
 * and fetches everything again on `upgrade-charm` (Juju runs it when a resource changes).
 */
export const dockerResourceLayer = defineLayer<string, CharmContext>('docker-resource', (r) => {
  r.handle({ whenNot: `${PREFIX}.auto-fetched` }, function autoFetch(ctx) {
    for (const [name, resource] of Object.entries(ctx.metadata.resources ?? {})) {
      if (resource.type === 'oci-image' && resource['auto-fetch'] === true) queueFetch(ctx, name);
    }
    ctx.setFlag(`${PREFIX}.auto-fetched`);
  });

  r.handle({ when: `${PREFIX}.pending` }, async function fetch(ctx) {
    await fetchQueued(ctx);
  });

  // upgrade-charm also runs when a resource is updated: fetch again whatever was fetched.
  r.handle({ hook: 'upgrade-charm' }, function checkUpdates(ctx) {
    for (const name of Object.keys(ctx.metadata.resources ?? {})) {
      if (ctx.isFlagSet(resourceFlag(name, 'fetched'))) queueFetch(ctx, name);
    }
  });

  // Unlike the original, `.changed` lasts only for the hook that set it, so a charm
  // does not restart its workload in every later hook. Every hook that commits clears
  // them here, so any `.changed` flag still set was set in this hook.
  r.atexit((ctx) => {
    for (const flag of ctx.getFlags()) if (flag.startsWith(`${PREFIX}.`) && flag.endsWith('.changed')) ctx.clearFlag(flag);
  });
});
