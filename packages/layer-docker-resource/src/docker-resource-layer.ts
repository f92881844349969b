import { defineLayer, type DeclaredCharm } from '@charms/reactive';
import type { CharmContext } from '@charms/runtime';
import { fetchQueued, PREFIX, queueFetch, resourceFlag } from './docker-resource.js';

// What the handlers below set and clear, for `charms lint` and `charms graph`: the flags
// are named after the charm's resources inside library functions, where reading the
// handler's code finds nothing. Dispatch never reads these declarations.
const resources = (charm: DeclaredCharm) => Object.entries(charm.metadata.resources ?? {});
const images = (charm: DeclaredCharm) => resources(charm).filter(([, r]) => r.type === 'oci-image');
const autoFetched = (charm: DeclaredCharm) => images(charm).filter(([, r]) => r['auto-fetch'] === true);
const OUTCOMES = ['available', 'failed', 'changed'] as const;
const outcomes = (charm: DeclaredCharm) => images(charm).flatMap(([name]) => OUTCOMES.map((state) => resourceFlag(name, state)));

/**
 * layer:docker-resource: fetches every `oci-image` resource marked `auto-fetch: true`
 * once, anything else the charm asks for with `fetch()`, retries failures in every hook,
 * and fetches everything again on `upgrade-charm` (Juju runs it when a resource changes).
 */
export const dockerResourceLayer = defineLayer<string, CharmContext>('docker-resource', (r) => {
  r.handle(
    {
      whenNot: `${PREFIX}.auto-fetched`,
      sets: [
        `${PREFIX}.auto-fetched`,
        (charm) => (autoFetched(charm).length > 0 ? [`${PREFIX}.pending`] : []),
        (charm) => autoFetched(charm).map(([name]) => resourceFlag(name, 'fetched')),
      ],
    },
    function autoFetch(ctx) {
      for (const [name, resource] of Object.entries(ctx.metadata.resources ?? {})) {
        if (resource.type === 'oci-image' && resource['auto-fetch'] === true) queueFetch(ctx, name);
      }
      ctx.setFlag(`${PREFIX}.auto-fetched`);
    },
  );

  r.handle({ when: `${PREFIX}.pending`, sets: outcomes, clears: [`${PREFIX}.pending`, outcomes] }, async function fetch(ctx) {
    await fetchQueued(ctx);
  });

  // upgrade-charm also runs when a resource is updated: fetch again whatever was fetched,
  // whatever its type.
  r.handle(
    { hook: 'upgrade-charm', sets: [`${PREFIX}.pending`, (charm) => resources(charm).map(([name]) => resourceFlag(name, 'fetched'))] },
    function checkUpdates(ctx) {
      for (const name of Object.keys(ctx.metadata.resources ?? {})) {
        if (ctx.isFlagSet(resourceFlag(name, 'fetched'))) queueFetch(ctx, name);
      }
    },
  );

  // Unlike the original, `.changed` lasts only for the hook that set it, so a charm
  // does not restart its workload in every later hook. Every hook that commits clears
  // them here, so any `.changed` flag still set was set in this hook.
  r.atexit((ctx) => {
    for (const flag of ctx.getFlags()) if (flag.startsWith(`${PREFIX}.`) && flag.endsWith('.changed')) ctx.clearFlag(flag);
  });
});
