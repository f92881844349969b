import { writeFileSync } from 'node:fs';
import type { HookContext, HookTools } from '@charms/hooktools';
import type { CharmConfigYaml, CharmMetadata, LayerYaml } from '@charms/manifest';
import { HandlerError, type Reactor, type UnitStateStore } from '@charms/reactive';
import type { CharmServices } from './charm-context.js';
import { charmConfig } from './charm-config.js';
import { HookEndpoints } from './hook-endpoints.js';
import { recordTrace, type HookTraceRecord } from './hook-trace.js';
import { JujuLogger } from './juju-logger.js';
import { isSecretOption, Redactor } from './redactor.js';
import { EndpointError } from './endpoint-error.js';
import { RESTRICTED_HOOKS, runHook, type HookOutcome } from './run-hook.js';
import { SerialTools } from './serial-tools.js';

/** Everything one hook of a charm needs, already read: no environment, no files. */
export interface CharmHookInput {
  readonly juju: HookContext;
  /** The hook tools to reach Juju (real ones, the local model's, or `MemoryHookTools`). */
  readonly tools: HookTools;
  /**
   * Where unit state lives, or a function that makes the store from the hook tools it
   * should use (so that `state-get`/`state-set` keep their place among the other calls).
   */
  readonly store: UnitStateStore | ((tools: HookTools) => UnitStateStore);
  readonly charm: Reactor | (() => Reactor);
  readonly metadata: CharmMetadata;
  readonly configYaml?: CharmConfigYaml;
  /** The built charm's layer.yaml (for layer options). */
  readonly layerYaml?: LayerYaml;
  /** Also print a failure on stderr (a hook process does, for Juju's log; in-process runs need not). */
  readonly printErrors?: boolean;
  /** Write the hook's trace (for `charms explain`) to this file. */
  readonly traceFile?: string;
}

/** What happened, and the exit code for Juju. */
export interface CharmHookResult {
  readonly exitCode: number;
  readonly outcome?: HookOutcome;
}

/**
 * Runs one hook of a charm against given inputs: config from the tools, the charm
 * services on every context, endpoint flags, logging through `juju-log` with secrets
 * redacted, and `runHook`. This is `main()` without the reading of the environment and
 * the charm's files, so tests of layers and charms can run hooks in-process. (The local
 * model runs the built charm's `dispatch` as a child process, as Juju does.)
 */
export async function runCharmHook(input: CharmHookInput): Promise<CharmHookResult> {
  const { juju } = input;
  const redactor = new Redactor();
  const serial = new SerialTools(input.tools);
  const tools = serial.tools;
  // The logger queues its own calls on `serial`, so it calls the tools directly.
  const logger = new JujuLogger(serial, input.tools, redactor);
  const restricted = RESTRICTED_HOOKS.has(juju.hookName);

  const report = async (error: unknown, where: string): Promise<number> => {
    const detail = error instanceof HandlerError ? describeHandlerError(error) : String((error as Error)?.stack ?? error);
    logger.flushFlagChanges();
    await logger.log(`Hook error: ${where}: ${detail}`, 'ERROR');
    if (input.printErrors) process.stderr.write(`${redactor.redact(`${where}: ${detail}`)}\n`);
    await serial.drain();
    return 1;
  };

  void logger.log(`Reactive main running for hook ${juju.hookName}`, 'INFO');
  if (restricted) void logger.log('Restricted mode.', 'INFO');

  let config: Readonly<Record<string, unknown>>;
  try {
    // Juju allows almost no tools in restricted hooks, and the config flags are not managed there.
    const checked = charmConfig(restricted ? {} : await tools.configGet(), input.configYaml);
    config = checked.config;
    for (const mismatch of checked.mismatches) void logger.log(`config: ${mismatch}`, 'WARNING');
  } catch (error) {
    return { exitCode: await report(error, `cannot start hook ${juju.hookName}`) };
  }
  for (const [name, spec] of Object.entries(input.configYaml?.options ?? {})) {
    if (isSecretOption(name, spec.type)) redactor.add(config[name]);
  }

  const { requires, provides, peers } = input.metadata;
  const hookEndpoints = new HookEndpoints({ tools, hook: juju, metadata: { requires, provides, peers } });
  const layerOptions = input.layerYaml?.options ?? {};
  const services: Omit<CharmServices, 'atexit' | 'layers'> = {
    tools,
    juju,
    metadata: input.metadata,
    config,
    secret: (value) => redactor.add(value),
    log: (message, level) => logger.log(message, level),
    layerOptions: (layer) => Object.freeze({ ...(layerOptions[layer] ?? {}) }),
    endpoint: (name) => {
      const endpoint = hookEndpoints.instance(name);
      if (!endpoint) {
        throw new EndpointError(
          'UNKNOWN_ENDPOINT',
          `no endpoint '${name}' in metadata.yaml; it has: ${hookEndpoints.names().join(', ') || 'none'}. Declare it under provides, requires or peers, or use one of those names.`,
        );
      }
      return endpoint;
    },
    interceptTool: (method, handler) => serial.intercept(method, handler),
    directTools: serial.direct,
  };

  let trace: HookTraceRecord | undefined;
  const outcome = await runHook({
    hookName: juju.hookName,
    store: typeof input.store === 'function' ? input.store(tools) : input.store,
    charm: input.charm,
    config,
    configOptions: input.configYaml?.options,
    metadata: { requires, provides, peers },
    services,
    endpoints: hookEndpoints,
    observe: (events, start) => {
      logger.follow(events);
      if (input.traceFile) trace = recordTrace(events, start, juju.hookName, juju.unitName);
    },
  });
  if (trace && input.traceFile) {
    trace.outcome = { ok: outcome.ok, stage: outcome.stage, ...(outcome.ok ? {} : { error: redactor.redact(String((outcome.error as Error)?.message ?? outcome.error)) }) };
    writeFileSync(input.traceFile, `${JSON.stringify(trace)}\n`);
  }

  if (!outcome.ok) {
    await report(outcome.error, `hook ${juju.hookName} failed (${outcome.stage})`);
    return { exitCode: outcome.exitCode || 1, outcome };
  }
  logger.flushFlagChanges();
  await serial.drain();
  return { exitCode: outcome.exitCode, outcome };
}

function describeHandlerError(error: HandlerError): string {
  const cause = error.cause as Error | undefined;
  return `handler ${error.handlerId} failed: ${cause?.stack ?? String(cause)}`;
}
