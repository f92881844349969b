import { closeSync, openSync, readFileSync, readSync } from 'node:fs';

/**
 * Whether a Node executable can start on an Ubuntu base. `charms pack --with-node`
 * embeds a copy of the Node running the pack, which is dynamically linked against the
 * C library of the system it was built for: it starts only where glibc is at least the
 * newest version its symbols ask for (the `GLIBC_2.x` names of its version needs). The
 * official Node 20 builds ask for 2.28; a distribution's Node asks for its own glibc.
 * Before that, the copy must be a Linux ELF executable for the architecture the charm
 * is packed for: a Node running on macOS, or on an arm64 machine when the bases say
 * amd64, packs a `bin/charm` the charm's container cannot execute at all.
 */

/** glibc of each Ubuntu base a charm is packed for (Ubuntu's libc6 in that release). */
const BASE_GLIBC: Readonly<Record<string, readonly [number, number]>> = {
  '20.04': [2, 31],
  '22.04': [2, 35],
  '24.04': [2, 39],
};

/** The newest `GLIBC_x.y` the executable names, or undefined when it names none (static, or not glibc). */
export function newestGlibc(executable: string): [number, number] | undefined {
  const text = readFileSync(executable).toString('latin1');
  let newest: [number, number] | undefined;
  for (const match of text.matchAll(/GLIBC_(\d+)\.(\d+)(?![\d.])/g)) {
    const version: [number, number] = [Number(match[1]), Number(match[2])];
    if (!newest || version[0] > newest[0] || (version[0] === newest[0] && version[1] > newest[1])) newest = version;
  }
  return newest;
}

/**
 * ELF `e_machine` of each Juju architecture name (the names manifest.yaml's
 * `architectures` uses), with the words a person knows the machine by.
 */
const ARCHITECTURE_MACHINE: Readonly<Record<string, { readonly machine: number; readonly name: string }>> = {
  amd64: { machine: 62, name: 'x86-64' },
  arm64: { machine: 183, name: 'aarch64' },
  ppc64el: { machine: 21, name: 'ppc64le' },
  s390x: { machine: 22, name: 's390x' },
  riscv64: { machine: 243, name: 'riscv64' },
};

/** ELF `EI_OSABI` values a Linux kernel runs: System V (what most toolchains write) and GNU/Linux. */
const LINUX_OS_ABI = new Set([0, 3]);

/**
 * What the first bytes of `executable` say it is, when it is not a 64-bit Linux ELF
 * executable for `architecture` (a Juju architecture name); undefined when it is one.
 * Only the header is read: a Mach-O or Windows Node, a 32-bit or other-machine ELF
 * file all fail here, before any glibc question makes sense.
 */
function architectureProblem(executable: string, architecture: string): string | undefined {
  const wanted = ARCHITECTURE_MACHINE[architecture];
  if (!wanted) return undefined;
  const header = Buffer.alloc(64);
  const fd = openSync(executable, 'r');
  let length: number;
  try {
    length = readSync(fd, header, 0, header.length, 0);
  } finally {
    closeSync(fd);
  }
  const wantedText = `a 64-bit Linux ${wanted.name} ELF executable`;
  const magic = header.readUInt32BE(0);
  if (length < 4 || magic !== 0x7f454c46) return `${executable} is ${foreignFormat(header, length)}, not ${wantedText}`;
  // e_ident: EI_CLASS (4) 2 = 64-bit, EI_DATA (5) 1 = little-endian, 2 = big-endian,
  // EI_OSABI (7); then e_type at 16 and e_machine at 18, in the file's byte order.
  if (length < 20) return `${executable} is a truncated ELF file (${length} bytes), not ${wantedText}`;
  if (header[4] !== 2) return `${executable} is a 32-bit ELF file, not ${wantedText}`;
  const bigEndian = header[5] === 2;
  const type = bigEndian ? header.readUInt16BE(16) : header.readUInt16LE(16);
  const machine = bigEndian ? header.readUInt16BE(18) : header.readUInt16LE(18);
  if (machine !== wanted.machine) {
    return `${executable} is an ELF executable for ${machineName(machine)}, not ${wantedText}`;
  }
  if (!LINUX_OS_ABI.has(header[7]!)) return `${executable} is an ELF executable for another system (OS ABI ${header[7]}${header[7] === 9 ? ', FreeBSD' : ''}), not ${wantedText}`;
  // ET_EXEC (2) or ET_DYN (3, a position-independent executable, as Node's builds are).
  if (type !== 2 && type !== 3) return `${executable} is an ELF file of type ${type}, not an executable: not ${wantedText}`;
  return undefined;
}

/** A name for a file that is not ELF, from its first bytes. */
function foreignFormat(header: Buffer, length: number): string {
  if (length >= 4) {
    const magic = header.readUInt32BE(0);
    // Mach-O 64-bit in either byte order, and the universal (fat) wrapper macOS ships.
    if (magic === 0xcffaedfe || magic === 0xfeedfacf) return 'a Mach-O executable (macOS)';
    if (magic === 0xcafebabe) return 'a universal Mach-O executable (macOS)';
  }
  if (length >= 2 && header[0] === 0x4d && header[1] === 0x5a) return 'a Windows executable (PE)';
  if (length >= 2 && header[0] === 0x23 && header[1] === 0x21) return 'a script (it starts with #!)';
  return 'not an executable this check knows (no ELF header)';
}

/** The architecture of an ELF `e_machine`, by its Juju name when it has one. */
function machineName(machine: number): string {
  for (const [architecture, { machine: known, name }] of Object.entries(ARCHITECTURE_MACHINE)) {
    if (known === machine) return `${name} (${architecture})`;
  }
  return `machine ${machine}`;
}

/**
 * What stops `executable` from starting on Ubuntu `channel` on `architecture` (a Juju
 * architecture name, as manifest.yaml's `bases` list them: pack writes `amd64`), in a
 * sentence that says what to do; undefined when nothing does (or the base or the
 * architecture is one these tables do not know).
 */
export function nodeBaseProblem(executable: string, channel: string, architecture = 'amd64'): string | undefined {
  const foreign = architectureProblem(executable, architecture);
  if (foreign) {
    const wanted = ARCHITECTURE_MACHINE[architecture]!.name;
    return `${foreign}: the charm's base (ubuntu ${channel} ${architecture}) could not run it as bin/charm; run charms pack --with-node under a Linux ${wanted} Node 20 (an official build from nodejs.org on a linux/${architecture} machine, or the node:20-bookworm image run with --platform linux/${architecture})`;
  }
  const base = BASE_GLIBC[channel];
  if (!base) return undefined;
  const text = readFileSync(executable).subarray(0, 4096).toString('latin1');
  if (text.includes('ld-musl')) return `${executable} is linked against musl (an Alpine build of Node): it does not start on ubuntu ${channel}; pack with an official Node build (nodejs.org, or the node:20-bookworm image)`;
  const needed = newestGlibc(executable);
  if (!needed || needed[0] < base[0] || (needed[0] === base[0] && needed[1] <= base[1])) return undefined;
  return `${executable} needs glibc ${needed.join('.')}, newer than ubuntu ${channel}'s ${base.join('.')}: the embedded Node would not start in the charm's container; pack with an official Node build (it needs glibc 2.28: nodejs.org, or the node:20-bookworm image)`;
}
