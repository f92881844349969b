import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FakeJuju } from '../../../hooktools/test/fixtures/fake-juju.js';
import { runCommand } from '../../../cli/test/helpers/run-command.js';

// The two-layer charm the build and pack tests build: a charm, two local layers and
// layer:status, with config options greeting and port.

/** The fixture folder: `charm/` and `layers/`. */
export const fixture = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'two-layers');

/** A fresh copy of the two-layer fixture, to change or build without touching the repo. */
export function copyFixture(): { root: string; charm: string } {
  const root = mkdtempSync(join(tmpdir(), 'two-layers-'));
  cpSync(fixture, root, { recursive: true });
  return { root, charm: join(root, 'charm') };
}

/** A new output folder for a build, not yet there. */
export function out(): string {
  return join(mkdtempSync(join(tmpdir(), 'built-')), 'demo');
}

/**
 * Runs one hook of a built (or unpacked) charm through its dispatch, under fake Juju tools;
 * killed after a minute, so that a hang fails the test rather than blocking the file.
 * Processes run through runCommand, never spawnSync, which would block vitest's worker.
 */
export async function runHook(charmDir: string, hook: string, env: Record<string, string> = {}) {
  const juju = new FakeJuju({ config: { greeting: 'hello', port: 80 }, relations: {} });
  const result = await runCommand(join(charmDir, 'dispatch'), [], {
    cwd: charmDir,
    timeout: 60_000,
    env: juju.env({
      JUJU_DISPATCH_PATH: `hooks/${hook}`,
      JUJU_UNIT_NAME: 'demo/0',
      JUJU_MODEL_NAME: 'test',
      JUJU_CHARM_DIR: charmDir,
      ...env,
    }),
  });
  return { ...result, juju };
}
