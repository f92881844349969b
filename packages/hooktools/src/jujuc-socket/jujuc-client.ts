import type { ToolRun } from '../interpret-failure.js';
import type { ToolCommand } from '../tool-commands.js';
import { GobConnection } from './gob-connection.js';
import { JUJU_HOOK_TOOLS } from './hook-tool-names.js';
import {
  JUJUC_METHOD,
  JUJUC_NO_STDIN,
  JUJUC_REQUEST,
  RPC_REQUEST,
  readExecResponse,
  readRpcHeader,
} from './jujuc-messages.js';
import { socketPath } from './socket-address.js';

/** Where a hook's unit agent serves its tools, and who the hook is, from the hook's environment. */
export interface JujucSocketConfig {
  /** JUJU_AGENT_SOCKET_ADDRESS as Juju wrote it ('@…' is an abstract socket). */
  readonly address: string;
  readonly contextId: string;
  /** JUJU_AGENT_TOKEN (Juju 3), '' when unset, as jujuc sends it. */
  readonly token: string;
}

/**
 * The agent socket `env` names, when a call can go over it: JUJU_AGENT_SOCKET_ADDRESS
 * and JUJU_CONTEXT_ID set, and JUJU_AGENT_SOCKET_NETWORK `unix` or unset. A `tcp`
 * network (TLS to a remote agent, with JUJU_AGENT_CA_CERT) is not spoken here: the
 * tools run as processes then.
 */
export function jujucSocketConfig(env: NodeJS.ProcessEnv): JujucSocketConfig | undefined {
  const address = env.JUJU_AGENT_SOCKET_ADDRESS;
  const contextId = env.JUJU_CONTEXT_ID;
  const network = env.JUJU_AGENT_SOCKET_NETWORK;
  if (!address || !contextId || (network && network !== 'unix')) return undefined;
  return { address, contextId, token: env.JUJU_AGENT_TOKEN ?? '' };
}

/**
 * Makes hook-tool calls as jujuc does, but from this process, over one connection to
 * the unit agent opened on the first call: one net/rpc `Jujuc.Main` call per tool, one
 * call at a time, each giving the {@link ToolRun} the jujuc process would have given.
 *
 * When the socket cannot be reached, fails, closes, or answers something unreadable,
 * that call and every later one say `undefined`: the caller runs the tool as a process,
 * which reaches the agent its own way (or fails as it would have anyway). A call whose
 * connection broke after the request went out may have run on the agent; running it
 * again as a process is the price of never failing a hook the process path would not.
 */
export class JujucClient {
  readonly #config: JujucSocketConfig;
  #connection: Promise<GobConnection | undefined> | undefined;
  #broken = false;
  #seq = 0;
  #line: Promise<unknown> = Promise.resolve();

  constructor(config: JujucSocketConfig) {
    this.#config = config;
  }

  /** Whether `tool` is one the agent serves (any other program is not a hook tool). */
  static serves(tool: string): boolean {
    return JUJU_HOOK_TOOLS.has(tool);
  }

  /**
   * Runs `command` on the agent with `dir` (absolute) as jujuc's working folder.
   * @returns what the tool did, or undefined when the socket is not usable: run it as a process.
   */
  call(command: ToolCommand, dir: string): Promise<ToolRun | undefined> {
    // The agent runs one command at a time; calls go one after another on the connection.
    const result = this.#line.then(() => this.#call(command, dir));
    this.#line = result.catch(() => undefined);
    return result;
  }

  async #call(command: ToolCommand, dir: string): Promise<ToolRun | undefined> {
    if (this.#broken) return undefined;
    const connection = await this.#connect();
    if (!connection || connection.failed) return this.#giveUp(connection);
    connection.socket.ref();
    try {
      let stdin = command.stdin;
      for (;;) {
        const seq = this.#seq;
        this.#seq += 1;
        connection.send(
          [RPC_REQUEST, { ServiceMethod: JUJUC_METHOD, Seq: seq }],
          [
            JUJUC_REQUEST,
            {
              ContextId: this.#config.contextId,
              Dir: dir,
              CommandName: command.tool,
              Args: command.argv,
              StdinSet: stdin !== undefined,
              Stdin: stdin === undefined ? undefined : Buffer.from(stdin, 'utf8'),
              Token: this.#config.token,
            },
          ],
        );
        const header = readRpcHeader(await connection.next());
        const body = await connection.next();
        if (header.seq !== seq) throw new Error(`the agent answered call ${header.seq} to call ${seq}`);
        if (header.error === JUJUC_NO_STDIN && stdin === undefined) {
          // jujuc reads its stdin and asks again; a tool the runtime runs without stdin
          // has /dev/null there, so it would send nothing.
          stdin = '';
          continue;
        }
        if (header.error !== '') {
          // jujuc's exit on an RPC error: cmd.WriteError's `ERROR <text>` and status 1.
          return { tool: command.tool, argv: command.argv, exitCode: 1, stdout: '', stderr: `ERROR ${header.error}\n` };
        }
        const response = readExecResponse(body);
        return {
          tool: command.tool,
          argv: command.argv,
          // jujuc exits with the code; the kernel keeps its low 8 bits.
          exitCode: ((response.code % 256) + 256) % 256,
          stdout: Buffer.from(response.stdout).toString('utf8'),
          stderr: Buffer.from(response.stderr).toString('utf8'),
        };
      }
    } catch {
      return this.#giveUp(connection);
    } finally {
      // Between calls the connection must not keep the hook's process alive.
      if (!this.#broken) connection.socket.unref();
    }
  }

  #giveUp(connection: GobConnection | undefined): undefined {
    this.#broken = true;
    connection?.socket.destroy();
    return undefined;
  }

  #connect(): Promise<GobConnection | undefined> {
    this.#connection ??= (async () => {
      // Loaded on the first call, like node:child_process for processes: a hook may call no tool.
      const { createConnection } = await import('node:net');
      return new Promise<GobConnection | undefined>((resolve) => {
        const socket = createConnection({ path: socketPath(this.#config.address) });
        const failed = () => resolve(undefined);
        socket.once('error', failed);
        socket.once('connect', () => {
          socket.off('error', failed);
          socket.unref();
          resolve(new GobConnection(socket));
        });
      });
    })();
    return this.#connection;
  }
}
