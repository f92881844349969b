import type { Predicate } from '@charms/reactive';
import type { HookTraceRecord } from '@charms/runtime/internal';

/**
 * Explains one recorded hook in flag terms: each round with its queue, what each handler
 * that ran set and cleared, what a clear dropped from a queue and why, the flags the
 * stages around dispatch changed, and, for every handler that did not run, the reason.
 */
export function explainTrace(trace: HookTraceRecord, title: string): string {
  const flags = new Set(trace.flagsAtStart);
  const handlers = new Map(trace.handlers.map((h) => [h.id, h]));
  const ran = new Set<string>();
  const lines: string[] = [];
  const outcome = trace.outcome?.ok === false ? `failed in ${trace.outcome.stage}: ${trace.outcome.error}` : 'ok';
  lines.push(`${title}: ${trace.hook} — ${outcome}`);
  lines.push(`flags at start: ${[...flags].join(', ') || '(none)'}`);

  let stage = 'atstart';
  let changes: string[] = [];
  let current: string | undefined;
  const flushChanges = (prefix: string) => {
    if (changes.length > 0) lines.push(`${prefix}${changes.join(' ')}`);
    changes = [];
  };
  for (const event of trace.events) {
    switch (event.t) {
      case 'stage':
        flushChanges(stage === 'atstart' ? 'atstart: ' : '    ');
        stage = event.stage;
        if (event.stage === 'atexit') lines.push('atexit:');
        break;
      case 'round':
        flushChanges('    ');
        lines.push(`${event.phase === 'other' ? `iteration ${event.iteration}` : `${event.phase} phase`}: ${event.queue.length > 0 ? `queued ${event.queue.join(', ')}` : 'nothing queued'}`);
        break;
      case 'run':
        flushChanges('    ');
        current = event.id;
        ran.add(event.id);
        lines.push(`  ran ${event.id}`);
        break;
      case 'end':
        flushChanges('    ');
        if (!event.ok) lines.push(`    ✗ ${event.id} failed`);
        current = undefined;
        break;
      case 'set':
      case 'clear':
        if (event.t === 'set') flags.add(event.flag);
        else flags.delete(event.flag);
        changes.push(`${event.t === 'set' ? '+' : '-'}${event.flag}${stage !== 'dispatch' || event.by === current ? '' : ` (by ${event.by})`}`);
        break;
      case 'retest':
        flushChanges('    ');
        for (const id of event.dropped) lines.push(`  dropped ${id} after a clear: ${reasons(handlers.get(id), flags, trace).join('; ')}`);
        break;
      case 'cap':
        lines.push('  stopped: 100 iterations (handlers keep changing flags they watch)');
        break;
    }
  }
  flushChanges(stage === 'atexit' ? '  ' : '    ');

  const idle = trace.handlers.filter((h) => !ran.has(h.id));
  if (idle.length > 0) {
    lines.push('did not run:');
    for (const handler of idle) lines.push(`  ${handler.id} — ${reasons(handler, flags, trace).join('; ')}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Why a handler's conditions do not hold, against `flags` in the other phase. */
export function reasons(handler: { predicates: readonly Predicate[] } | undefined, flags: ReadonlySet<string>, trace: HookTraceRecord): string[] {
  if (!handler) return ['unknown handler'];
  const found: string[] = [];
  const kinds = new Set(handler.predicates.map((p) => p.kind));
  const flagged = [...kinds].some((k) => k.startsWith('when'));
  if (kinds.has('hook') && flagged) return ['@hook together with @when…: can never run (hook handlers run before any flag is tested)'];
  for (const predicate of handler.predicates) {
    switch (predicate.kind) {
      case 'whenAll':
        for (const flag of predicate.flags) if (!flags.has(flag)) found.push(`needs ${flag} (not set)`);
        if (predicate.flags.length === 0 && !flagged) found.push('@when() without flags');
        break;
      case 'whenAny':
        if (!predicate.flags.some((f) => flags.has(f))) found.push(`needs one of ${predicate.flags.join(', ') || '(no flags: never)'} (none set)`);
        break;
      case 'whenNone':
        for (const flag of predicate.flags) if (flags.has(flag)) found.push(`blocked by ${flag} (set)`);
        break;
      case 'whenNotAll':
        if (predicate.flags.every((f) => flags.has(f))) found.push(`needs one of ${predicate.flags.join(', ') || '(no flags: never)'} unset (all set)`);
        break;
      case 'hook':
        found.push(`hook handler for ${predicate.patterns.join(', ')}, not ${trace.hook}`);
        break;
      case 'restrictedHook':
        found.push(`runs only in ${predicate.hookName}`);
        break;
      case 'onlyOnce':
        if (trace.alreadyRan.includes((handler as { id?: string }).id ?? '')) found.push('onlyOnce: already ran in an earlier hook');
        break;
    }
  }
  return found.length > 0 ? found : ['its conditions hold only after the last round that tested it (none of its flags changed in the round before)'];
}
