import type { HookTools } from '@charms/hooktools';

/**
 * Takes a relation data bag this hook read or sets, and tracks what it holds under secret
 * keys: the hook's `Redactor.addSettings`.
 */
export type NoteRelationSecrets = (settings: Readonly<Record<string, unknown>>) => void;

/** Where tools made by {@link noteRelationSecrets} keep their note, for the bags a charm fills before `relation-set`. */
const NOTE = Symbol('noteRelationSecrets');

/**
 * `tools` that hand every bag `relation-get` answers, and every one given to
 * `relation-set`, to `note` before the caller gets the answer back (or before the call
 * is made), so that a value under a secret key is masked in any line logged after it.
 * On real Juju only the runtime can mask `juju-log` lines and the hook's stdout; the
 * local model masks the same relation values by the same rule (`isSecretSetting`).
 *
 * Every other member is `tools`' own. The runtime wraps its queued tools, so a charm's
 * own `relationGet`, an interface layer's views and an interceptor's answer all pass
 * here. The relation views (`relation.ts`) find `note` on these tools to track a value
 * when it is assigned, which is before the `relation-set` at the end of the hook.
 */
export function noteRelationSecrets(tools: HookTools, note: NoteRelationSecrets): HookTools {
  // A Proxy rather than a class: every other method, present and future, stays `tools`'
  // own, called on `tools` itself (SerialTools' private fields need the real `this`).
  return new Proxy(tools, {
    get(target, property) {
      if (property === NOTE) return note;
      if (property === 'relationGet') {
        return async (...args: Parameters<HookTools['relationGet']>) => {
          const bag = await target.relationGet(...args);
          note(bag);
          return bag;
        };
      }
      if (property === 'relationSet') {
        return (...args: Parameters<HookTools['relationSet']>) => {
          note(args[0]);
          return target.relationSet(...args);
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** The note of tools made by {@link noteRelationSecrets}; undefined for any other tools (an Endpoint a test makes over in-memory tools). */
export function relationSecretsNote(tools: HookTools): NoteRelationSecrets | undefined {
  return (tools as { [NOTE]?: NoteRelationSecrets })[NOTE];
}
