// `pnpm bench` part 2: what the transport of a hook-tool call costs in the local model: a
// /bin/sh shim talking to the model over FIFOs, answered at once with a canned reply (no
// tool logic runs), against a bare Node start on this machine.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ShimServer, writeShims } from '@charms/model/testing';

const RUNS = 40;
const dir = mkdtempSync(join(tmpdir(), 'bench-shims-'));
writeShims(join(dir, 'bin'));
const server = new ShimServer(join(dir, 'tools.fifo'), async () => ({ stdout: 'True\n', stderr: '', exitCode: 0 }));
const env = { PATH: `${join(dir, 'bin')}:/usr/bin:/bin`, CHARMS_TOOL_FIFO: join(dir, 'tools.fifo'), JUJU_CONTEXT_ID: 'bench', CHARMS_TOOL_TMP: dir };
const call = () => new Promise((resolve) => spawn('is-leader', [], { env, stdio: 'ignore' }).on('close', resolve));

const time = async (runs, fn) => {
  const samples = [];
  for (let i = 0; i < runs; i += 1) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
};

const shim = await time(RUNS, call);
const node = await time(RUNS, async () => spawnSync(process.execPath, ['-e', '0']));
await server.close();
console.log(`\nhook-tool shim, transport only: a shim round trip with a canned answer, no tool logic (${RUNS} calls, median)`);
console.table([{ 'shim round trip (ms)': shim.toFixed(1), 'node -e 0 (ms)': node.toFixed(1), ratio: (shim / node).toFixed(2) }]);
