import type { ConfigOptionSpec } from './config.js';

// Kept apart from the zod schemas: a hook checks config values without loading zod.

/** Whether a value has a config option's type, by the option's `type`. */
export const OPTION_TYPE_CHECK: Record<string, (value: unknown) => boolean> = {
  string: (v) => typeof v === 'string',
  secret: (v) => typeof v === 'string',
  int: (v) => typeof v === 'number' && Number.isInteger(v),
  float: (v) => typeof v === 'number',
  boolean: (v) => typeof v === 'boolean',
};

/** True when `value` fits the option's type (`null` always fits: it means unset). */
export function configValueFits(spec: ConfigOptionSpec, value: unknown): boolean {
  return value === null || value === undefined || OPTION_TYPE_CHECK[spec.type]!(value);
}

/**
 * An option as {@link effectiveConfig} reads it: its `default`, if it has one. `null`
 * stands for an option named without a definition (a conformance fixture may declare
 * one); it reads as an option without a default.
 */
export type OptionDefault = { readonly default?: unknown } | null;

/**
 * The config a unit sees, as `config-get --all` prints it: every option of config.yaml,
 * with the value the operator set, else the option's default, else `null`. Set values
 * for names config.yaml does not have are left out. Keys are in sorted order (Juju
 * prints a Go map, sorted), so two results compare equal as JSON when the configs do.
 * Values are returned as they are: typing them is the caller's job (`juju config` types
 * command-line strings before they are set).
 * @param options config.yaml's `options`; undefined for a charm without config.yaml.
 * @param set the values the operator set, by option name.
 * @example
 * effectiveConfig({ port: { type: 'int', default: 9000 }, debug: { type: 'boolean' } }, { debug: true });
 * // { debug: true, port: 9000 }
 */
export function effectiveConfig(options: Readonly<Record<string, OptionDefault>> | undefined, set: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const name of Object.keys(options ?? {}).sort()) {
    config[name] = Object.hasOwn(set, name) ? set[name] : (options![name]?.default ?? null);
  }
  return config;
}
