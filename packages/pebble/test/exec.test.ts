import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { ChangeError, Pebble, PebbleError } from '@charms/pebble';
import { FakePebble, async, change, error, sync } from './fixtures/fake-pebble.js';

/**
 * The exec side of the fake: the three task websockets of Pebble's cmdstate, speaking
 * internals/wsutil/wsutil.go's framing (binary data, then a `{"command":"end"}` text
 * barrier). Once stdin ends, the "command" runs: its output goes out on stdio and
 * stderr, and the change becomes ready with the task's exit-code.
 */
interface Outcome {
  readonly stdout?: string | Buffer;
  readonly stderr?: string;
  readonly exitCode?: number;
  /** The change's err: the exec ends in Error instead of with an exit code. */
  readonly err?: string;
}

let fake: FakePebble;
let pebble: Pebble;
let websocketOrder: string[];

function serveExec(run: (command: string[], stdin: Buffer) => Outcome): void {
  websocketOrder = [];
  let finished: (outcome: Outcome) => void = () => undefined;
  const done = new Promise<Outcome>((resolve) => (finished = resolve));
  const sockets = new Map<string, WebSocket>();
  let command: string[] = [];
  fake.on('POST', '/v1/exec', (request) => {
    command = (request.json as { command: string[] }).command;
    return async('20', { 'task-id': 'T20', environment: {}, 'working-dir': '/' });
  });
  fake.onWebsocket = (taskId, id, socket) => {
    expect(taskId).toBe('T20');
    websocketOrder.push(id);
    sockets.set(id, socket);
    if (id !== 'stdio') return;
    const stdin: Buffer[] = [];
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) return void stdin.push(Buffer.from(data));
      if (JSON.parse(data.toString()).command !== 'end') return;
      const outcome = run(command, Buffer.concat(stdin));
      const stderrSocket = sockets.get('stderr')!;
      // Output in two messages, to show the client joins them.
      const out = Buffer.from(outcome.stdout ?? '');
      if (out.length > 0) {
        socket.send(out.subarray(0, 1), { binary: true });
        socket.send(out.subarray(1), { binary: true });
      }
      if (outcome.stderr) stderrSocket.send(Buffer.from(outcome.stderr), { binary: true });
      socket.send('{"command":"end"}', { binary: false });
      stderrSocket.send('{"command":"end"}', { binary: false });
      finished(outcome);
    });
  };
  fake.on('GET', '/v1/changes/20/wait', async () => {
    const outcome = await done;
    const task = {
      id: 'T20',
      kind: 'exec',
      summary: 'Execute command',
      status: outcome.err === undefined ? 'Done' : 'Error',
      log: outcome.err === undefined ? [] : [`2026-12-05T08:00:01Z ERROR ${outcome.err}`],
      progress: { label: '', done: 1, total: 1 },
      'spawn-time': '2026-12-05T08:00:00Z',
      data: outcome.err === undefined ? { 'exit-code': outcome.exitCode ?? 0 } : {},
    };
    return sync(change('20', outcome.err === undefined ? 'Done' : 'Error', { kind: 'exec', tasks: [task], ...(outcome.err === undefined ? {} : { err: `cannot perform the following tasks:\n- Execute command (${outcome.err})` }) }));
  });
}

beforeEach(async () => {
  fake = await FakePebble.start();
  pebble = new Pebble({ socketPath: fake.socketPath });
});
afterEach(async () => {
  await fake.close();
});

describe('exec over the task websockets (client/exec.go, ops Client.exec)', () => {
  it("runs echo: exec(['echo', 'hi']) gives { stdout: 'hi\\n', stderr: '', exitCode: 0 }", async () => {
    serveExec((command) => ({ stdout: `${command.slice(1).join(' ')}\n` }));
    expect(await pebble.exec(['echo', 'hi'])).toEqual({ stdout: 'hi\n', stderr: '', exitCode: 0 });
    // The payload of api_exec.go execPayload, empty fields left out; stderr on its own websocket.
    expect(fake.requestsTo('/v1/exec')[0]!.json).toEqual({ command: ['echo', 'hi'], 'split-stderr': true });
    expect(websocketOrder).toEqual(['control', 'stdio', 'stderr']);
    // No command timeout: the wait has none either.
    expect(fake.requestsTo('/v1/changes/20/wait')[0]!.query).toEqual({});
  });

  it('sends stdin then the end barrier, and passes environment, working dir, user and timeout', async () => {
    serveExec((_command, stdin) => ({ stdout: stdin }));
    const input = `${'x'.repeat(200_000)}\nlast line é\n`;
    const result = await pebble.exec(['cat'], { stdin: input, environment: { A: '1' }, workingDir: '/data', timeoutMs: 5000, user: 'minio', groupId: 1000 });
    expect(result).toEqual({ stdout: input, stderr: '', exitCode: 0 });
    expect(fake.requestsTo('/v1/exec')[0]!.json).toEqual({
      command: ['cat'],
      'split-stderr': true,
      environment: { A: '1' },
      'working-dir': '/data',
      timeout: '5000ms',
      user: 'minio',
      'group-id': 1000,
    });
    // A second more than the command's timeout, so Pebble's own timeout ends it first (ops ExecProcess._wait).
    expect(fake.requestsTo('/v1/changes/20/wait')[0]!.query).toEqual({ timeout: ['6000ms'] });
  });

  it('returns a non-zero exit code with what the command wrote on stderr, without throwing', async () => {
    serveExec(() => ({ stdout: 'partial', stderr: 'boom\n', exitCode: 3 }));
    expect(await pebble.exec(['false'])).toEqual({ stdout: 'partial', stderr: 'boom\n', exitCode: 3 });
  });

  it('throws a ChangeError with the task log when the exec change ends in Error (its timeout passed)', async () => {
    serveExec(() => ({ err: 'timed out after 1s: context deadline exceeded' }));
    const failure = await pebble.exec(['sleep', '10'], { timeoutMs: 1000 }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ChangeError);
    expect((failure as ChangeError).taskLog).toEqual(['2026-12-05T08:00:01Z ERROR timed out after 1s: context deadline exceeded']);
  });

  it("turns Pebble's refusal of the command into a PebbleError (api_exec.go: cannot find executable)", async () => {
    fake.on('POST', '/v1/exec', () => error(400, 'cannot find executable "nope"'));
    await expect(pebble.exec(['nope'])).rejects.toMatchObject({ code: 'PEBBLE_API_ERROR', statusCode: 400, message: expect.stringContaining('cannot find executable "nope"') });
  });

  it('reads a refused websocket handshake as the error Pebble sent', async () => {
    fake.on('POST', '/v1/exec', () => async('21', { 'task-id': 'T21' }));
    fake.onWebsocket = undefined;
    const failure = await pebble.exec(['echo']).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(PebbleError);
    expect(failure).toMatchObject({ statusCode: 404, message: expect.stringContaining('cannot find task') });
  });

  it('refuses an empty command before sending anything', async () => {
    await expect(pebble.exec([])).rejects.toMatchObject({ code: 'PEBBLE_USAGE' });
    expect(fake.requests).toEqual([]);
  });
});
