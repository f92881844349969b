import { currentContext } from '@charms/reactive';

/**
 * Registers `value` with the running hook's redaction (`ctx.secret`), so that it is
 * replaced by `***` in every log line, trace and stderr of the hook. Outside a running
 * hook, or under a runner without redaction, it does nothing.
 */
export function redact(value: string): void {
  let context: { secret?: unknown } | undefined;
  try {
    context = currentContext('redact') as { secret?: unknown };
  } catch {
    return;
  }
  if (typeof context.secret === 'function') (context.secret as (value: string) => void)(value);
}
