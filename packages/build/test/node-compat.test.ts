import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newestGlibc, nodeBaseProblem } from '@charms/build/internal';

// charms pack --with-node copies the running Node: it must start on the charm's base.
// Stand-in executables are a crafted header followed by the version-need names an ELF
// file carries; no foreign binary is needed to test the refusals.
function file(bytes: Buffer): string {
  const path = join(mkdtempSync(join(tmpdir(), 'node-compat-')), 'node');
  writeFileSync(path, bytes);
  return path;
}

interface ElfHeader {
  readonly elfClass?: number;
  readonly bigEndian?: boolean;
  readonly osAbi?: number;
  readonly type?: number;
  readonly machine?: number;
}

/** A 64-byte ELF header (e_ident, e_type, e_machine; the rest zero), then `content`. */
function elf(content: string, header: ElfHeader = {}): string {
  const bytes = Buffer.alloc(64);
  bytes.write('\x7fELF', 0, 'latin1');
  bytes[4] = header.elfClass ?? 2;
  bytes[5] = header.bigEndian ? 2 : 1;
  bytes[6] = 1;
  bytes[7] = header.osAbi ?? 0;
  const write16 = (value: number, at: number) => (header.bigEndian ? bytes.writeUInt16BE(value, at) : bytes.writeUInt16LE(value, at));
  write16(header.type ?? 3, 16);
  write16(header.machine ?? 62, 18);
  return file(Buffer.concat([bytes, Buffer.from(content, 'latin1')]));
}

