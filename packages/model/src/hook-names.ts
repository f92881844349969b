/**
 * The hook names a charm can have, as Juju knows them: juju/charm (v8, what Juju 2.9
 * uses) `hooks/hooks.go` lists the kinds (unit hooks; relation, storage and container
 * hooks prefixed by their endpoint, storage or container name) and `meta.go`
 * `Meta.Hooks()` builds a charm's set from its metadata. `charms run` accepts only these.
 */
import { endpoints, type CharmMetadata } from '@charms/manifest';

/** hooks.go `unitHooks`: the hooks of the unit as a whole. */
export const UNIT_HOOKS = [
  'install',
  'start',
  'config-changed',
  'upgrade-charm',
  'stop',
  'remove',
  'collect-metrics',
  'meter-status-changed',
  'leader-elected',
  'leader-deposed',
  'leader-settings-changed',
  'update-status',
  'pre-series-upgrade',
  'post-series-upgrade',
] as const;
/** hooks.go `relationHooks`, each after `<endpoint>-`. */
export const RELATION_HOOKS = ['relation-created', 'relation-joined', 'relation-changed', 'relation-departed', 'relation-broken'] as const;
/** hooks.go `storageHooks`, each after `<storage>-`. */
export const STORAGE_HOOKS = ['storage-attached', 'storage-detaching'] as const;
/**
 * The workload hooks, after `<container>-`: `pebble-ready` (hooks.go, v8 on); Juju 3.6's
 * internal/charm/hooks adds `pebble-custom-notice` (3.4), `pebble-check-failed` and
 * `pebble-check-recovered` (3.6), which a sidecar charm may be run with.
 */
export const CONTAINER_HOOKS = ['pebble-ready', 'pebble-custom-notice', 'pebble-check-failed', 'pebble-check-recovered'] as const;

/** Every hook name the charm of `metadata` can have, as `Meta.Hooks()` gives them (sorted). */
export function charmHookNames(metadata: CharmMetadata): string[] {
  const extra = metadata as { storage?: unknown; containers?: unknown };
  const keys = (value: unknown) => (value && typeof value === 'object' ? Object.keys(value) : []);
  const names = new Set<string>(UNIT_HOOKS);
  for (const endpoint of endpoints(metadata)) for (const kind of RELATION_HOOKS) names.add(`${endpoint.name}-${kind}`);
  for (const storage of keys(extra.storage)) for (const kind of STORAGE_HOOKS) names.add(`${storage}-${kind}`);
  for (const container of keys(extra.containers)) for (const kind of CONTAINER_HOOKS) names.add(`${container}-${kind}`);
  return [...names].sort();
}
