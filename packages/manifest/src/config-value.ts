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
