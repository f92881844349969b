import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Pebble } from '@charms/pebble';
import { pebbleSocketDir, pebbleSocketPath, startPebble, type PebbleServer } from '@charms/model/internal';
import { temporaryFolders } from './helpers/temp-folders.js';

// With --run-workloads the model's Pebble runs services, execs and exec checks inside
// their container's files, as Pebble runs them in the workload container under Juju:
// `/data` is the storage mounted there, a pushed file is where the workload looks for it,
// and nothing lands in this machine's folders of the same name (workload-sandbox.ts).

const folder = temporaryFolders('sandbox');
const servers: PebbleServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** A server for a container whose `/data` is the folder `storage`, and its client. */
async function container(runWorkloads = true) {
  const dir = folder();
  const storage = join(dir, 'storage', 'data-0');
  mkdirSync(storage, { recursive: true });
  const rootDir = join(dir, 'root');
  const server = await startPebble({
    socketPath: pebbleSocketPath(pebbleSocketDir(dir, 'app/0'), 'workload'),
    container: 'workload',
    rootDir,
    mounts: [{ location: '/data', source: storage, readOnly: false }],
    runWorkloads,
  });
  servers.push(server);
  return { pebble: new Pebble({ socketPath: server.socketPath }), storage, rootDir, processRecord: join(dirname(server.socketPath), 'processes.json') };
}

/** A path of this machine no test and no workload has any business writing. */
const hostMarker = `/data/charms-sandbox-test-${process.pid}-${Date.now()}`;

describe("workloads inside their container's files", { timeout: 20_000 }, () => {
  it("runs a service whose absolute paths are the container's: /data is the storage folder, /tmp the root folder's, and this machine's /data is untouched", async () => {
    const { pebble, storage, rootDir } = await container();
    const name = hostMarker.slice('/data/'.length);
    await pebble.addLayer('base', { services: { writer: { override: 'replace', command: `sh -c 'echo stored > /data/${name}; echo scratch > /tmp/${name}; sleep 30'`, startup: 'enabled' } } });
    await pebble.replanServices();
    expect((await pebble.getServices(['writer']))[0]).toMatchObject({ current: 'active' });
    expect(readFileSync(join(storage, name), 'utf8')).toBe('stored\n');
    expect(readFileSync(join(rootDir, 'tmp', name), 'utf8')).toBe('scratch\n');
    expect(existsSync(hostMarker)).toBe(false);
    expect(existsSync(`/tmp/${name}`)).toBe(false);
  });

  it('gives exec the files the charm pushed, at the paths it pushed them to (a credentials file the workload reads)', async () => {
    const { pebble, rootDir } = await container();
    await pebble.push('/etc/app/credentials.env', 'USER=admin\n', { makeDirs: true, permissions: 0o600 });
    expect(readFileSync(join(rootDir, 'etc', 'app', 'credentials.env'), 'utf8')).toBe('USER=admin\n');
    const { stdout, exitCode } = await pebble.exec(['cat', '/etc/app/credentials.env']);
    expect({ stdout, exitCode }).toEqual({ stdout: 'USER=admin\n', exitCode: 0 });
    // The working folder is the container's too.
    await pebble.makeDir('/srv/app', { makeParents: true });
    expect((await pebble.exec(['pwd'], { workingDir: '/srv/app' })).stdout).toBe('/srv/app\n');
  });

  it("runs an executable the charm pushed into the container, and says as Go's exec does when a command is in neither the container nor its system folders", async () => {
    const { pebble } = await container();
    await pebble.push('/opt/tool/run', '#!/bin/sh\necho "tool ran in $(pwd)"\n', { makeDirs: true, permissions: 0o755 });
    expect((await pebble.exec(['/opt/tool/run'], { workingDir: '/opt' })).stdout).toBe('tool ran in /opt\n');
    await pebble.addLayer('minio', { services: { minio: { override: 'replace', command: 'minio-not-in-this-container server /data', startup: 'enabled' } } });
    const failed = await pebble.replanServices().then(
      () => 'started',
      (error: Error) => error.message,
    );
    expect(failed).toContain('cannot start service: exec: "minio-not-in-this-container": executable file not found in $PATH');
  });

  it("keeps this machine's system folders read only: a workload cannot write them and neither can the files API; a mount point cannot be removed", async () => {
    const { pebble, storage } = await container();
    const { exitCode, stderr } = await pebble.exec(['sh', '-c', 'touch /usr/charms-sandbox-test']);
    expect(exitCode).not.toBe(0);
    expect(stderr).toContain('Read-only file system');
    expect(existsSync('/usr/charms-sandbox-test')).toBe(false);
    await expect(pebble.push('/usr/local/charms-sandbox-test', 'x')).rejects.toThrow('open /usr/local/charms-sandbox-test: read-only file system');
    await expect(pebble.removePath('/data', { recursive: true })).rejects.toThrow('remove /data: device or resource busy');
    expect(existsSync(storage)).toBe(true);
  });

  it('records the process group of an exec check while it runs, so that a crashed model process leaves no check behind', async () => {
    const { pebble, processRecord } = await container();
    await pebble.addLayer('checks', { checks: { slow: { override: 'replace', period: '2s', timeout: '2s', exec: { command: 'sleep 1.5' } } } });
    let recorded: { pid: number }[] = [];
    for (let waited = 0; waited < 8000 && recorded.length === 0; waited += 100) {
      await new Promise((done) => setTimeout(done, 100));
      recorded = existsSync(processRecord) ? (JSON.parse(readFileSync(processRecord, 'utf8')) as { pid: number }[]) : [];
    }
    expect(recorded).toHaveLength(1);
    expect(readFileSync(`/proc/${recorded[0]!.pid}/cmdline`, 'utf8')).toContain('sleep');
  }, 20_000);
});
