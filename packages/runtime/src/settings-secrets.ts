import type { HookTools } from '@charms/hooktools';

/**
 * Takes a settings bag (relation data or leader settings) this hook read or sets, and
 * tracks what it holds under secret keys: the hook's `Redactor.addSettings`.
 */
export type NoteSettingsSecrets = (settings: Readonly<Record<string, unknown>>) => void;

/** Where tools made by {@link noteSettingsSecrets} keep their note, for the bags a charm fills before `relation-set`. */
const NOTE = Symbol('noteSettingsSecrets');

/**
 * `tools` that hand every bag `relation-get` and `leader-get` answer, and every one given
 * to `relation-set` and `leader-set`, to `note` before the caller gets the answer back (or
 * before the call is made), so that a value under a secret key is masked in any line
 * logged after it. On real Juju only the runtime can mask `juju-log` lines and the hook's
 * stdout; the local model masks the same relation and leader values by the same rule
 * (`isSecretSetting`).
 *
 * Every other member is `tools`' own. The runtime wraps its queued tools, so a charm's
 * own `relationGet`, an interface layer's views and an interceptor's answer all pass
 * here. The relation views (`relation.ts`) find `note` on these tools to track a value
 * when it is assigned, which is before the `relation-set` at the end of the hook.
 */
export function noteSettingsSecrets(tools: HookTools, note: NoteSettingsSecrets): HookTools {
  // A Proxy rather than a class: every other method, present and future, stays `tools`'
  // own, called on `tools` itself (SerialTools' private fields need the real `this`).
  return new Proxy(tools, {
    get(target, property) {
      if (property === NOTE) return note;
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      const method = (value as (...a: unknown[]) => unknown).bind(target);
      if (SETTINGS_READS.has(property)) {
        return async (...args: unknown[]) => {
          const bag = (await method(...args)) as Record<string, unknown>;
          note(bag);
          return bag;
        };
      }
      if (SETTINGS_WRITES.has(property)) {
        return (...args: unknown[]) => {
          note(args[0] as Record<string, unknown>);
          return method(...args);
        };
      }
      return method;
    },
  });
}

/** The tools that answer a settings bag, and those that are given one as their first argument. */
const SETTINGS_READS: ReadonlySet<PropertyKey> = new Set<keyof HookTools>(['relationGet', 'leaderGet']);
const SETTINGS_WRITES: ReadonlySet<PropertyKey> = new Set<keyof HookTools>(['relationSet', 'leaderSet']);

/** The note of tools made by {@link noteSettingsSecrets}; undefined for any other tools (an Endpoint a test makes over in-memory tools). */
export function settingsSecretsNote(tools: HookTools): NoteSettingsSecrets | undefined {
  return (tools as { [NOTE]?: NoteSettingsSecrets })[NOTE];
}
