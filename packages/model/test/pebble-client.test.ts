import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ChangeError, PathError, Pebble } from '@charms/pebble';
import { pebbleSocketDir, pebbleSocketPath, startPebble, type PebbleServer } from '@charms/model/internal';
import { temporaryFolders } from './helpers/temp-folders.js';

// Issue 19's "Done when": @charms/pebble over a real unix socket against the local model's
// Pebble server (started as pebble-server.ts documents), through the socket folder a hook
// gets in CHARMS_PEBBLE_SOCKETS: layers, replan, a service that really runs `sleep` and
// stops, file push and pull, exec of `echo`.

const folder = temporaryFolders('pebble-client');
const servers: PebbleServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** A model's Pebble for container `workload` of app/0, and the client a hook of that unit would make. */
async function containerPebble(runWorkloads: boolean): Promise<{ server: PebbleServer; pebble: Pebble; rootDir: string }> {
  const modelDir = folder();
  const socketDir = pebbleSocketDir(modelDir, 'app/0');
  const rootDir = join(modelDir, 'containers', 'app-0', 'workload');
  const server = await startPebble({ socketPath: pebbleSocketPath(socketDir, 'workload'), container: 'workload', rootDir, runWorkloads });
  servers.push(server);
  const pebble = Pebble.forContainer('workload', { env: { CHARMS_PEBBLE_SOCKETS: socketDir } });
  expect(pebble.socketPath).toBe(server.socketPath);
  return { server, pebble, rootDir };
}

