/**
 * What a workload container of the local model holds, as container paths: its own root
 * folder on the model's disk, with mounts over it. Juju starts a container from its OCI
 * image with the charm's storage mounted at `containers.<name>.mounts[].location`; the
 * local model has no image, so its containers get this machine's system folders
 * (`/usr`, `/bin`, `/lib`…, and the few files of `/etc` a program needs to start), read
 * only, and everything else is the container's own. A path is looked up through the
 * deepest mount whose location holds it; the workload sandbox (workload-sandbox.ts) binds
 * the same mounts, so Pebble's files API and a running service see the same files.
 */
import { accessSync, constants, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';

/** One mount of a container: container path `location` shows `source` from the model's machine. */
export interface ContainerMount {
  readonly location: string;
  readonly source: string;
  readonly readOnly: boolean;
}

/** Where a container path is on the model's machine. */
export interface ResolvedPath {
  /** The path on the model's machine. */
  readonly host: string;
  /** The folder (or file) the path must stay inside: the mount's source, or the container's root. */
  readonly base: string;
  /** The mount it goes through, when not the container's own root. */
  readonly mount?: ContainerMount;
}

/** Folders a workload finds in any Ubuntu image, given from this machine when they exist here. */
const SYSTEM_FOLDERS = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];
/**
 * Files of `/etc` a dynamically linked program, a shell or a name lookup reads at start.
 * The rest of `/etc` is the container's own (a charm pushes its configuration there).
 */
const SYSTEM_ETC = ['/etc/ld.so.cache', '/etc/ld.so.conf', '/etc/ld.so.conf.d', '/etc/passwd', '/etc/group', '/etc/nsswitch.conf', '/etc/hosts', '/etc/resolv.conf', '/etc/localtime', '/etc/alternatives', '/etc/ssl', '/etc/ca-certificates'];

/** This machine's system folders and files, read only, for a container without an image. */
export function systemMounts(): ContainerMount[] {
  return [...SYSTEM_FOLDERS, ...SYSTEM_ETC].filter((path) => existsSync(path)).map((path) => ({ location: path, source: path, readOnly: true }));
}

/** A container's root folder and its mounts. */
export class ContainerFilesystem {
  /** Deepest location first, so the first that holds a path is the one that shows it. */
  readonly mounts: readonly ContainerMount[];

  constructor(
    readonly rootDir: string,
    mounts: readonly ContainerMount[],
  ) {
    mkdirSync(rootDir, { recursive: true });
    this.mounts = [...mounts].map((mount) => ({ ...mount, location: posix.normalize(mount.location) })).sort((a, b) => b.location.length - a.location.length);
    // Mount points exist in the root folder as an image has them, so listing `/` shows them.
    for (const mount of [...this.mounts].reverse()) {
      const point = join(rootDir, mount.location);
      if (existsSync(point)) continue;
      if (statSync(mount.source).isDirectory()) {
        mkdirSync(point, { recursive: true });
      } else {
        mkdirSync(dirname(point), { recursive: true });
        writeFileSync(point, '', { flag: 'a' });
      }
    }
  }

  /** Where absolute container path `path` (already normalised) is on this machine. */
  resolve(path: string): ResolvedPath {
    const mount = this.mounts.find((candidate) => path === candidate.location || path.startsWith(candidate.location === '/' ? '/' : `${candidate.location}/`));
    if (mount === undefined) return { host: join(this.rootDir, path), base: this.rootDir };
    return { host: join(mount.source, path.slice(mount.location.length)), base: mount.source, mount };
  }

  /**
   * Finds an executable as Go's os/exec does for Pebble inside the container: a name with
   * a slash is used as it is (relative to `workingDir`), a bare name is looked up on PATH.
   * Returns the container path, or Go's error text.
   */
  findExecutable(name: string, path: string, workingDir = '/'): string | { error: string } {
    if (name.includes('/')) {
      const inside = posix.resolve(workingDir, name);
      const host = this.resolve(inside).host;
      if (!existsSync(host)) return { error: `fork/exec ${name}: no such file or directory` };
      if (!isExecutableFile(host)) return { error: `fork/exec ${name}: permission denied` };
      return inside;
    }
    for (const folder of path.split(':')) {
      const inside = posix.resolve(workingDir, folder === '' ? '.' : folder, name);
      if (isExecutableFile(this.resolve(inside).host)) return inside;
    }
    return { error: `exec: ${JSON.stringify(name)}: executable file not found in $PATH` };
  }
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
