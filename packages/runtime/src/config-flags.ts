import type { ReactiveContext, UnitState } from '@charms/reactive';
import { pythonEquals, pythonTruthy } from './python-values.js';
import { ConfigError } from './config-error.js';

/** One option of config.yaml, as far as the flags need it. */
export interface ConfigOption {
  readonly default?: unknown;
  readonly type?: string;
  readonly description?: string;
}

/**
 * config.yaml's options in file order. A `Map` keeps the order of any name; a plain
 * object puts integer-like names first, as JavaScript objects do.
 */
export type ConfigOptions = ReadonlyMap<string, ConfigOption | null> | Readonly<Record<string, ConfigOption | null>>;

/** Where the config seen by the last successful hook is kept in unit data. */
export const CONFIG_SNAPSHOT_KEY = 'charms.config.previous';

/**
 * layer-basic's `config.*` flags for one hook.
 *
 * `current` is what `config-get --all` printed, plus any key only the previous
 * snapshot had (charm-helpers merges those in); `changed(opt)` compares with the
 * snapshot of the last successful non-restricted hook, and with no snapshot yet every
 * option counts as changed.
 */
export class ConfigFlags {
  readonly current: Record<string, unknown>;
  readonly #previous: Record<string, unknown> | undefined;
  readonly #options: readonly [string, ConfigOption | null][];
  /** Keys in the order clear() visits them: Juju's sorted config-get output, then merged ones. */
  readonly #keys: readonly string[];

  constructor(state: UnitState, config: Readonly<Record<string, unknown>>, options: ConfigOptions | undefined) {
    this.#previous = state.data.get(CONFIG_SNAPSHOT_KEY) as Record<string, unknown> | undefined;
    this.#options = options instanceof Map ? [...options.entries()] : Object.entries(options ?? {});
    this.current = { ...config };
    const keys = Object.keys(config).sort(byCodePoint);
    for (const [key, value] of Object.entries(this.#previous ?? {})) {
      if (Object.hasOwn(this.current, key)) continue;
      this.current[key] = value;
      keys.push(key);
    }
    this.#keys = keys;
  }

  changed(option: string): boolean {
    return this.#previous === undefined || !pythonEquals(this.#previous[option], this.current[option]);
  }

  /**
   * atstart, in config.yaml order: `config.changed` and `config.changed.<opt>` when the
   * option changed, then `config.set.<opt>` and `config.default.<opt>` toggled.
   * @throws ConfigError `OPTION_UNDEFINED` for an option without a definition, before
   * any flag is touched (as layer-basic fails reading its defaults).
   */
  set(context: ReactiveContext): void {
    const undefinedOption = this.#options.find(([, spec]) => spec === null || typeof spec !== 'object');
    if (undefinedOption) {
      throw new ConfigError('OPTION_UNDEFINED', undefinedOption[0], `config.yaml option '${undefinedOption[0]}' has no definition: give it a type, and a default and description`);
    }
    for (const [option, spec] of this.#options) {
      if (this.changed(option)) {
        context.setFlag('config.changed');
        context.setFlag(`config.changed.${option}`);
      }
      const value = this.current[option];
      context.toggleFlag(`config.set.${option}`, pythonTruthy(value));
      context.toggleFlag(`config.default.${option}`, pythonEquals(value, spec?.default));
    }
  }

  /** atexit, last of all: clear `config.changed`, then each key's three flags. */
  clear(context: ReactiveContext): void {
    context.clearFlag('config.changed');
    for (const option of this.#keys) {
      context.clearFlag(`config.changed.${option}`);
      context.clearFlag(`config.set.${option}`);
      context.clearFlag(`config.default.${option}`);
    }
  }

  /** atexit of a successful hook: remember this config for the next hook's comparison. */
  save(state: UnitState): void {
    state.data.set(CONFIG_SNAPSHOT_KEY, structuredClone(this.current));
  }
}

// Python's sorted() order for str keys.
function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
