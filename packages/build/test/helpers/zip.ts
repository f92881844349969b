import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import yauzl from 'yauzl';

// Reading a packed .charm back, for the pack tests.

/** Path → permission bits of every entry of a zip. */
export function zipEntries(file: string): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error) return reject(error);
      const entries: Record<string, number> = {};
      zip.on('entry', (entry: yauzl.Entry) => {
        entries[entry.fileName] = (entry.externalFileAttributes >>> 16) & 0o777;
        zip.readEntry();
      });
      zip.on('end', () => resolve(entries));
      zip.readEntry();
    });
  });
}

/** Unpacks a zip into a new folder, keeping permissions. */
export function unzip(file: string): Promise<string> {
  const target = mkdtempSync(join(tmpdir(), 'unpacked-'));
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error) return reject(error);
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError) return reject(streamError);
          const path = join(target, entry.fileName);
          mkdirSync(dirname(path), { recursive: true });
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            writeFileSync(path, Buffer.concat(chunks));
            chmodSync(path, (entry.externalFileAttributes >>> 16) & 0o777);
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(target));
      zip.readEntry();
    });
  });
}