describe('an embedded Node on the charm base', () => {
  it('reads the newest glibc version the executable asks for', () => {
    expect(newestGlibc(elf('\0GLIBC_2.17\0GLIBC_2.28\0GLIBC_2.3.4\0GLIBC_PRIVATE\0'))).toEqual([2, 28]);
    expect(newestGlibc(elf('\0no versions\0'))).toBeUndefined();
  });

  it("accepts an official Node build (glibc 2.28) on ubuntu 20.04 and 22.04", () => {
    const official = elf('\0GLIBC_2.17\0GLIBC_2.28\0');
    expect(nodeBaseProblem(official, '20.04')).toBeUndefined();
    expect(nodeBaseProblem(official, '22.04')).toBeUndefined();
  });

  it("refuses a Node built for a newer glibc than the base's, and a musl Node, saying what to use", () => {
    const noble = elf('\0GLIBC_2.34\0GLIBC_2.38\0');
    expect(nodeBaseProblem(noble, '22.04')).toMatch(/needs glibc 2\.38, newer than ubuntu 22\.04's 2\.35: .*pack with an official Node build/);
    expect(nodeBaseProblem(elf('\0GLIBC_2.35\0'), '20.04')).toMatch(/needs glibc 2\.35, newer than ubuntu 20\.04's 2\.31/);
    expect(nodeBaseProblem(elf('/lib/ld-musl-x86_64.so.1\0'), '22.04')).toMatch(/linked against musl/);
  });
});

describe("an embedded Node for the architecture of the charm's bases", () => {
  it('accepts the Node running this test when the machine is x86-64 or aarch64, packed for its own architecture', () => {
    const own = process.arch === 'x64' ? 'amd64' : process.arch === 'arm64' ? 'arm64' : undefined;
    expect(own, `this test runs on linux x64 or arm64, not ${process.platform} ${process.arch}`).toBeDefined();
    expect(process.platform).toBe('linux');
    // The glibc of the running Node is not the question here: a base with no glibc row.
    expect(nodeBaseProblem(process.execPath, 'no-such-base', own)).toBeUndefined();
    const other = own === 'amd64' ? 'arm64' : 'amd64';
    expect(nodeBaseProblem(process.execPath, '22.04', other)).toMatch(new RegExp(`is an ELF executable for .*, not a 64-bit Linux .* ELF executable: .*ubuntu 22\\.04 ${other}`));
  });

  it('accepts an x86-64 and an aarch64 ELF executable for amd64 and arm64 bases, as PIE (ET_DYN) or not (ET_EXEC)', () => {
    expect(nodeBaseProblem(elf('\0GLIBC_2.28\0', { machine: 62 }), '22.04', 'amd64')).toBeUndefined();
    expect(nodeBaseProblem(elf('\0GLIBC_2.28\0', { machine: 62, type: 2, osAbi: 3 }), '22.04')).toBeUndefined();
    expect(nodeBaseProblem(elf('\0GLIBC_2.28\0', { machine: 183 }), '22.04', 'arm64')).toBeUndefined();
  });

  it('refuses an arm64 Node for amd64 bases (the default pack writes), naming the file, what it is and the Node to run instead', () => {
    const arm = elf('\0GLIBC_2.28\0', { machine: 183 });
    const problem = nodeBaseProblem(arm, '22.04');
    expect(problem).toContain(`${arm} is an ELF executable for aarch64 (arm64), not a 64-bit Linux x86-64 ELF executable`);
    expect(problem).toContain("the charm's base (ubuntu 22.04 amd64) could not run it");
    expect(problem).toContain('run charms pack --with-node under a Linux x86-64 Node 20');
    expect(problem).toContain('--platform linux/amd64');
    expect(nodeBaseProblem(elf('', { machine: 62 }), '22.04', 'arm64')).toMatch(/for x86-64 \(amd64\), not a 64-bit Linux aarch64 ELF executable/);
  });

  it('refuses a macOS (Mach-O, thin or universal), Windows or script "node", whatever the base', () => {
    const machO = file(Buffer.from([0xcf, 0xfa, 0xed, 0xfe, 0x0c, 0x00, 0x00, 0x01, ...Buffer.alloc(56)]));
    expect(nodeBaseProblem(machO, '22.04')).toContain(`${machO} is a Mach-O executable (macOS), not a 64-bit Linux x86-64 ELF executable`);
    // The channel does not matter: a base with no glibc row still refuses it.
    expect(nodeBaseProblem(machO, 'no-such-base')).toMatch(/Mach-O executable \(macOS\)/);
    const universal = file(Buffer.from([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 2, ...Buffer.alloc(56)]));
    expect(nodeBaseProblem(universal, '20.04')).toMatch(/universal Mach-O executable \(macOS\)/);
    expect(nodeBaseProblem(file(Buffer.from('MZ\x90\0rest of a PE file', 'latin1')), '22.04')).toMatch(/a Windows executable \(PE\)/);
    expect(nodeBaseProblem(file(Buffer.from('#!/bin/sh\nexec node "$@"\n')), '22.04')).toMatch(/a script \(it starts with #!\)/);
    expect(nodeBaseProblem(file(Buffer.from('')), '22.04')).toMatch(/no ELF header/);
  });

  it('refuses a 32-bit, truncated, FreeBSD or non-executable ELF file', () => {
    expect(nodeBaseProblem(elf('', { elfClass: 1 }), '22.04')).toMatch(/is a 32-bit ELF file, not a 64-bit Linux x86-64 ELF executable/);
    expect(nodeBaseProblem(file(Buffer.from('\x7fELF\x02\x01', 'latin1')), '22.04')).toMatch(/is a truncated ELF file \(6 bytes\)/);
    expect(nodeBaseProblem(elf('', { osAbi: 9 }), '22.04')).toMatch(/for another system \(OS ABI 9, FreeBSD\)/);
    expect(nodeBaseProblem(elf('', { type: 1 }), '22.04')).toMatch(/is an ELF file of type 1, not an executable/);
  });

  it('reads e_machine in the byte order the header declares (a big-endian s390x file)', () => {
    expect(nodeBaseProblem(elf('', { bigEndian: true, machine: 22 }), 'no-such-base', 's390x')).toBeUndefined();
    expect(nodeBaseProblem(elf('', { bigEndian: true, machine: 22 }), '22.04')).toMatch(/for s390x \(s390x\), not/);
  });
});
