import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

// The "power loss" row of docs/explanation/state-and-commit.md: a power cut cannot be
// made here, so this shows the order of the calls that make a rename survive one — the
// new text reaches the disk before the rename, and the rename before the write returns.

const calls: string[] = [];
const paths = new Map<number, string>();

vi.doMock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  return {
    ...real,
    openSync: (path: fs.PathLike, ...rest: unknown[]) => {
      const fd = (real.openSync as (...args: unknown[]) => number)(path, ...rest);
      paths.set(fd, String(path));
      return fd;
    },
    writeSync: (fd: number, ...rest: unknown[]) => {
      calls.push(`write ${paths.get(fd)}`);
      return (real.writeSync as (...args: unknown[]) => number)(fd, ...rest);
    },
    fsyncSync: (fd: number) => {
      calls.push(`fsync ${paths.get(fd)}`);
      real.fsyncSync(fd);
    },
    renameSync: (from: fs.PathLike, to: fs.PathLike) => {
      calls.push(`rename ${String(from)} ${String(to)}`);
      real.renameSync(from, to);
    },
  };
});

const { replaceFile } = await import('../src/replace-file.js');
const folders: string[] = [];
afterAll(() => folders.forEach((folder) => fs.rmSync(folder, { recursive: true, force: true })));
function temporaryFolder(): string {
  const folder = fs.mkdtempSync(join(tmpdir(), 'charms-replace-file-'));
  folders.push(folder);
  return folder;
}

describe('replaceFile', () => {
  it('durable: writes a temporary file, flushes it, renames it over the old one, then flushes the folder', () => {
    const dir = temporaryFolder();
    const path = join(dir, 'model.json');
    fs.writeFileSync(path, 'old');
    calls.length = 0;
    replaceFile(path, 'new', { durable: true });
    const temporary = `${path}.${process.pid}.tmp`;
    expect(calls).toEqual([`write ${temporary}`, `fsync ${temporary}`, `rename ${temporary} ${path}`, `fsync ${dir}`]);
    expect(fs.readFileSync(path, 'utf8')).toBe('new');
    expect(fs.existsSync(temporary)).toBe(false);
  });

  it('not durable: the same rename, with no flush', () => {
    const dir = temporaryFolder();
    const path = join(dir, 'model.lock.holder');
    calls.length = 0;
    replaceFile(path, 'text');
    expect(calls.filter((call) => call.startsWith('fsync'))).toEqual([]);
    expect(fs.readFileSync(path, 'utf8')).toBe('text');
  });
});
