import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import { runCommand, type CommandResult } from './run-command.js';

/** The repository's root, and the charms command as the tests run it. */
export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
export const CHARMS_BIN = join(REPO, 'packages', 'cli', 'bin', 'charms.mjs');
/** The local model's shell fixture charms, by folder name. */
export const modelFixture = (name: string): string => join(REPO, 'packages', 'model', 'test', 'fixtures', name);

/**
 * A maker of fresh models in temporary folders (`<prefix>-…`, removed when the calling
 * test file's tests are done), each with the charms command run against it as a child
 * process, colours off. Call it at the top of a test file.
 */
export function cliModels(prefix: string): () => { dir: string; charms: (...args: string[]) => Promise<CommandResult> } {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
    dirs.push(dir);
    return {
      dir,
      charms: (...args: string[]) => runCommand(process.execPath, [CHARMS_BIN, '--model', dir, ...args], { cwd: REPO, env: { ...process.env, NO_COLOR: '1' }, timeout: 90_000 }),
    };
  };
}
