/**
 * Where a hook stops for a debugger: `JUJU_DEBUG_AT`, as Juju's `debug-code --at` sets it
 * (juju/juju 2.9 cmd/juju/commands/debugcode.go: a free value, default `all`, that "the
 * charm interprets") and as ops reads it (canonical/operator ops/framework.py: split on
 * commas; `all` stops at every breakpoint, `hook` before every observer of a Juju event,
 * any other name at `framework.breakpoint(name)`).
 *
 * Here the observers are handlers: `all` and `hook` stop before every handler (and before
 * an action's function), a handler id stops before that handler, and a breakpoint name
 * stops at `ctx.breakpoint(name)`. A stop is a `debugger;` statement: it pauses only
 * while a debugger is attached. When none is (the charm under Juju's own `debug-code`,
 * where nothing starts Node with `--inspect`), the first stop opens the inspector on
 * 127.0.0.1 with a free port, prints its URL on stderr and waits for a debugger to attach.
 */
import { createRequire } from 'node:module';

/**
 * Node's inspector, loaded when a hook first stops, not with the runtime: loading
 * `node:inspector` costs every hook milliseconds, and only a debugged one uses it. Loaded
 * synchronously, so that the `debugger;` statement right after the stop pauses.
 */
function inspector(): typeof import('node:inspector') {
  return createRequire(import.meta.url)('node:inspector') as typeof import('node:inspector');
}

/** Whether Node was started with `--inspect` or `--inspect-brk` (on its command line or in NODE_OPTIONS, Node's own variable). */
function startedWithInspector(): boolean {
  return /(^|\s)--inspect(-brk)?(=|\s|$)/.test(`${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`);
}

/** The names `JUJU_DEBUG_AT` lists (ops' parsing: comma-separated, trimmed, empties dropped). */
export function debugAtOf(value: string | undefined): ReadonlySet<string> {
  return new Set((value ?? '').split(',').map((name) => name.trim()).filter((name) => name !== ''));
}

/** Names `ctx.breakpoint` refuses, as ops does: they mean every stop and every handler. */
const RESERVED = new Set(['all', 'hook']);
// ops' rule for breakpoint names: lowercase letters, digits, inner dashes.
const BREAKPOINT_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/**
 * The hook's stops. `stderr` gets the one-time notice and the inspector's URL; `warn`
 * gets a breakpoint that is not asked for, as ops logs one.
 */
export class DebugStops {
  readonly #at: ReadonlySet<string>;
  readonly #stderr: (text: string) => void;
  readonly #warn: (message: string) => void;
  #welcomed = false;

  constructor(at: ReadonlySet<string>, options: { stderr?: (text: string) => void; warn?: (message: string) => void } = {}) {
    this.#at = at;
    this.#stderr = options.stderr ?? ((text) => void process.stderr.write(text));
    this.#warn = options.warn ?? (() => undefined);
  }

  /** Debugging is on at all (`JUJU_DEBUG_AT` names something). */
  get active(): boolean {
    return this.#at.size > 0;
  }

  /**
   * Whether the hook stops before handler `handlerId` (or the action named so): `all`,
   * `hook`, its id (`probe:configure`), or the id's part after the layer (`configure`).
   */
  stopsBefore(handlerId: string): boolean {
    const short = handlerId.slice(handlerId.lastIndexOf(':') + 1);
    return this.#at.has('all') || this.#at.has('hook') || this.#at.has(handlerId) || this.#at.has(short);
  }

  /** Whether `ctx.breakpoint(name)` stops: `all`, or the name listed (a nameless one only for `all`). */
  stopsAt(name: string | undefined): boolean {
    return this.#at.has('all') || (name !== undefined && this.#at.has(name));
  }

  /** Checks a breakpoint name as ops does. @throws RangeError naming the value and the rule. */
  static checkName(name: unknown): asserts name is string | undefined {
    if (name === undefined) return;
    if (typeof name !== 'string') throw new TypeError(`breakpoint names are strings, got ${typeof name}`);
    if (RESERVED.has(name)) throw new RangeError(`breakpoint name ${JSON.stringify(name)} is reserved: "all" and "hook" are JUJU_DEBUG_AT values, not names; pick another`);
    if (!BREAKPOINT_NAME.test(name)) throw new RangeError(`breakpoint name ${JSON.stringify(name)} is not like "foo" or "foo-bar" (lowercase letters, digits, inner dashes)`);
  }

  /**
   * Pauses before a handler when asked to. The caller calls the handler right after
   * this returns: step out (Shift+F11), then into, to reach it.
   */
  beforeHandler(handlerId: string): void {
    if (!this.stopsBefore(handlerId)) return;
    this.#attach(`before handler ${handlerId}`);
    const handler = handlerId;
    // Paused here: `handler` names the handler about to run.
    debugger;
    void handler;
  }

  /** `ctx.breakpoint(name)`: pauses when asked to, else tells `warn` (ops logs the same). */
  breakpoint(name?: string): void {
    DebugStops.checkName(name);
    if (!this.active) return;
    if (!this.stopsAt(name)) {
      this.#warn(`Breakpoint ${JSON.stringify(name ?? null)} skipped (not in JUJU_DEBUG_AT: ${[...this.#at].join(',')})`);
      return;
    }
    this.#attach(`at breakpoint ${name ?? '(unnamed)'}`);
    // Paused here: step out (Shift+F11) to the line that called ctx.breakpoint().
    debugger;
  }

  #attach(where: string): void {
    if (!this.#welcomed) {
      this.#welcomed = true;
      this.#stderr(`JUJU_DEBUG_AT=${[...this.#at].join(',')}: pausing ${where} when a debugger is attached (Chrome: chrome://inspect; VS Code: attach to the inspector URL)\n`);
    }
    // Node started without --inspect (Juju's debug-code): open the inspector now and wait
    // for a debugger, so that the statement after this pauses. Node prints its URL on stderr.
    // Started with it (charms debug-code's --inspect-brk), the waiting was Node's, once: a
    // debugger that came and went, or the model letting the hook run on without one (its
    // waiting command gone), means run on, not wait again.
    if (startedWithInspector()) return;
    const { url, open } = inspector();
    if (url() === undefined) open(0, '127.0.0.1', true);
  }
}
