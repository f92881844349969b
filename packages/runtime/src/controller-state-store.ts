import type { HookTools } from '@charms/hooktools';
import type { UnitStateSnapshot, UnitStateStore } from '@charms/reactive';
import { parseState, serializeState } from './state-document.js';
import { StateStoreError } from './state-errors.js';

/** The controller-side key holding the unit state document. */
export const STATE_KEY = 'charms.unit-state';

/** Juju's limit on one controller-side state value (quota.MaxCharmStateValueSize). */
export const MAX_STATE_VALUE_BYTES = 64 * 1024;

/**
 * Unit state kept by the controller through `state-get` / `state-set`, for Kubernetes
 * podspec charms: their hooks run in an operator pod whose disk does not survive a
 * restart. Juju applies `state-set` only when the hook exits 0, so the commit is as
 * atomic as the hook.
 */
export class ControllerStateStore implements UnitStateStore {
  readonly #tools: HookTools;
  /** The text loaded at the start of the hook: an unchanged state is not sent again. */
  #loaded: string | undefined;

  constructor(tools: HookTools) {
    this.#tools = tools;
  }

  get location(): string {
    return `controller state key ${STATE_KEY}`;
  }

  /** @throws StateStoreError `STATE_CORRUPT`; HookToolError when state-get fails. */
  async load(): Promise<UnitStateSnapshot | undefined> {
    const text = (await this.#tools.stateGet())[STATE_KEY];
    this.#loaded = text;
    return text === undefined || text === '' ? undefined : parseState(text, this.location);
  }

  /** @throws StateStoreError `STATE_TOO_LARGE`, `STATE_WRITE_FAILED` (state-set failed). */
  async commit(snapshot: UnitStateSnapshot): Promise<void> {
    const text = serializeState(snapshot);
    if (text === this.#loaded) return;
    const size = Buffer.byteLength(text);
    if (size > MAX_STATE_VALUE_BYTES) {
      throw new StateStoreError(
        'STATE_TOO_LARGE',
        this.location,
        `the unit state is ${size} bytes, more than the ${MAX_STATE_VALUE_BYTES} bytes Juju keeps in one controller state value. ` +
          `Keep large data out of flag values and ctx.kv, or use the file store.`,
      );
    }
    try {
      await this.#tools.stateSet({ [STATE_KEY]: text });
      this.#loaded = text;
    } catch (error) {
      throw new StateStoreError('STATE_WRITE_FAILED', this.location, `state-set failed: ${(error as Error).message}. Nothing was committed.`, {
        cause: error,
      });
    }
  }
}
