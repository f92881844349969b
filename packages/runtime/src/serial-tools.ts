import type { HookTools } from '@charms/hooktools';
import type { ToolInterceptor, ToolMethod } from './charm-context.js';

/** Options for {@link ToolLine}. */
export interface ToolLineOptions {
  /**
   * Called before each task is queued, and so before any tool call or log line takes
   * its place. The logger passes its flush of held-back flag changes here, so that the
   * changes are logged before whatever follows them.
   */
  readonly beforeEnqueue?: () => void;
}

/**
 * The one line that a hook's tool calls and log lines wait in: each runs after the
 * previous one finished, in the order they were made, as Juju's tool server runs them.
 * Log lines therefore land between tool calls exactly where the events happened.
 */
export class ToolLine {
  #tail: Promise<unknown> = Promise.resolve();
  readonly #beforeEnqueue: () => void;

  constructor(options: ToolLineOptions = {}) {
    this.#beforeEnqueue = options.beforeEnqueue ?? (() => undefined);
  }

  /** Runs `task` after everything queued before it; its failure does not stop later tasks. */
  enqueue<T>(task: () => Promise<T>): Promise<T> {
    this.#beforeEnqueue();
    const result = this.#tail.then(task, task);
    this.#tail = result.catch(() => undefined);
    return result;
  }

  /** Resolves once everything queued so far has finished. */
  async drain(): Promise<void> {
    await this.#tail;
  }
}

/** Interceptors by method, as `CharmServices.interceptTool` registers them. */
export type ToolInterceptors = Map<ToolMethod, ToolInterceptor<ToolMethod>>;

/**
 * Hook tools whose calls wait in a {@link ToolLine}. With `interceptors`, a call of an
 * intercepted method goes to its interceptor instead, which gets the queued tool to
 * reach Juju itself; without, this is the runtime's `directTools`.
 */
export class SerialTools implements HookTools {
  readonly #inner: HookTools;
  readonly #line: ToolLine;
  readonly #interceptors: ToolInterceptors | undefined;

  constructor(inner: HookTools, line: ToolLine, interceptors?: ToolInterceptors) {
    this.#inner = inner;
    this.#line = line;
    this.#interceptors = interceptors;
  }

  statusSet(...args: Parameters<HookTools['statusSet']>) { return this.#call('statusSet', args); }
  statusGet(...args: Parameters<HookTools['statusGet']>) { return this.#call('statusGet', args); }
  applicationVersionSet(...args: Parameters<HookTools['applicationVersionSet']>) { return this.#call('applicationVersionSet', args); }
  configGet() { return this.#call('configGet', []); }
  isLeader() { return this.#call('isLeader', []); }
  leaderGet() { return this.#call('leaderGet', []); }
  leaderSet(...args: Parameters<HookTools['leaderSet']>) { return this.#call('leaderSet', args); }
  relationIds(...args: Parameters<HookTools['relationIds']>) { return this.#call('relationIds', args); }
  relationList(...args: Parameters<HookTools['relationList']>) { return this.#call('relationList', args); }
  relationRemoteApp(...args: Parameters<HookTools['relationRemoteApp']>) { return this.#call('relationRemoteApp', args); }
  relationGet(...args: Parameters<HookTools['relationGet']>) { return this.#call('relationGet', args); }
  relationSet(...args: Parameters<HookTools['relationSet']>) { return this.#call('relationSet', args); }
  resourceGet(...args: Parameters<HookTools['resourceGet']>) { return this.#call('resourceGet', args); }
  podSpecSet(...args: Parameters<HookTools['podSpecSet']>) { return this.#call('podSpecSet', args); }
  k8sSpecSet(...args: Parameters<HookTools['k8sSpecSet']>) { return this.#call('k8sSpecSet', args); }
  k8sRawSet(...args: Parameters<HookTools['k8sRawSet']>) { return this.#call('k8sRawSet', args); }
  openPort(...args: Parameters<HookTools['openPort']>) { return this.#call('openPort', args); }
  closePort(...args: Parameters<HookTools['closePort']>) { return this.#call('closePort', args); }
  openedPorts() { return this.#call('openedPorts', []); }
  networkGet(...args: Parameters<HookTools['networkGet']>) { return this.#call('networkGet', args); }
  unitGet(...args: Parameters<HookTools['unitGet']>) { return this.#call('unitGet', args); }
  actionGet() { return this.#call('actionGet', []); }
  actionSet(...args: Parameters<HookTools['actionSet']>) { return this.#call('actionSet', args); }
  actionFail(...args: Parameters<HookTools['actionFail']>) { return this.#call('actionFail', args); }
  actionLog(...args: Parameters<HookTools['actionLog']>) { return this.#call('actionLog', args); }
  stateGet() { return this.#call('stateGet', []); }
  stateSet(...args: Parameters<HookTools['stateSet']>) { return this.#call('stateSet', args); }
  stateDelete(...args: Parameters<HookTools['stateDelete']>) { return this.#call('stateDelete', args); }
  goalState() { return this.#call('goalState', []); }
  storageGet(...args: Parameters<HookTools['storageGet']>) { return this.#call('storageGet', args); }
  storageList(...args: Parameters<HookTools['storageList']>) { return this.#call('storageList', args); }
  storageAdd(...args: Parameters<HookTools['storageAdd']>) { return this.#call('storageAdd', args); }
  jujuLog(...args: Parameters<HookTools['jujuLog']>) { return this.#call('jujuLog', args); }

  #call<M extends ToolMethod>(method: M, args: Parameters<HookTools[M]>): ReturnType<HookTools[M]> {
    // One cast for all methods: TypeScript cannot relate a method picked by a generic
    // key to its own parameter list.
    const queued = ((...callArgs: unknown[]) =>
      this.#line.enqueue(() => (this.#inner[method] as (...a: unknown[]) => Promise<unknown>).apply(this.#inner, callArgs))) as HookTools[M];
    const interceptor = this.#interceptors?.get(method) as ToolInterceptor<M> | undefined;
    if (interceptor) return interceptor(args, queued);
    return (queued as (...a: unknown[]) => ReturnType<HookTools[M]>)(...args);
  }
}
