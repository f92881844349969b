import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { buildCharm } from '@charms/build';
import { createModel, type LocalModel, type ModelRecord } from '@charms/model';
import { requestDebug, waitForEnd, waitForSession } from '@charms/model/internal';

// Issue 18: charms debug-code on the local model, driven through the inspector protocol
// as Chrome DevTools or VS Code would drive it. Juju 2.9's debug-code sets JUJU_DEBUG_AT
// for the hook (cmd/juju/commands/debugcode.go, --at, default all); the runtime pauses as
// ops' framework does (ops/framework.py: breakpoint(name) stops for all or its name).
// And charms replay: a failed hook replayed after a fixed build succeeds (jhack replay).

const fixture = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'debug-charm');
const TIMEOUT = 240_000;
const models: LocalModel[] = [];
afterAll(() => Promise.all(models.map((m) => m.destroy())), TIMEOUT);

async function deployed(source = fixture): Promise<LocalModel> {
  const built = join(mkdtempSync(join(tmpdir(), 'charms-debug-built-')), 'probe');
  await buildCharm({ charmDir: source, outDir: built });
  const model = await createModel({ automaticallyRetryHooks: false });
  models.push(model);
  await model.deploy(built);
  return model;
}

/** A Chrome DevTools Protocol session over the inspector's WebSocket. */
class Inspector {
  readonly #socket: WebSocket;
  #id = 0;
  readonly #answers = new Map<number, (message: { result?: unknown; error?: unknown }) => void>();
  readonly #pauses: { reason: string; callFrames: { callFrameId: string; functionName: string }[] }[] = [];
  #onPause: (() => void) | undefined;

  private constructor(socket: WebSocket) {
    this.#socket = socket;
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { id?: number; method?: string; params: { reason: string; callFrames: { callFrameId: string; functionName: string }[] }; result?: unknown; error?: unknown };
      if (message.id !== undefined) this.#answers.get(message.id)?.(message);
      if (message.method === 'Debugger.paused') {
        this.#pauses.push(message.params);
        this.#onPause?.();
      }
    });
  }

  static async connect(url: string): Promise<Inspector> {
    const socket = new WebSocket(url);
    await new Promise((opened, failed) => socket.once('open', opened).once('error', failed));
    return new Inspector(socket);
  }

  send(method: string, params: object = {}): Promise<{ result?: unknown; error?: unknown }> {
    const id = ++this.#id;
    return new Promise((answer) => {
      this.#answers.set(id, answer);
      this.#socket.send(JSON.stringify({ id, method, params }));
    });
  }

  /** The next pause (waits for it). */
  async paused(): Promise<{ reason: string; callFrames: { callFrameId: string; functionName: string }[] }> {
    while (this.#pauses.length === 0) await new Promise<void>((woken) => (this.#onPause = woken));
    return this.#pauses.shift()!;
  }

  /** An expression's value in a paused call frame. */
  async evaluate(callFrameId: string, expression: string): Promise<unknown> {
    const answer = (await this.send('Debugger.evaluateOnCallFrame', { callFrameId, expression, returnByValue: true })) as { result: { result: { value: unknown } } };
    return answer.result.result.value;
  }

  close(): void {
    this.#socket.close();
  }
}

describe('charms debug-code on the local model', () => {
  it('runs the next hook under node --inspect-brk with JUJU_DEBUG_AT; it pauses before the named handler and at the named breakpoint only, then completes and commits', async () => {
    const model = await deployed();
    requestDebug(model.dir, { kind: 'code', unit: 'probe/0', names: ['config-changed'], at: 'configure,probe' });
    // update-status is not the hook asked for: it runs as usual, with no inspector.
    await model.run('probe/0', 'update-status');
    const config = model.setConfig('probe', { mode: 'inspected' });

    const session = await waitForSession(model.dir, 'probe/0');
    expect(session).toMatchObject({ kind: 'code', unit: 'probe/0', hook: 'config-changed', url: expect.stringMatching(/^ws:\/\/127\.0\.0\.1:\d+\/[0-9a-f-]+$/) });
    const inspector = await Inspector.connect(session!.url!);
    try {
      await inspector.send('Runtime.enable');
      await inspector.send('Debugger.enable');
      await inspector.send('Runtime.runIfWaitingForDebugger');

      // --inspect-brk: the first stop is the bundle's first line.
      const start = await inspector.paused();
      expect(start.reason).toBe('Break on start');
      await inspector.send('Debugger.resume');

      // The runtime's stop right before `configure` is called, with JUJU_DEBUG_AT as Juju sets it.
      const before = await inspector.paused();
      expect(before.callFrames[0]!.functionName).toBe('beforeHandler');
      expect(await inspector.evaluate(before.callFrames[0]!.callFrameId, 'handler')).toBe('probe:configure');
      expect(await inspector.evaluate(before.callFrames[0]!.callFrameId, 'process.env.JUJU_DEBUG_AT')).toBe('configure,probe');
      // Nothing of the handler has run yet: no status set in this hook. (Read from the
      // model's file: the LocalModel object is busy running the hook.)
      const saved = JSON.parse(readFileSync(join(model.dir, 'model.json'), 'utf8')) as ModelRecord;
      expect(saved.apps.probe!.units[0]!.workload.message).toBe('mode good');
      await inspector.send('Debugger.resume');

      // ctx.breakpoint('probe') stops, in the handler's frame one up; 'skipped' does not.
      const breakpoint = await inspector.paused();
      expect(breakpoint.callFrames.map((frame) => frame.functionName).slice(0, 2)).toEqual(['breakpoint', 'breakpoint']);
      const handlerFrame = breakpoint.callFrames.find((frame) => frame.functionName === 'configure')!;
      expect(await inspector.evaluate(handlerFrame.callFrameId, 'mode')).toBe('inspected');
      await inspector.send('Debugger.resume');
    } finally {
      // Node keeps a finished process until its debugger detaches, as DevTools does when closed.
      inspector.close();
    }
    const reports = await config;
    expect(reports).toEqual([expect.objectContaining({ unit: 'probe/0', hook: 'config-changed', ok: true })]);
    expect(await waitForEnd(model.dir, 'probe/0')).toBe(0);
    // Committed: the status the handler set after its breakpoints, and the skipped one logged.
    expect(model.snapshot().apps.probe!.units[0]!.workload).toMatchObject({ status: 'active', message: 'mode inspected' });
    expect(model.log('probe/0').map((entry) => entry.message)).toContainEqual(expect.stringContaining('Breakpoint "skipped" skipped (not in JUJU_DEBUG_AT: configure,probe)'));
    // The request served one hook: the next runs without the inspector.
    await model.run('probe/0', 'update-status');
    expect(model.log('probe/0').filter((entry) => entry.message.includes('Debugger listening'))).toHaveLength(1);
  }, TIMEOUT);
});

