import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ShimServer, writeShims } from '../src/shim-server.js';
import { temporaryFolders } from './helpers/temp-folders.js';

// Issue 20: a tool call takes an answer FIFO the model made before the hook
// (ShimServer.fill) instead of running mkfifo, which cost each call a program start.
// Checked by giving the shims a PATH with no mkfifo: only calls that took one of the
// pool's FIFOs can be answered.

const temporaryFolder = temporaryFolders('charms-shim-pool');

function setUp(): { dir: string; tmp: string; fifo: string; tools: string; noMkfifo: string } {
  const dir = temporaryFolder();
  const tmp = join(dir, 'tmp');
  mkdirSync(tmp);
  writeShims(join(dir, 'bin'));
  // The programs a shim runs, but mkfifo.
  const noMkfifo = join(dir, 'programs');
  mkdirSync(noMkfifo);
  for (const program of ['sleep', 'cat']) symlinkSync(`/usr/bin/${program}`, join(noMkfifo, program));
  return { dir, tmp, fifo: join(dir, 'tools.fifo'), tools: join(dir, 'bin'), noMkfifo };
}

function call(tool: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(env.TOOLS!, tool), [], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the answer FIFOs the model makes ready before a hook', { timeout: 60_000 }, () => {
  it('are taken by the calls, one each, so no call runs mkfifo', async () => {
    const { tmp, fifo, tools, noMkfifo } = setUp();
    let answered = 0;
    const server = new ShimServer(fifo, async () => ({ stdout: `answer ${(answered += 1)}\n`, stderr: '', exitCode: 0 }));
    const env = { TOOLS: tools, PATH: `${tools}:${noMkfifo}`, JUJU_CONTEXT_ID: 'ctx-1', CHARMS_TOOL_FIFO: fifo, CHARMS_TOOL_TMP: tmp, CHARMS_TOOL_POOL: '4' };
    try {
      // Without the pool, mkfifo is missing and the call cannot be made.
      expect(await call('is-leader', env)).toMatchObject({ code: 1, stderr: expect.stringContaining('cannot create') });
      server.fill(tmp, 4);
      // Four at once: each takes a FIFO of its own and gets its own answer.
      const results = await Promise.all([1, 2, 3, 4].map(() => call('is-leader', env)));
      expect(results.map((r) => r.code)).toEqual([0, 0, 0, 0]);
      expect(new Set(results.map((r) => r.stdout)).size).toBe(4);
      // All taken until the model sweeps them after the hook: a fifth call has none.
      expect((await call('is-leader', env)).code).toBe(1);
      server.sweep();
      server.fill(tmp, 4);
      expect(await call('is-leader', env)).toMatchObject({ code: 0, stdout: 'answer 5\n' });
    } finally {
      await server.close();
    }
    // Closing removes the FIFOs no call took, and sweeping the files of those that did.
    expect(readdirSync(tmp).filter((name) => name.startsWith('tool.') && !name.endsWith('.done'))).toEqual([]);
    expect(readdirSync(tmp).filter((name) => name.startsWith('tool.p'))).toEqual([]);
  });

  it('leave calls beyond the pool to make their own FIFO', async () => {
    const { tmp, fifo, tools } = setUp();
    const server = new ShimServer(fifo, async (request) => ({ stdout: `${request.argv.join(' ')}\n`, stderr: '', exitCode: 0 }));
    const env = { TOOLS: tools, PATH: `${tools}:/usr/bin:/bin`, JUJU_CONTEXT_ID: 'ctx-1', CHARMS_TOOL_FIFO: fifo, CHARMS_TOOL_TMP: tmp, CHARMS_TOOL_POOL: '2' };
    try {
      server.fill(tmp, 2);
      const results = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((arg) => new Promise<string>((resolve) => {
        const child = spawn(join(tools, 'config-get'), [arg], { env });
        let stdout = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.on('close', () => resolve(stdout));
      })));
      expect(results).toEqual(['a\n', 'b\n', 'c\n', 'd\n', 'e\n']);
      const files = readdirSync(tmp);
      expect(files.filter((name) => /^tool\.p\d\.argv$/.test(name))).toHaveLength(2);
      expect(files.filter((name) => /^tool\.\d+\.argv$/.test(name))).toHaveLength(3);
    } finally {
      await server.close();
    }
  });
});
