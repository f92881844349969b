import type { HookTools } from '@charms/hooktools';
import { HandlerError } from '@charms/reactive';
import type { CharmServices, ToolInterceptor, ToolMethod } from './charm-context.js';
import { charmConfig } from './charm-config.js';
import { debugAtOf, DebugStops } from './debug-at.js';
import { EndpointError } from './endpoint-error.js';
import { HookEndpoints } from './hook-endpoints.js';
import { JujuLogger } from './juju-logger.js';
import { isSecretOption, Redactor } from './redactor.js';
import { noteSettingsSecrets } from './settings-secrets.js';
import type { CharmHookInput } from './run-charm-hook.js';
import { RESTRICTED_HOOKS } from './run-hook.js';
import { SerialTools, ToolLine, type ToolInterceptors } from './serial-tools.js';
import { stdoutLogLine } from './stdout-log-line.js';

/** What a connected hook gives `runHook`: the charm services, the config, the endpoints. */
export interface ConnectedHook {
  readonly services: Omit<CharmServices, 'atexit' | 'layers'>;
  readonly config: Readonly<Record<string, unknown>>;
  readonly endpoints: HookEndpoints;
}

/**
 * One hook's connection to Juju: the tool line every call waits in, the tools handlers
 * get (queued, interceptable) and the direct ones, the `juju-log` logger and the
 * redactor it masks secrets with. It lives from the first log line to the last.
 */
export class HookSession {
  readonly redactor = new Redactor();
  readonly line: ToolLine;
  readonly logger: JujuLogger;
  /**
   * The tools handlers get: queued, and routed to an interceptor where one is registered.
   * Relation data read or set under a secret key goes to the redactor on the way.
   */
  readonly tools: HookTools;
  /** The same tools in the same line, never intercepted. */
  readonly directTools: HookTools;
  /** Where the hook pauses for a debugger (`JUJU_DEBUG_AT`). */
  readonly debug: DebugStops;
  readonly #interceptors: ToolInterceptors = new Map();
  readonly #input: CharmHookInput;

  constructor(input: CharmHookInput) {
    this.#input = input;
    // Held-back flag changes are logged before whatever is queued after them.
    this.line = new ToolLine({ beforeEnqueue: () => this.logger.flushFlagChanges() });
    // The logger queues its own calls on the line, so it calls the tools themselves.
    const stdout = input.debugToStdout ? stdoutLogLine(input.juju.relationId) : undefined;
    this.logger = new JujuLogger(this.line, input.tools, this.redactor, stdout);
    // Outside the queue and the interceptors, so that whatever answers a relation-get
    // (Juju, or an interceptor) is noted before the caller can log it.
    const noteSecrets = (settings: Readonly<Record<string, unknown>>) => this.redactor.addSettings(settings);
    this.tools = noteSettingsSecrets(new SerialTools(input.tools, this.line, this.#interceptors), noteSecrets);
    this.directTools = noteSettingsSecrets(new SerialTools(input.tools, this.line), noteSecrets);
    this.debug = new DebugStops(debugAtOf(input.debugAt), { warn: (message) => void this.logger.log(message, 'WARNING') });
  }

  /**
   * Logs the start of the hook, reads the config (not in restricted hooks, where Juju
   * forbids `config-get`) and makes the services every handler context carries.
   * @throws HookToolError when `config-get` fails.
   */
  async connect(): Promise<ConnectedHook> {
    const input = this.#input;
    const { juju } = input;
    const restricted = RESTRICTED_HOOKS.has(juju.hookName);
    // An action runs no reactive dispatch (run-charm-action.ts), so its first line says so.
    const start = juju.kind === 'action' ? `Running action ${juju.hookName} (no reactive dispatch)` : `Reactive main running for hook ${juju.hookName}`;
    void this.logger.log(start, 'INFO');
    if (restricted) void this.logger.log('Restricted mode.', 'INFO');

    const checked = charmConfig(restricted ? {} : await this.tools.configGet(), input.configYaml);
    const config = checked.config;
    for (const mismatch of checked.mismatches) void this.logger.log(`config: ${mismatch}`, 'WARNING');
    for (const [name, spec] of Object.entries(input.configYaml?.options ?? {})) {
      if (isSecretOption(name, spec.type)) this.redactor.add(config[name]);
    }

    const { requires, provides, peers } = input.metadata;
    const endpoints = new HookEndpoints({ tools: this.tools, hook: juju, metadata: { requires, provides, peers } });
    const layerOptions = input.layerYaml?.options ?? {};
    const services: ConnectedHook['services'] = {
      tools: this.tools,
      juju,
      metadata: input.metadata,
      config,
      secret: (value) => this.redactor.add(value),
      log: (message, level) => this.logger.log(message, level),
      layerOptions: (layer) => Object.freeze({ ...(layerOptions[layer] ?? {}) }),
      endpoint: (name) => {
        const endpoint = endpoints.instance(name);
        if (!endpoint) {
          throw new EndpointError(
            'UNKNOWN_ENDPOINT',
            `no endpoint '${name}' in metadata.yaml; it has: ${endpoints.names().join(', ') || 'none'}. Declare it under provides, requires or peers, or use one of those names.`,
          );
        }
        return endpoint;
      },
      interceptTool: (method, handler) => void this.#interceptors.set(method, handler as unknown as ToolInterceptor<ToolMethod>),
      directTools: this.directTools,
      breakpoint: (name) => this.debug.breakpoint(name),
    };
    return { services, config, endpoints };
  }

  /**
   * Reports a failed hook: `Hook error: <where>: <detail>` (`Action error: …` in an action) at ERROR through juju-log
   * (naming the handler), on stderr too when the input asks, secrets masked. Returns
   * once every queued call has finished.
   */
  async fail(error: unknown, where: string): Promise<void> {
    const detail = error instanceof HandlerError ? describeHandlerError(error) : String((error as Error)?.stack ?? error);
    this.logger.flushFlagChanges();
    const kind = this.#input.juju.kind === 'action' ? 'Action' : 'Hook';
    await this.logger.log(`${kind} error: ${where}: ${detail}`, 'ERROR');
    if (this.#input.printErrors) process.stderr.write(`${this.redactor.redact(`${where}: ${detail}`)}\n`);
    await this.line.drain();
  }

  /** Ends a successful hook: the last flag changes logged, every queued call finished. */
  async end(): Promise<void> {
    this.logger.flushFlagChanges();
    await this.line.drain();
  }
}

function describeHandlerError(error: HandlerError): string {
  const cause = error.cause as Error | undefined;
  return `handler ${error.handlerId} failed: ${cause?.stack ?? String(cause)}`;
}