describe('the same build under Juju\'s debug-code', () => {
  it('opens the inspector on 127.0.0.1 at the first stop when Node runs without --inspect, waits for a debugger, then pauses there', async () => {
    const script = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'juju-debug-code.mts');
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', script], { env: { ...process.env, JUJU_DEBUG_AT: 'configure' } });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    const ended = new Promise((done) => child.on('close', done));
    const url = await new Promise<string>((found) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString('utf8');
        const match = /Debugger listening on (ws:\/\/127\.0\.0\.1:\d+\/\S+)/.exec(stderr);
        if (match) found(match[1]!);
      });
    });
    expect(stderr).toContain('JUJU_DEBUG_AT=configure: pausing before handler probe:configure');
    // Waiting for a debugger: the handler has not run.
    expect(stdout).toBe('');
    const inspector = await Inspector.connect(url);
    try {
      await inspector.send('Runtime.enable');
      await inspector.send('Debugger.enable');
      await inspector.send('Runtime.runIfWaitingForDebugger');
      const stop = await inspector.paused();
      expect(stop.callFrames[0]!.functionName).toBe('beforeHandler');
      expect(await inspector.evaluate(stop.callFrames[0]!.callFrameId, 'handler')).toBe('probe:configure');
      await inspector.send('Debugger.resume');
    } finally {
      inspector.close();
    }
    await ended;
    expect(stdout).toBe('handler runs\n');
  }, TIMEOUT);
});

describe('charms replay on the local model', () => {
  it('runs a failed hook again after a fixed build, with the config it saw then, and commits', async () => {
    const model = await deployed();
    await model.setConfig('probe', { mode: 'bad' });
    const hooks = model.hooks('probe/0');
    const failed = hooks.length - 1;
    expect(hooks[failed]!.hook).toBe('config-changed');
    expect(model.snapshot().apps.probe!.units[0]!.agent.message).toBe('hook failed: "config-changed"');
    // Skip it and move on: the config is good again, so today's config-changed passes.
    await model.resolve('probe/0', { retry: false });
    await model.setConfig('probe', { mode: 'good' });

    // The same build fails again on replay: the recorded config (mode bad) is what it reads.
    await expect(model.replay('probe/0', failed)).resolves.toEqual([expect.objectContaining({ hook: 'config-changed', ok: false })]);
    await model.resolve('probe/0', { retry: false });

    // The fix, as a new build.
    const source = mkdtempSync(join(tmpdir(), 'charms-debug-fixed-'));
    cpSync(fixture, source, { recursive: true });
    const handlers = join(source, 'reactive', 'probe.ts');
    writeFileSync(handlers, readFileSync(handlers, 'utf8').replace(/^.*\/\/ BUG:.*$/m, ''));
    const built = join(mkdtempSync(join(tmpdir(), 'charms-debug-built-')), 'probe');
    await buildCharm({ charmDir: source, outDir: built });
    await model.upgrade('probe', built);

    const replayed = await model.replay('probe/0', failed);
    expect(replayed).toEqual([expect.objectContaining({ unit: 'probe/0', hook: 'config-changed', ok: true })]);
    // It read the recorded config, and its status is committed; the live config is untouched.
    expect(model.snapshot().apps.probe!.units[0]!.workload).toMatchObject({ status: 'active', message: 'mode bad' });
    expect(model.config('probe').mode).toBe('good');
    // It is a hook of its own, numbered after the others.
    expect(model.hooks('probe/0').at(-1)!.hook).toBe('config-changed');
  }, TIMEOUT);

  it('refuses an index the unit has no hook for, naming the range', async () => {
    const model = await deployed();
    const count = model.hooks('probe/0').length;
    await expect(model.replay('probe/0', count)).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining(`0 to ${count - 1}`) });
  }, TIMEOUT);
});
