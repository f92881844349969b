import type { ActionRecord, LogEntry, TimelineEntry } from '@charms/model';
import { escapeControl, maskSecrets, type JournalEntries } from '@charms/model/internal';
import { LOG_LEVELS } from '../commands/model-arguments.js';
import type { Colors } from './output-colors.js';

// `charms tail`: the hooks and actions of the model as one stream, as `jhack tail` shows
// the events of a Juju model: a line when each starts, one when it ends with its outcome,
// and, asked for, the charm's log and the hook tools it called in between.

/** One entry of the stream: from the timeline or from the log. */
export type TailEntry = { readonly source: 'timeline'; readonly entry: TimelineEntry } | { readonly source: 'log'; readonly entry: LogEntry };

export interface TailOptions {
  /** Units or applications to show; all when empty. */
  readonly units: readonly string[];
  /** The lowest log level shown; no log lines without one. */
  readonly level?: (typeof LOG_LEVELS)[number];
  /** Show each hook tool call. */
  readonly tools: boolean;
}

const concerns = (units: readonly string[], unit: string) => units.length === 0 || units.includes(unit) || units.includes(unit.split('/')[0]!);

/**
 * The entries `options` asks for, timeline and log merged in the model's (virtual) time.
 * The clock moves on while a hook runs (each hook takes virtual time), so the entries of
 * one hook share its start time and its end comes later; at one time, a hook's end comes
 * first (it ended the hook before), then the next hook's start, tool calls and log lines,
 * each source in its own order.
 */
export function tailEntries(journal: JournalEntries, options: TailOptions): TailEntry[] {
  const lowest = options.level === undefined ? undefined : LOG_LEVELS.indexOf(options.level);
  const timeline: TailEntry[] = journal.timeline
    .filter((entry) => concerns(options.units, entry.unit) && (entry.kind !== 'tool' || options.tools))
    .map((entry) => ({ source: 'timeline', entry }));
  const log: TailEntry[] =
    lowest === undefined
      ? []
      : journal.log
          .filter((entry) => concerns(options.units, entry.unit) && LOG_LEVELS.indexOf(entry.level as (typeof LOG_LEVELS)[number]) >= lowest)
          .map((entry) => ({ source: 'log', entry }));
  const ends = (e: TailEntry) => (e.source === 'timeline' && (e.entry.kind === 'commit' || e.entry.kind === 'discard') ? 0 : 1);
  // Array.prototype.sort is stable: each source keeps its order among equal keys.
  const merged = [...timeline, ...log].sort((a, b) => (a.entry.time < b.entry.time ? -1 : a.entry.time > b.entry.time ? 1 : ends(a) - ends(b)));
  return failuresBeforeTheirEnd(merged);
}

/**
 * The model logs a failed hook (`hook "<name>" failed: exit status N`, hook-runner.ts
 * `finished`) at the time of its discard, which is also the time the unit's next hook
 * starts: moved before the discard it reports, where it was written.
 */
function failuresBeforeTheirEnd(entries: TailEntry[]): TailEntry[] {
  const result = [...entries];
  for (let index = 0; index < result.length; index += 1) {
    const end = result[index]!;
    if (end.source !== 'timeline' || end.entry.kind !== 'discard') continue;
    const { time, unit, hook, exitCode, commitError } = end.entry;
    const message = commitError !== undefined ? `hook "${hook}" failed: ${commitError}` : `hook "${hook}" failed: exit status ${exitCode}`;
    const at = result.findIndex((e, i) => i > index && e.source === 'log' && e.entry.time === time && e.entry.unit === unit && e.entry.level === 'ERROR' && e.entry.message === message);
    if (at === -1) continue;
    const [report] = result.splice(at, 1);
    result.splice(index, 0, report!);
    index += 1;
  }
  return result;
}

/** The last `count` hooks and actions of `entries`, from the start of the first of them. */
export function lastHooks(entries: readonly TailEntry[], count: number): TailEntry[] {
  const starts = entries.flatMap((e, index) => (e.source === 'timeline' && e.entry.kind === 'hook-start' ? [index] : []));
  if (count <= 0) return [];
  return starts.length <= count ? [...entries] : entries.slice(starts[starts.length - count]);
}

