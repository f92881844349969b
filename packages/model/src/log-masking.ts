/**
 * Masking of what a hook prints: its stdout and stderr go to the model's log, where a
 * secret must read `***` as it does in what the runtime logs through `juju-log`.
 */
import { effectiveConfig, type CharmConfigYaml } from '@charms/manifest';
import { isSecretSetting, secretForms } from '@charms/manifest/queries';
import type { ModelRecord, PendingChanges } from './model-state.js';

/**
 * A config option or relation key whose name says it holds a secret: the rule the
 * runtime masks `juju-log` lines with (`isSecretSetting` of `@charms/manifest/internal`),
 * so that a line the runtime already masked reads the same in the hook's output.
 */
export function isSecretName(name: string): boolean {
  return isSecretSetting(name);
}

/**
 * The values the model knows to be secret: config values (set or default) of options
 * named as secrets or of type `secret` (`isSecretSetting`, the runtime's rule: the same
 * values its `juju-log` lines hide), relation and leader settings under such keys (which
 * the runtime masks too), registry passwords of resources, and every state-set value (the
 * runtime's unit state, which it never logs; the timeline keeps state-set and leader-set
 * arguments as `key=***`), committed or still `pending` in the running hook, each in the
 * forms of `secretForms` (its lines, its JSON-escaped text). Values shorter than 3
 * characters and plain words (`true`, `null`…) are left out: masking them would mangle
 * ordinary words and hide nothing.
 */
export function secretValues(model: Readonly<ModelRecord>, configYamls: Readonly<Record<string, CharmConfigYaml | undefined>> = {}, pending?: PendingChanges): string[] {
  const values = new Set<string>();
  // The forms the runtime's Redactor hides too (secretForms: the value, its lines, its JSON-escaped text).
  const add = (value: unknown) => {
    for (const form of secretForms(value)) values.add(form);
  };
  // A config value as the runtime's Redactor takes it: a string, or a number as text (never
  // `true`/`false`, which would mask those words in every line).
  const addOption = (value: unknown) => {
    if (typeof value === 'string' || typeof value === 'number') add(value);
  };
  for (const app of Object.values(model.apps)) {
    const options = configYamls[app.name]?.options ?? {};
    const effective = effectiveConfig(options, app.config);
    for (const [name, option] of Object.entries(options)) if (isSecretSetting(name, option.type)) addOption(effective[name]);
    for (const [name, value] of Object.entries(app.config)) if (isSecretSetting(name)) addOption(value);
    for (const resource of Object.values(app.resources)) add(resource.password);
    for (const [key, value] of Object.entries(app.leaderSettings)) if (isSecretName(key)) add(value);
    for (const unit of app.units) for (const value of Object.values(unit.controllerState)) add(value);
  }
  for (const value of Object.values(pending?.state ?? {})) add(value);
  for (const set of pending?.relationSets ?? []) for (const [key, value] of Object.entries(set.data)) if (isSecretSetting(key)) add(value);
  for (const relation of model.relations) {
    for (const bag of Object.values(relation.data)) for (const [key, value] of Object.entries(bag)) if (isSecretSetting(key)) add(value);
  }
  // Longest first, so that a secret holding another is replaced whole.
  return [...values].sort((a, b) => b.length - a.length);
}

/** `text` with every one of `secrets` replaced by `***`. */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) if (result.includes(secret)) result = result.split(secret).join('***');
  return result;
}

/**
 * `text` safe to print on a terminal: control characters (newlines, escape sequences,
 * NUL…) become escapes such as `\n`, `\x1b`, so that a value cannot forge a line or
 * drive the terminal.
 */
export function escapeControl(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
