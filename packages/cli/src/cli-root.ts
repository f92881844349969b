import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '@charms/build/internal';

/** This package's folder, where `templates/` and `bin/` are (src/ and dist/ both sit one below it). */
export const CLI_ROOT = packageRoot(dirname(fileURLToPath(import.meta.url)));
