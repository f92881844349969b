/**
 * How the local model's Pebble starts a workload process (a service, an exec, an exec
 * check) inside its container's filesystem rather than on this machine's. Under Juju the
 * process runs in the workload container: `/data` is the container's storage mount and
 * `/etc/minio/credentials.env` the file the charm pushed, never this machine's. Here a
 * process gets a mount namespace of its own (`unshare --user --map-root-user --mount`,
 * from util-linux, no privileges needed where the kernel allows user namespaces) in which
 * the container's root folder becomes `/` (pivot_root) with the container's mounts bound
 * over it (container-filesystem.ts): its storage, this machine's system folders read only,
 * a small `/dev` and this machine's `/proc`. It keeps the network, the process ids and the
 * user of this machine: the sandbox puts files where the workload expects them; it is not
 * a security boundary, and `--run-workloads` runs the charm's commands as the model's user.
 *
 * The process group is the model's to signal as before: `unshare --fork` stays in the
 * group, the workload gets a signal sent to the group, and unshare ends with the
 * workload's exit status (or the same signal); `--kill-child` ends the workload if unshare
 * is killed on its own.
 */
import { spawn, spawnSync, type ChildProcessByStdio } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { constants as osConstants, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { ContainerFilesystem, systemFolders } from './container-filesystem.js';

/**
 * Runs in the new namespaces, before the workload: $1 the root folder, $2 the working
 * folder, $3 the workload's PATH ('-' for none), then `source location ro|rw` triples up
 * to `--`, then the command. The mount points are in the root folder already
 * (ContainerFilesystem makes them); `/dev` is a tmpfs with six device nodes bound in.
 * One process per mount, none per check: it runs before every exec and exec check.
 */
const SETUP = `set -e
root=$1; wd=$2; workload_path=$3; shift 3
PATH=/usr/sbin:/usr/bin:/sbin:/bin
mount --bind "$root" "$root"
while [ "$1" != "--" ]; do
  if [ "$3" = ro ]; then mount --bind -o ro "$1" "$root$2"; else mount --bind "$1" "$root$2"; fi
  shift 3
done
shift
mount -t tmpfs -o mode=755,size=64k tmpfs "$root/dev"
for device in null zero full random urandom tty; do : > "$root/dev/$device"; mount --bind "/dev/$device" "$root/dev/$device"; done
mkdir "$root/dev/.host"
mount --rbind /proc "$root/proc"
cd "$root"
pivot_root . dev/.host
umount -l /dev/.host
rmdir /dev/.host
if [ "$workload_path" = - ]; then unset PATH; else PATH=$workload_path; fi
cd "$wd"
exec "$@"
`;

export interface WorkloadProcess {
  /** The executable's container path and its arguments. */
  readonly command: readonly string[];
  /** Container path of the working folder; it must exist. */
  readonly workingDir: string;
  readonly environment: Record<string, string>;
  /** Its standard input: a pipe (exec), or none (services, checks); its output is always piped. */
  readonly stdin: 'pipe' | 'ignore';
}

/**
 * Starts `workload` in `container`, in a process group of its own (as Pebble's Setpgid),
 * and returns the group's leader.
 */
export function spawnWorkload(container: ContainerFilesystem, workload: WorkloadProcess & { stdin: 'pipe' }): ChildProcessByStdio<Writable, Readable, Readable>;
export function spawnWorkload(container: ContainerFilesystem, workload: WorkloadProcess & { stdin: 'ignore' }): ChildProcessByStdio<null, Readable, Readable>;
export function spawnWorkload(container: ContainerFilesystem, workload: WorkloadProcess): ChildProcessByStdio<Writable | null, Readable, Readable> {
  const args = [...UNSHARE, '/bin/sh', '-c', SETUP, 'workload-sandbox', container.rootDir, workload.workingDir, workload.environment.PATH ?? '-', ...mountArguments(container), '--', ...workload.command];
  const options = { env: workload.environment, detached: true };
  return workload.stdin === 'pipe' ? spawn(unshareCommand(), args, { ...options, stdio: ['pipe', 'pipe', 'pipe'] }) : spawn(unshareCommand(), args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Sends `signal` to the process group `pid` leads; a group already gone is no error. */
export function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is gone already: its exit event ends the stop.
  }
}

/** The exit code Pebble's reaper gives a process a signal ended: 128 + the signal's number. */
export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + (osConstants.signals[signal] ?? 0);
}

let probed: { problem: string | undefined } | undefined;

/**
 * Why workloads cannot run in a sandbox on this machine (no util-linux `unshare`, user
 * namespaces not allowed, a mount refused), or undefined when they can. Tried once per
 * process with `true` in a container made in a temporary folder.
 */
export function sandboxProblem(): string | undefined {
  if (probed) return probed.problem;
  probed = { problem: probe() };
  return probed.problem;
}

function probe(): string | undefined {
  if (process.platform !== 'linux') return `workloads run in Linux mount namespaces, and this is ${process.platform}`;
  const root = mkdtempSync(join(tmpdir(), 'charms-sandbox-probe-'));
  try {
    const { mounts, links } = systemFolders();
    const container = new ContainerFilesystem(join(root, 'container'), mounts, links);
    const result = spawnSync(unshareCommand(), [...UNSHARE, '/bin/sh', '-c', SETUP, 'workload-sandbox', container.rootDir, '/', '/usr/bin:/bin', ...mountArguments(container), '--', 'true'], { encoding: 'utf8', timeout: 10_000 });
    if (result.error) return `util-linux unshare cannot be run: ${result.error.message}`;
    if (result.status !== 0) return `unshare --user --map-root-user --mount failed (${result.stderr.trim().split('\n').at(-1) ?? `exit status ${result.status}`}): user namespaces may be disabled for your user (on Ubuntu 24.04: sudo sysctl kernel.apparmor_restrict_unprivileged_userns=0)`;
    return undefined;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** A user namespace (root in it is the model's user) with a mount namespace; unshare stays as the workload's parent. */
const UNSHARE = ['--user', '--map-root-user', '--mount', '--fork', '--kill-child'];

/** SETUP's mount triples, shallowest first so that a deeper mount goes over a shallower one. */
function mountArguments(container: ContainerFilesystem): string[] {
  return [...container.mounts].reverse().flatMap((mount) => [mount.source, mount.location, mount.readOnly ? 'ro' : 'rw']);
}

/** util-linux's unshare: where Debian and Ubuntu put it, else on PATH. */
function unshareCommand(): string {
  return existsSync('/usr/bin/unshare') ? '/usr/bin/unshare' : 'unshare';
}