/** Whether a process with this pid exists (signal 0 checks without sending anything). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("@charms/pebble against the local model's Pebble", { timeout: 60_000 }, () => {
  it('answers system info', async () => {
    const { pebble } = await containerPebble(false);
    expect((await pebble.getSystemInfo()).version).toMatch(/\S/);
  });

  it('adds and combines layers, and the plan shows them merged', async () => {
    const { pebble } = await containerPebble(false);
    await pebble.addLayer('base', { summary: 'base', services: { sleeper: { override: 'replace', command: 'sleep 1000', startup: 'enabled' } } });
    await pebble.addLayer('base', { services: { sleeper: { override: 'merge', environment: { GREETING: 'hi' } } } }, { combine: true });
    const plan = await pebble.getPlan();
    expect(plan.services['sleeper']).toMatchObject({ override: 'replace', command: 'sleep 1000', startup: 'enabled', environment: { GREETING: 'hi' } });
    expect(await pebble.getPlanYaml()).toContain('sleep 1000');
    // A second layer of the same label without combine is refused (Pebble's planstate LabelExists).
    await expect(pebble.addLayer('base', { services: {} })).rejects.toMatchObject({ code: 'PEBBLE_API_ERROR', statusCode: 400 });
  });

  it('replans a service that really runs sleep, then stops it', async () => {
    const { server, pebble } = await containerPebble(true);
    await pebble.addLayer('base', { services: { sleeper: { override: 'replace', command: 'sleep 1000', startup: 'enabled' } } });
    const changeId = await pebble.replanServices();
    expect((await pebble.getChange(changeId)).status).toBe('Done');
    expect(await pebble.getServices(['sleeper'])).toMatchObject([{ name: 'sleeper', startup: 'enabled', current: 'active' }]);
    const pid = server.servicePid('sleeper');
    expect(pid).toBeTypeOf('number');
    expect(alive(pid!)).toBe(true);

    await pebble.stopServices(['sleeper']);
    expect(await pebble.getServices(['sleeper'])).toMatchObject([{ name: 'sleeper', current: 'inactive' }]);
    // The sleep process itself is gone, not only Pebble's record of it.
    expect(alive(pid!)).toBe(false);
  });

  it('reports a service it does not run (no --run-workloads) as a failed start, with the reason in the task log', async () => {
    const { pebble } = await containerPebble(false);
    await pebble.addLayer('base', { services: { sleeper: { override: 'replace', command: 'sleep 1000', startup: 'enabled' } } });
    const failure = await pebble.startServices(['sleeper']).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ChangeError);
    expect((failure as ChangeError).change.status).toBe('Error');
    expect((failure as ChangeError).taskLog.join('\n')).toMatch(/\S/);
    expect(await pebble.getServices(['sleeper'])).not.toMatchObject([{ current: 'active' }]);
  });

  it('waits on a change with a timeout and gets a TimeoutError when it is not ready in time', async () => {
    const { pebble } = await containerPebble(true);
    // A service that ignores SIGTERM (sleep inherits the ignored signal): its stop lasts the kill-delay, then SIGKILL.
    await pebble.addLayer('base', { services: { stubborn: { override: 'replace', command: `sh -c 'trap "" TERM; sleep 1000'`, startup: 'enabled', 'kill-delay': '2s' } } });
    await pebble.replanServices();
    const changeId = await pebble.stopServices(['stubborn'], { timeoutMs: 0 });
    await expect(pebble.waitChange(changeId, { timeoutMs: 200 })).rejects.toMatchObject({ code: 'PEBBLE_TIMEOUT', statusCode: 504 });
    expect((await pebble.waitChange(changeId, { timeoutMs: 10_000 })).status).toBe('Done');
  });

  it('autostart with no enabled service is refused with kind no-default-services', async () => {
    const { pebble } = await containerPebble(false);
    await pebble.addLayer('base', { services: { off: { override: 'replace', command: 'sleep 1', startup: 'disabled' } } });
    await expect(pebble.autostartServices()).rejects.toMatchObject({ code: 'PEBBLE_API_ERROR', statusCode: 400, kind: 'no-default-services' });
  });

  it('lists the checks of the plan', async () => {
    const { pebble } = await containerPebble(false);
    await pebble.addLayer('base', { checks: { up: { override: 'replace', level: 'alive', period: '10s', threshold: 3, exec: { command: 'true' } } } });
    expect(await pebble.getChecks({ level: 'alive' })).toMatchObject([{ name: 'up', level: 'alive', threshold: 3 }]);
    expect(await pebble.getChecks({ names: ['other'] })).toEqual([]);
  });

  it('pushes a file, lists it, pulls it back, and removes it', async () => {
    const { pebble } = await containerPebble(false);
    const content = 'MINIO_BROWSER=off\nline two é\n';
    await pebble.push('/etc/minio/env', content, { makeDirs: true, permissions: 0o600 });
    expect((await pebble.pull('/etc/minio/env')).toString('utf8')).toBe(content);
    const [entry] = await pebble.listFiles('/etc/minio', { pattern: 'env' });
    expect(entry).toMatchObject({ path: '/etc/minio/env', name: 'env', type: 'file', size: Buffer.byteLength(content), permissions: 0o600 });

    await pebble.makeDir('/data/a/b', { makeParents: true });
    expect(await pebble.listFiles('/data/a', { itself: false })).toMatchObject([{ name: 'b', type: 'directory' }]);
    await pebble.removePath('/data', { recursive: true });
    await pebble.removePath('/etc/minio/env');
    await expect(pebble.pull('/etc/minio/env')).rejects.toSatisfy((e: unknown) => e instanceof PathError && e.kind === 'not-found');
  });

  it("runs echo: exec(['echo', 'hi']) gives { stdout: 'hi\\n', stderr: '', exitCode: 0 }", async () => {
    const { pebble } = await containerPebble(true);
    expect(await pebble.exec(['echo', 'hi'])).toEqual({ stdout: 'hi\n', stderr: '', exitCode: 0 });
  });

  it('ends an exec that passes its timeout with a ChangeError', async () => {
    const { pebble } = await containerPebble(true);
    const failure = await pebble.exec(['sleep', '10'], { timeoutMs: 300 }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ChangeError);
    expect((failure as ChangeError).message).toContain('timed out');
  });

  it('sends stdin to exec and returns a non-zero exit code with stderr', async () => {
    const { pebble } = await containerPebble(true);
    expect(await pebble.exec(['cat'], { stdin: 'from stdin\n' })).toEqual({ stdout: 'from stdin\n', stderr: '', exitCode: 0 });
    expect(await pebble.exec(['sh', '-c', 'echo out; echo err >&2; exit 3'])).toEqual({ stdout: 'out\n', stderr: 'err\n', exitCode: 3 });
  });
});