const LEVEL_COLOURS: Record<string, (c: Colors, text: string) => string> = {
  TRACE: (c, text) => c.dim(text),
  DEBUG: (c, text) => c.dim(text),
  INFO: (c, text) => c.blue(text),
  WARNING: (c, text) => c.yellow(text),
  ERROR: (c, text) => c.red(text),
  CRITICAL: (c, text) => c.bold(c.red(text)),
};

/**
 * Formats the stream one entry at a time. It remembers which action each unit is running,
 * so that the end of `actions/<name>` says how the action ended (`actionOf` reads its
 * record: an action that called action-fail exits 0 and still failed).
 */
export class TailPrinter {
  readonly #colors: Colors;
  readonly #actionOf: (id: string) => ActionRecord | undefined;
  readonly #running = new Map<string, string>();
  #unitWidth = 8;

  /** @param unitWidth the longest unit name known at the start, so that the columns line up from the first line. */
  constructor(colors: Colors, actionOf: (id: string) => ActionRecord | undefined, unitWidth = 0) {
    this.#colors = colors;
    this.#actionOf = actionOf;
    this.#unitWidth = Math.max(this.#unitWidth, unitWidth);
  }

  /**
   * The line (with its newline) for one entry; the known `secrets` (the model's
   * `inspectionSecrets`) in a logged message or a tool's arguments read `***`.
   */
  line(item: TailEntry, secrets: readonly string[]): string {
    const c = this.#colors;
    const { entry } = item;
    this.#unitWidth = Math.max(this.#unitWidth, entry.unit.length);
    // The model's virtual clock, as the timeline and log record it.
    const prefix = `${c.dim(entry.time.slice(11, 19))} ${c.cyan(escapeControl(entry.unit).padEnd(this.#unitWidth))}`;
    if (item.source === 'log') {
      const level = escapeControl(item.entry.level);
      const colour = LEVEL_COLOURS[item.entry.level] ?? ((_, text: string) => text);
      return `${prefix}     ${colour(c, level.padEnd(7))} ${escapeControl(maskSecrets(item.entry.message, secrets))}\n`;
    }
    const event = item.entry;
    const seconds = event.ms === undefined ? '' : c.dim(` ${(event.ms / 1000).toFixed(2)} s`);
    switch (event.kind) {
      case 'hook-start':
        if (event.action !== undefined) this.#running.set(event.unit, event.action);
        return `${prefix} ${c.bold('▶')} ${c.bold(this.#name(event.hook, event.action))}\n`;
      case 'tool':
        return `${prefix}     ${c.dim(`· ${[event.tool ?? '', ...(event.argv ?? [])].map((arg) => escapeControl(maskSecrets(arg, secrets))).join(' ')} → ${event.exitCode}`)}\n`;
      default: {
        const action = event.hook.startsWith('actions/') ? this.#running.get(event.unit) : undefined;
        if (action !== undefined) this.#running.delete(event.unit);
        const name = this.#name(event.hook, action);
        if (action !== undefined) {
          const record = this.#actionOf(action);
          const failed = record ? record.status === 'failed' : event.kind === 'discard';
          const why = record?.message ? `: ${escapeControl(record.message)}` : '';
          return failed ? `${prefix} ${c.red('✗')} ${name} ${c.red(`failed${why}`)}${seconds}\n` : `${prefix} ${c.green('✓')} ${name} ${c.green('completed')}${seconds}\n`;
        }
        return event.kind === 'commit'
          ? `${prefix} ${c.green('✓')} ${name} ${c.green('committed')}${seconds}\n`
          : `${prefix} ${c.red('✗')} ${name} ${c.red(`failed (${event.commitError !== undefined ? escapeControl(event.commitError) : `exit status ${event.exitCode}`}), nothing committed`)}${seconds}\n`;
      }
    }
  }

  /** A hook's name, or `action <name> (id N)` for an action. */
  #name(hook: string, action: string | undefined): string {
    const name = escapeControl(hook);
    return hook.startsWith('actions/') ? `action ${name.slice('actions/'.length)}${action === undefined ? '' : ` (id ${action})`}` : name;
  }
}
