import type { HookTools, LogLevel } from '@charms/hooktools';
import type { ReactiveEmitter } from '@charms/reactive';
import type { Redactor } from './redactor.js';
import type { ToolLine } from './serial-tools.js';
import type { StdoutLogLine } from './stdout-log-line.js';

/**
 * Sends log lines through `juju-log`, redacted, queued with the other tool calls so
 * that they keep their place. A line that cannot be sent goes to stderr, which Juju
 * also records, rather than failing the hook.
 *
 * Flag changes are held back and logged as one line before whatever is queued next:
 * the {@link ToolLine} is made with `beforeEnqueue: () => logger.flushFlagChanges()`.
 *
 * Given a stdout writer, DEBUG lines go to the hook's stdout, which Juju logs at DEBUG
 * with the same text (see `stdout-log-line.ts`), in their place in the line: a tool
 * call saved for each.
 */
export class JujuLogger {
  readonly #line: ToolLine;
  readonly #tools: HookTools;
  readonly #redactor: Redactor;
  readonly #stdout: StdoutLogLine | undefined;
  /** Flag changes not yet logged: `+flag` set, `-flag` cleared. */
  #flagChanges: string[] = [];

  /**
   * @param line the hook's tool line, where each log line takes its place
   * @param tools the hook tools outside the line (the logger queues its own calls)
   * @param stdout where DEBUG lines go instead of `juju-log`, when it takes them
   */
  constructor(line: ToolLine, tools: HookTools, redactor: Redactor, stdout?: StdoutLogLine) {
    this.#line = line;
    this.#tools = tools;
    this.#redactor = redactor;
    this.#stdout = stdout;
  }

  /**
   * Logs the flag changes held back so far as one DEBUG line. Consecutive changes are
   * gathered because each juju-log call is a process: a hook that sets ten config
   * flags logs one line, not ten.
   */
  flushFlagChanges(): void {
    if (this.#flagChanges.length === 0) return;
    const changes = this.#flagChanges;
    this.#flagChanges = [];
    void this.log(`reactive: flags ${changes.join(' ')}`, 'DEBUG');
  }

  /** Queues one line; resolves when it was sent. */
  log(message: string, level: LogLevel = 'INFO'): Promise<void> {
    const text = this.#redactor.redact(message);
    const stdout = level === 'DEBUG' ? this.#stdout : undefined;
    return this.#line.enqueue(async () => {
      if (stdout?.(text)) return;
      await this.#tools.jujuLog(text, level).catch((error: unknown) => {
        process.stderr.write(`${level} ${text}\n(juju-log failed: ${this.#redactor.redact((error as Error).message)})\n`);
      });
    });
  }

  /**
   * Renders the engine's events as the original logs them: INFO for each handler run,
   * DEBUG for rounds and flag changes (gathered, `+set -cleared`), WARNING when the
   * iteration cap is reached.
   * Flag values are never logged: they may hold secrets.
   */
  follow(events: ReactiveEmitter): void {
    events.on('handler:start', ({ handlerId }) => void this.log(`Invoking reactive handler: ${handlerId}`, 'INFO'));
    events.on('round', ({ phase, iteration, queue }) => {
      if (queue.length === 0) return;
      const round = phase === 'other' ? `other phase, iteration ${iteration}` : `${phase} phase`;
      void this.log(`reactive: ${round}: queued ${queue.join(', ')}`, 'DEBUG');
    });
    events.on('flag:set', ({ flag }) => void this.#flagChanges.push(`+${flag}`));
    events.on('flag:clear', ({ flag }) => void this.#flagChanges.push(`-${flag}`));
    events.on('dispatch:cap', ({ iterations, queue }) => {
      void this.log(
        `reactive: dispatch stopped after ${iterations} iterations with handlers still queued (${queue.join(', ')}). ` +
          `The hook succeeds, as in charms.reactive, but these handlers keep changing flags they watch.`,
        'WARNING',
      );
    });
  }
}
