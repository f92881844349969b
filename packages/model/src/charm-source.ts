import { createWriteStream, existsSync, mkdirSync, chmodSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Entry } from 'yauzl';
import { ModelError } from './model-errors.js';

/**
 * Unpacks a `.charm` (zip) into `target`, keeping executable bits.
 * @throws ModelError `INVALID_CHARM` when it is not a zip or holds no dispatch.
 */
export async function unpackCharm(file: string, target: string): Promise<void> {
  // Loaded for a .charm only: a built folder, what deploy mostly gets, needs no zip reader (issue 20).
  const { default: yauzl } = await import('yauzl');
  await new Promise<void>((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error) return reject(new ModelError('INVALID_CHARM', `${file} is not a .charm (zip) file: ${error.message}`));
      zip.on('error', reject);
      zip.on('end', () => resolve());
      zip.on('entry', (entry: Entry) => {
        if (entry.fileName.includes('..')) return reject(new ModelError('INVALID_CHARM', `${file} has an entry outside the charm: ${entry.fileName}`));
        const path = join(target, entry.fileName);
        if (entry.fileName.endsWith('/')) {
          mkdirSync(path, { recursive: true });
          zip.readEntry();
          return;
        }
        mkdirSync(dirname(path), { recursive: true });
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError) return reject(streamError);
          const out = createWriteStream(path);
          stream.pipe(out).on('close', () => {
            const mode = (entry.externalFileAttributes >>> 16) & 0o777;
            chmodSync(path, mode || 0o644);
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
  if (!existsSync(join(target, 'dispatch'))) throw new ModelError('INVALID_CHARM', `${file} holds no dispatch script: it is not a charm built for Juju 2.8 or later`);
}
