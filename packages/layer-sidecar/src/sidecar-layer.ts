import { waiting } from '@charms/layer-status';
import { defineLayer, type DeclaredCharm } from '@charms/reactive';
import type { CharmContext } from '@charms/runtime';
import { containerFlag, PREFIX } from './container-flags.js';
import { pebbleProblem } from './container-pebble.js';

// Internal: set at the start of every hook once each container's Pebble was asked.
const PROBED = 'layer.sidecar.probed';
// Internal, per container: its pebble-ready has run, so its Pebble is asked in every later
// hook, answering or not (as ops' can_connect): one that did not answer once (a slow
// update-status) is seen again when it does, though Juju sends no second pebble-ready.
const readySeen = (name: string) => `layer.sidecar.${name}.pebble-ready-seen`;

// What the handler below sets and clears, for `charms lint` and `charms graph`: the
// flags are named after metadata.yaml's containers, where reading the code finds nothing.
const containers = (charm: DeclaredCharm) => Object.keys((charm.metadata as { containers?: Record<string, unknown> }).containers ?? {});
const available = (charm: DeclaredCharm) => containers(charm).map((name) => containerFlag(name, 'available'));

// Why each container's Pebble did not answer (undefined: it did), per hook: the hook's
// environment object is the key, so nothing carries over to the next hook.
const probes = new WeakMap<object, Map<string, string | undefined>>();

/**
 * layer:sidecar: `container.<name>.available` for each container of metadata.yaml,
 * set in `<name>-pebble-ready` (Juju runs it once the container's Pebble is up,
 * worker/uniter/container) when that Pebble answers, and asked again at the start of
 * every later hook: a Pebble that stops answering clears it. `container.<name>.changed`
 * (set by `planLayer`) lasts for the hook that set it.
 */
export const sidecarLayer = defineLayer<string, CharmContext>('sidecar', (r) => {
  // Pebble is asked before dispatch, so even the charm's `@hook` handlers see the flags
  // of this hook; the handler below applies the answers (a handler, so the flags it
  // sets are declared, and runs once: it clears what it waits for).
  r.atstart(async (ctx) => {
    const answers = new Map<string, string | undefined>();
    for (const name of Object.keys(ctx.metadata.containers ?? {})) {
      const ready = ctx.juju.hookName === `${name}-pebble-ready`;
      if (ready) ctx.setFlag(readySeen(name));
      if (ready || ctx.isFlagSet(readySeen(name)) || ctx.isFlagSet(containerFlag(name, 'available'))) answers.set(name, await pebbleProblem(name));
    }
    probes.set(ctx.juju, answers);
    ctx.setFlag(PROBED);
  });

  r.handle({ when: PROBED, sets: [available], clears: [available, PROBED] }, async function checkContainers(ctx) {
    ctx.clearFlag(PROBED);
    const answers = probes.get(ctx.juju) ?? new Map<string, string | undefined>();
    const missing: string[] = [];
    for (const name of Object.keys(ctx.metadata.containers ?? {})) {
      const flag = containerFlag(name, 'available');
      if (!answers.has(name)) {
        missing.push(name);
        continue;
      }
      const problem = answers.get(name);
      if (problem === undefined) {
        ctx.setFlag(flag);
        continue;
      }
      await ctx.log(`container ${name}: Pebble does not answer${ctx.juju.hookName.endsWith('-pebble-ready') ? ` in ${ctx.juju.hookName}` : ''}: ${problem}`, 'WARNING');
      ctx.clearFlag(flag);
      missing.push(name);
    }
    const setStatus = ctx.layerOptions('sidecar')['set-status'] !== false;
    if (setStatus && missing.length > 0) await waiting(`waiting for container${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  });

  // As layer:docker-resource's `.changed`: only for the hook that set it, so a charm does
  // not restart its workload in every later hook.
  r.atexit((ctx) => {
    for (const flag of ctx.getFlags()) if (flag.startsWith(`${PREFIX}.`) && flag.endsWith('.changed')) ctx.clearFlag(flag);
  });
});
