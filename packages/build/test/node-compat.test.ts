import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newestGlibc, nodeBaseProblem } from '@charms/build/internal';

// charms pack --with-node copies the running Node: it must start on the charm's base.
// Stand-in executables hold the version-need names an ELF file carries.
function executable(content: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'node-compat-')), 'node');
  writeFileSync(file, Buffer.from(`\x7fELF${content}`, 'latin1'));
  return file;
}

describe('an embedded Node on the charm base', () => {
  it('reads the newest glibc version the executable asks for', () => {
    expect(newestGlibc(executable('\0GLIBC_2.17\0GLIBC_2.28\0GLIBC_2.3.4\0GLIBC_PRIVATE\0'))).toEqual([2, 28]);
    expect(newestGlibc(executable('\0no versions\0'))).toBeUndefined();
  });

  it("accepts an official Node build (glibc 2.28) on ubuntu 20.04 and 22.04", () => {
    const official = executable('\0GLIBC_2.17\0GLIBC_2.28\0');
    expect(nodeBaseProblem(official, '20.04')).toBeUndefined();
    expect(nodeBaseProblem(official, '22.04')).toBeUndefined();
  });

  it("refuses a Node built for a newer glibc than the base's, and a musl Node, saying what to use", () => {
    const noble = executable('\0GLIBC_2.34\0GLIBC_2.38\0');
    expect(nodeBaseProblem(noble, '22.04')).toMatch(/needs glibc 2\.38, newer than ubuntu 22\.04's 2\.35: .*pack with an official Node build/);
    expect(nodeBaseProblem(executable('\0GLIBC_2.35\0'), '20.04')).toMatch(/needs glibc 2\.35, newer than ubuntu 20\.04's 2\.31/);
    expect(nodeBaseProblem(executable('/lib/ld-musl-x86_64.so.1\0'), '22.04')).toMatch(/linked against musl/);
  });
});
