import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { groupMembers } from '../src/process-groups.js';
import { HookReaper } from '../src/hook-reaper.js';

// No hook outlives the command that ran it (a Juju unit agent that dies takes its hook
// with it): the reaper kills the groups of hooks still running when its input ends,
// and leaves alone those whose hook has exited (their background processes live on).

/** A detached `sleep` standing for a hook's process group; its pgid. */
function group(): number {
  const child = spawn('sleep', ['30'], { detached: true, stdio: 'ignore' });
  child.unref();
  return child.pid!;
}

async function gone(pgid: number): Promise<boolean> {
  for (let i = 0; i < 200; i += 1) {
    if ((groupMembers(pgid) ?? []).length === 0) return true;
    await new Promise((done) => setTimeout(done, 25));
  }
  return false;
}

describe('the hook reaper', () => {
  it('kills a running hook group when its input ends, and leaves a group whose hook has exited', async () => {
    const reaper = HookReaper.start();
    const running = group();
    const exited = group();
    const another = group();
    reaper.started(running);
    reaper.started(exited);
    reaper.started(another);
    reaper.ended(exited);
    reaper.close();
    expect(await gone(running)).toBe(true);
    expect(await gone(another)).toBe(true);
    expect(groupMembers(exited)).toEqual([exited]);
    process.kill(-exited, 'SIGKILL');
  });

  it("kills the hook groups of a command whose process was killed", async () => {
    // A command (a Node process) starts a reaper and a hook group, prints the pgid, and is killed with SIGKILL.
    const script = `
      const { HookReaper } = await import(${JSON.stringify(new URL('../src/hook-reaper.ts', import.meta.url).pathname)});
      const { spawn } = await import('node:child_process');
      const reaper = HookReaper.start();
      const hook = spawn('sleep', ['30'], { detached: true, stdio: 'ignore' });
      reaper.started(hook.pid);
      console.log(hook.pid);
      setInterval(() => {}, 1000);
    `;
    const command = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const pgid = await new Promise<number>((done) => command.stdout!.once('data', (chunk: Buffer) => done(Number(String(chunk).trim()))));
    expect(groupMembers(pgid)).toEqual([pgid]);
    command.kill('SIGKILL');
    expect(await gone(pgid)).toBe(true);
  }, 30_000);
});
