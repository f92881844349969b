import type { CharmConfigYaml } from '@charms/manifest';
import { configValueFits, effectiveConfig } from '@charms/manifest/queries';

/**
 * The charm's config as handlers see it: what `config-get --all` printed, with the
 * config.yaml default for any option it left out (older agents), frozen. Values whose
 * type does not match config.yaml are reported, not changed. The defaults come from
 * `effectiveConfig`, the one rule the local model and the conformance runner use too;
 * what Juju printed always wins, also for a name config.yaml does not have.
 */
export function charmConfig(
  fromJuju: Readonly<Record<string, unknown>>,
  configYaml: CharmConfigYaml | undefined,
): { config: Readonly<Record<string, unknown>>; mismatches: string[] } {
  const config: Record<string, unknown> = { ...effectiveConfig(configYaml?.options, fromJuju), ...fromJuju };
  const mismatches: string[] = [];
  for (const [name, spec] of Object.entries(configYaml?.options ?? {})) {
    if (!configValueFits(spec, config[name])) mismatches.push(`${name} is ${JSON.stringify(typeof config[name])}, config.yaml says ${spec.type}`);
  }
  return { config: Object.freeze(config), mismatches };
}
