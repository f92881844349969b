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

/** What a test may change in one run of the charms command: variables over the defaults, stdin, the time-out. */
export interface CharmsRunOptions {
  readonly env?: Readonly<Record<string, string>>;
  readonly input?: string;
  readonly timeout?: number;
}

/** A temporary model and the charms command run against it. */
export interface CliModel {
  readonly dir: string;
  /** Runs `charms --model <dir> ...args`, colours off (NO_COLOR=1), within 90 s. */
  readonly charms: (...args: string[]) => Promise<CommandResult>;
  /** The same with `options`: `env` goes over the test process's variables and NO_COLOR=1. */
  readonly charmsWith: (options: CharmsRunOptions, ...args: string[]) => Promise<CommandResult>;
}

/**
 * A maker of fresh models in temporary folders (`<prefix>-…`, removed when the calling
 * test file's tests are done), each with the charms command run against it as a child
 * process, colours off. Call it at the top of a test file.
 */
export function cliModels(prefix: string): () => CliModel {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
    dirs.push(dir);
    const charmsWith = (options: CharmsRunOptions, ...args: string[]) =>
      runCommand(process.execPath, [CHARMS_BIN, '--model', dir, ...args], {
        cwd: REPO,
        env: { ...process.env, NO_COLOR: '1', ...options.env },
        timeout: options.timeout ?? 90_000,
        ...(options.input !== undefined ? { input: options.input } : {}),
      });
    return { dir, charms: (...args: string[]) => charmsWith({}, ...args), charmsWith };
  };
}
