import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ShimServer, writeShims } from '../src/shim-server.js';
import { temporaryFolders } from './helpers/temp-folders.js';

// Issue 15: a shim run against a model that is gone (a hook left behind by a killed
// `charms`, or a tool run by hand in an old hook environment) gives up instead of
// waiting forever on the model's FIFO, and the watchdog that makes it give up is gone
// with the call.

const temporaryFolder = temporaryFolders('charms-shim-timeout');

interface CallResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

function setUp(): { bin: string; fifo: string; tmp: string } {
  const dir = temporaryFolder();
  const bin = join(dir, 'bin');
  const tmp = join(dir, 'tmp');
  mkdirSync(tmp);
  writeShims(bin);
  return { bin, fifo: join(dir, 'tools.fifo'), tmp };
}

function call(bin: string, fifo: string, tmp: string, timeoutSeconds: number, tool = 'is-leader'): Promise<CallResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(join(bin, tool), [], {
      env: { PATH: '/usr/bin:/bin', JUJU_CONTEXT_ID: 'ctx-1', CHARMS_TOOL_FIFO: fifo, CHARMS_TOOL_TMP: tmp, CHARMS_TOOL_TIMEOUT: String(timeoutSeconds) },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }));
  });
}

/** The `sleep N` processes of this machine with exactly that argument. */
function sleepsOf(seconds: number): string[] {
  const listing = execFileSync('ps', ['-eo', 'pid=,stat=,args='], { encoding: 'utf8' });
  return listing.split('\n').filter((line) => new RegExp(`\\ssleep ${seconds}$`).test(line.trim()) && !/\sZ/.test(line));
}

async function until(condition: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return condition();
}

describe('hook-tool shims when the model does not answer', { timeout: 60_000 }, () => {
  it('give up after CHARMS_TOOL_TIMEOUT when nobody reads the model FIFO, saying why', async () => {
    const { bin, fifo, tmp } = setUp();
    // A FIFO left by a model that died: it exists, nobody reads it.
    execFileSync('mkfifo', [fifo]);
    const result = await call(bin, fifo, tmp, 1);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('did not answer is-leader within 1 s');
    expect(result.ms).toBeLessThan(10_000);
  });

  it('give up when the model took the call and never answered', async () => {
    const { bin, fifo, tmp } = setUp();
    let release: () => void = () => undefined;
    const server = new ShimServer(fifo, () => new Promise((resolve) => (release = () => resolve({ stdout: 'True\n', stderr: '', exitCode: 0 }))));
    try {
      const result = await call(bin, fifo, tmp, 1);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('did not answer');
    } finally {
      // The late answer finds no shim to read it and is dropped: the server does not hang.
      release();
      await server.close();
    }
  });

  it('fail at once when the model FIFO is gone', async () => {
    const { bin, fifo, tmp } = setUp();
    const result = await call(bin, fifo, tmp, 30);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('the local model is not running');
    expect(result.ms).toBeLessThan(10_000);
  });

  it('answered calls leave no watchdog process behind', async () => {
    const { bin, fifo, tmp } = setUp();
    // An unusual wait, so the test can tell its own watchdogs from any other sleep.
    const wait = 4000 + (process.pid % 900);
    const server = new ShimServer(fifo, async () => ({ stdout: 'True\n', stderr: '', exitCode: 0 }));
    try {
      for (let i = 0; i < 5; i += 1) {
        const result = await call(bin, fifo, tmp, wait);
        expect(result).toMatchObject({ code: 0, stdout: 'True\n' });
      }
    } finally {
      await server.close();
    }
    expect(await until(() => sleepsOf(wait).length === 0, 5_000), sleepsOf(wait).join('\n')).toBe(true);
  });
});
