#!/usr/bin/env node
// Runs the charms command from its TypeScript source, in this workspace.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const source = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'bin.ts');
// tsx is found from here, not from wherever the command runs.
const tsx = import.meta.resolve('tsx');
const result = spawnSync(process.execPath, ['--conditions=source', '--import', tsx, source, ...process.argv.slice(2)], {
  stdio: 'inherit',
});
process.exitCode = result.status ?? 1;
