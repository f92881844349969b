import { describe, expect, it } from 'vitest';
import { MemoryHookTools } from '@charms/hooktools';
import { SerialTools, ToolLine, type ToolInterceptors } from '../src/serial-tools.js';

// The runtime's wrapper of the hook tools: one line that every call waits in, as Juju's
// tool server runs them, and interceptors that layer-status hangs on statusSet.

describe('SerialTools', () => {
  it('runs calls one at a time, in the order they were made, even when the first is slow', async () => {
    const inner = new MemoryHookTools({ config: { port: 80 } });
    const finished: string[] = [];
    const slowConfigGet = inner.configGet.bind(inner);
    inner.configGet = async () => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      finished.push('config-get');
      return slowConfigGet();
    };
    const tools = new SerialTools(inner, new ToolLine());
    await Promise.all([tools.configGet(), tools.statusSet('active', 'ready').then(() => void finished.push('status-set'))]);
    expect(finished).toEqual(['config-get', 'status-set']);
    expect(inner.calls.map((call) => call.tool)).toEqual(['config-get', 'status-set']);
  });

  it('hands an intercepted call to its interceptor, with the queued tool to reach Juju; the direct tools are never intercepted', async () => {
    const inner = new MemoryHookTools({});
    const line = new ToolLine();
    const interceptors: ToolInterceptors = new Map();
    const tools = new SerialTools(inner, line, interceptors);
    const direct = new SerialTools(inner, line);
    const seen: unknown[] = [];
    interceptors.set('statusSet', ((args: unknown[], reach: (...a: unknown[]) => Promise<void>) => {
      seen.push(args);
      return reach('blocked', `held: ${String(args[1])}`);
    }) as never);

    await tools.statusSet('active', 'ready');
    await direct.statusSet('maintenance', 'direct');

    expect(seen).toEqual([['active', 'ready']]);
    expect(inner.calls.map((call) => call.argv.join(' '))).toEqual(['blocked -- held: ready', 'maintenance -- direct']);
  });

  it('calls beforeEnqueue before each call takes its place, and a failed call does not stop the next', async () => {
    const inner = new MemoryHookTools({ failures: { 'is-leader': { exitCode: 1, stderr: 'ERROR boom' } } });
    const order: string[] = [];
    const line = new ToolLine({ beforeEnqueue: () => void order.push('before') });
    const tools = new SerialTools(inner, line);
    const failed = tools.isLeader().catch(() => order.push('failed'));
    const logged = tools.jujuLog('after').then(() => void order.push('logged'));
    await Promise.all([failed, logged, line.drain()]);
    expect(order).toEqual(['before', 'before', 'failed', 'logged']);
  });
});
