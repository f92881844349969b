/**
 * What a workload container of the local model holds, as container paths: its own root
 * folder on the model's disk, with mounts over it. Juju starts a container from its OCI
 * image with the charm's storage mounted at `containers.<name>.mounts[].location`; the
 * local model has no image, so a container is made from this machine: its system folders
 * (`/usr`, and `/bin`, `/lib`… as they are here, folders mounted read only or links into
 * `/usr`), and a copy of the few files of `/etc` a program needs to start, made once in
 * the container's own `/etc` as an image has its own. Everything else is the container's.
 * A path is looked up through the links, then the deepest mount whose location holds it;
 * the workload sandbox (workload-sandbox.ts) binds the same mounts, so Pebble's files API
 * and a running service see the same files.
 */
import { accessSync, constants, cpSync, existsSync, lstatSync, mkdirSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';

/** One mount of a container: container path `location` shows `source` from the model's machine. */
export interface ContainerMount {
  readonly location: string;
  readonly source: string;
  readonly readOnly: boolean;
}

/** A symbolic link at the container's top level, as this machine has it (`/bin` → `usr/bin`). */
export interface ContainerLink {
  readonly location: string;
  readonly target: string;
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

/** This machine's system folders, as a container without an image gets them. */
export interface SystemFolders {
  readonly mounts: ContainerMount[];
  readonly links: ContainerLink[];
}

/** Folders a workload finds in any Ubuntu image. */
const SYSTEM_FOLDERS = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];
/**
 * Files of `/etc` a dynamically linked program, a shell or a name lookup reads at start,
 * copied into a container's `/etc` when it has none (the rest of `/etc` is the charm's).
 */
const SEEDED_ETC = ['/etc/ld.so.cache', '/etc/ld.so.conf', '/etc/ld.so.conf.d', '/etc/passwd', '/etc/group', '/etc/nsswitch.conf', '/etc/hosts', '/etc/resolv.conf', '/etc/localtime', '/etc/alternatives', '/etc/ssl', '/etc/ca-certificates'];
/** Mount points the sandbox needs in every root. */
const SANDBOX_POINTS = ['/dev', '/proc', '/tmp'];

/** This machine's system folders: real folders mounted read only, links (merged /usr) kept as links. */
export function systemFolders(): SystemFolders {
  const mounts: ContainerMount[] = [];
  const links: ContainerLink[] = [];
  for (const path of SYSTEM_FOLDERS) {
    let info;
    try {
      info = lstatSync(path);
    } catch {
      continue;
    }
    if (info.isSymbolicLink()) links.push({ location: path, target: readlinkSync(path) });
    else if (info.isDirectory()) mounts.push({ location: path, source: path, readOnly: true });
  }
  return { mounts, links };
}

/** A container's root folder, its links and its mounts. */
export class ContainerFilesystem {
  /** Deepest location first, so the first that holds a path is the one that shows it. */
  readonly mounts: readonly ContainerMount[];
  readonly #links: readonly ContainerLink[];

  /** Makes the root folder with its links, mount points and seeded `/etc` files where missing. */
  constructor(
    readonly rootDir: string,
    mounts: readonly ContainerMount[],
    links: readonly ContainerLink[] = [],
  ) {
    mkdirSync(rootDir, { recursive: true });
    this.mounts = [...mounts].map((mount) => ({ ...mount, location: posix.normalize(mount.location) })).sort((a, b) => b.location.length - a.location.length);
    this.#links = links;
    for (const link of links) {
      if (!exists(join(rootDir, link.location))) symlinkSync(link.target, join(rootDir, link.location));
    }
    for (const point of SANDBOX_POINTS) mkdirSync(join(rootDir, point), { recursive: true });
    // Mount points exist in the root folder as an image has them, so listing `/` shows them.
    for (const mount of [...this.mounts].reverse()) {
      const point = join(rootDir, mount.location);
      if (exists(point)) continue;
      if (statSync(mount.source).isDirectory()) {
        mkdirSync(point, { recursive: true });
      } else {
        mkdirSync(dirname(point), { recursive: true });
        writeFileSync(point, '', { flag: 'a' });
      }
    }
    for (const path of SEEDED_ETC) {
      const copy = join(rootDir, path);
      if (!existsSync(path) || exists(copy)) continue;
      mkdirSync(dirname(copy), { recursive: true });
      cpSync(path, copy, { recursive: true, verbatimSymlinks: true, force: false, errorOnExist: false });
    }
  }

  /** Where absolute container path `path` (already normalised) is on this machine. */
  resolve(path: string): ResolvedPath {
    const link = this.#links.find((candidate) => path === candidate.location || path.startsWith(`${candidate.location}/`));
    const followed = link === undefined ? path : posix.join(posix.resolve(posix.dirname(link.location), link.target), path.slice(link.location.length));
    const mount = this.mounts.find((candidate) => followed === candidate.location || followed.startsWith(candidate.location === '/' ? '/' : `${candidate.location}/`));
    if (mount === undefined) return { host: join(this.rootDir, followed), base: this.rootDir };
    return { host: join(mount.source, followed.slice(mount.location.length)), base: mount.source, mount };
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

/** Whether anything, a dangling link included, is at `path`. */
function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
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
