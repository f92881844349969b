import type { HookTools } from '@charms/hooktools';
import type { ToolInterceptor, ToolMethod } from './charm-context.js';

/**
 * Wraps hook tools so that calls run one at a time, in the order they were made, as
 * Juju's tool server does. The logger queues `juju-log` calls on the same line, so log
 * lines land between tool calls exactly where the events happened.
 */
export class SerialTools {
  readonly tools: HookTools;
  /** The same tools, serialised but never intercepted. */
  readonly direct: HookTools;
  #tail: Promise<unknown> = Promise.resolve();
  readonly #interceptors = new Map<string, ToolInterceptor<ToolMethod>>();
  /** Called before each task is queued (the logger uses it to queue what it holds back). */
  beforeEnqueue: () => void = () => undefined;

  constructor(inner: HookTools) {
    this.direct = new Proxy(inner, {
      get: (target, property, receiver) => {
        const value = Reflect.get(target, property, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => this.enqueue(() => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args));
      },
    });
    this.tools = new Proxy(this.direct, {
      get: (target, property, receiver) => {
        const value = Reflect.get(target, property, receiver) as unknown;
        const interceptor = typeof property === 'string' ? this.#interceptors.get(property) : undefined;
        if (typeof value !== 'function' || !interceptor) return value;
        return (...args: unknown[]) => (interceptor as (a: unknown[], d: unknown) => unknown)(args, value);
      },
    });
  }

  /** Routes calls of `method` made through `tools` to `handler`. */
  intercept<M extends ToolMethod>(method: M, handler: ToolInterceptor<M>): void {
    this.#interceptors.set(method, handler as unknown as ToolInterceptor<ToolMethod>);
  }

  /** Runs `task` after everything queued before it; its failure does not stop later tasks. */
  enqueue<T>(task: () => Promise<T>): Promise<T> {
    this.beforeEnqueue();
    const result = this.#tail.then(task, task);
    this.#tail = result.catch(() => undefined);
    return result;
  }

  /** Resolves once everything queued so far has finished. */
  async drain(): Promise<void> {
    await this.#tail;
  }
}
