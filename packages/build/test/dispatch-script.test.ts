import { chmodSync, mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACTION_SCRIPT, DISPATCH_SCRIPT, HOOK_SCRIPT } from '../src/hooks.js';
import { runCommand } from '../../cli/test/helpers/run-command.js';

// dispatch, hooks/<name> and actions/<name> find the charm's folder from $0 with the shell's
// own expansion (no dirname process per hook): the bundle must start in that folder, and
// see the hook or action it was started for, however the script was named.

/** A charm folder with the three scripts and a bundle that prints where it runs and for what. */
function charmFolder(): string {
  // A folder name with a space, a quote and a command substitution: nothing of it may run.
  const dir = join(realpathSync(mkdtempSync(join(tmpdir(), 'dispatch-'))), `my charm's $(touch RAN)`);
  mkdirSync(join(dir, 'dist'), { recursive: true });
  mkdirSync(join(dir, 'hooks'));
  mkdirSync(join(dir, 'actions'));
  writeFileSync(join(dir, 'dist', 'start.cjs'), 'process.stdout.write(JSON.stringify({ cwd: process.cwd(), path: process.env.JUJU_DISPATCH_PATH }));\n');
  for (const [path, text] of [['dispatch', DISPATCH_SCRIPT], ['hooks/install', HOOK_SCRIPT], ['actions/backup', ACTION_SCRIPT]] as const) {
    writeFileSync(join(dir, path), text);
    chmodSync(join(dir, path), 0o755);
  }
  return dir;
}

async function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}) {
  const result = await runCommand(command, args, { cwd, env: { PATH: process.env.PATH!, ...env }, timeout: 30_000 });
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as { cwd: string; path: string };
}

describe('the generated scripts start the bundle in the charm folder', () => {
  it('start no program to find the folder (dirname was a process per hook)', () => {
    for (const script of [DISPATCH_SCRIPT, HOOK_SCRIPT, ACTION_SCRIPT]) expect(script).not.toContain('$(');
  });

  it('dispatch by its full path, from another folder, keeps the JUJU_DISPATCH_PATH Juju gives', async () => {
    const dir = charmFolder();
    expect(await run(join(dir, 'dispatch'), [], tmpdir(), { JUJU_DISPATCH_PATH: 'hooks/config-changed' })).toEqual({ cwd: dir, path: 'hooks/config-changed' });
  });

  it('dispatch as ./dispatch and as `sh dispatch` (no folder in $0) runs in the charm folder', async () => {
    const dir = charmFolder();
    expect(await run('./dispatch', [], dir, { JUJU_DISPATCH_PATH: 'hooks/start' })).toEqual({ cwd: dir, path: 'hooks/start' });
    expect(await run('sh', ['dispatch'], dir, { JUJU_DISPATCH_PATH: 'hooks/start' })).toEqual({ cwd: dir, path: 'hooks/start' });
  });

  it('hooks/<name> and actions/<name> hand over to dispatch with their own path (Juju before 2.8)', async () => {
    const dir = charmFolder();
    expect(await run(join(dir, 'hooks', 'install'), [], tmpdir())).toEqual({ cwd: dir, path: 'hooks/install' });
    expect(await run(join(dir, 'actions', 'backup'), [], tmpdir())).toEqual({ cwd: dir, path: 'actions/backup' });
    expect(await run('hooks/install', [], dir)).toEqual({ cwd: dir, path: 'hooks/install' });
  });
});
