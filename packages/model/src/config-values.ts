import type { CharmConfigYaml } from '@charms/manifest';
import { ModelError } from './model-errors.js';

const BOOLEANS: Record<string, boolean> = { '1': true, t: true, T: true, TRUE: true, true: true, True: true, '0': false, f: false, F: false, FALSE: false, false: false, False: false };

/**
 * Checks config values against config.yaml as `juju config` does and returns them typed:
 * strings from the command line are read as the option's type (`port=9001` is an int).
 * @throws ModelError `INVALID_CONFIG` listing every unknown option and every bad value,
 *   an int beyond ±(2^53 - 1) among them (it would be rounded).
 */
export function checkConfig(configYaml: CharmConfigYaml | undefined, values: Readonly<Record<string, unknown>>, reset: readonly string[] = []): Record<string, unknown> {
  const options = configYaml?.options ?? {};
  const problems: string[] = [];
  const typed: Record<string, unknown> = {};
  for (const name of reset) if (!options[name]) problems.push(`unknown option "${name}"`);
  for (const [name, raw] of Object.entries(values)) {
    const spec = options[name];
    if (!spec) {
      problems.push(`unknown option "${name}"`);
      continue;
    }
    const value = coerce(spec.type, raw);
    if (value === undefined) problems.push(`option "${name}" expected ${spec.type}, got ${shown(raw)}`);
    else if (spec.type === 'int' && !Number.isSafeInteger(value)) {
      // Juju keeps an int64; the model's JSON numbers are exact only up to 2^53 - 1. A
      // rounded value would reach the charm silently, so it is refused.
      problems.push(`option "${name}" got ${shown(raw)}: beyond ±${Number.MAX_SAFE_INTEGER}, the largest int the local model keeps exactly`);
    }
    else typed[name] = value;
  }
  if (problems.length > 0) {
    const known = Object.keys(options).join(', ') || 'none';
    throw new ModelError('INVALID_CONFIG', `config not changed (options of this charm: ${known}):`, problems);
  }
  return typed;
}

/** A value for a message, cut after 80 characters (a value may be a whole file). */
function shown(raw: unknown): string {
  const text = JSON.stringify(raw) ?? String(raw);
  return text.length > 80 ? `${text.slice(0, 80)}… (${text.length} characters)` : text;
}

function coerce(type: string, raw: unknown): unknown {
  switch (type) {
    case 'int':
      if (typeof raw === 'number' && Number.isInteger(raw)) return raw;
      return typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw) : undefined;
    case 'float':
      if (typeof raw === 'number') return raw;
      return typeof raw === 'string' && raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : undefined;
    case 'boolean':
      if (typeof raw === 'boolean') return raw;
      return typeof raw === 'string' ? BOOLEANS[raw] : undefined;
    default:
      return typeof raw === 'string' ? raw : undefined;
  }
}
