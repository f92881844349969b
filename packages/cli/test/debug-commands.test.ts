import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildCharm } from '@charms/build';
import { LocalModel } from '@charms/model';
import { beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CHARMS_BIN, cliModels, modelFixture, REPO, type CliModel } from './helpers/cli-model.js';
import { runCommand } from './helpers/run-command.js';

// charms debug-hooks and replay (issue 18). debug-hooks follows Juju 2.9's: the next
// matching hook does not run; a shell in its environment does, and exiting it ends the
// hook with the shell's status (juju/juju worker/uniter/runner/debug/). The shell reads
// its commands from a pipe here, as a terminal would give them.

const fixture = modelFixture('debug-charm');
const TIMEOUT = 240_000;
const newModel = cliModels('debug-commands');
let cli: CliModel;
let dir: string;
let model: LocalModel;

/** The charms command against the model with `input` on stdin; a debug shell is /bin/sh. */
function charms(input: string, ...args: string[]) {
  return cli.charmsWith({ env: { FORCE_COLOR: '', SHELL: '/bin/sh' }, input, timeout: 120_000 }, ...args);
}

async function requested(unit: string): Promise<void> {
  const file = join(dir, 'run', 'debug', `${unit.replace('/', '-')}.request.json`);
  while (!existsSync(file)) await new Promise((woken) => setTimeout(woken, 50));
}

beforeAll(async () => {
  cli = newModel();
  dir = cli.dir;
  // Built into a folder of its own beside the model, removed with it.
  const built = join(newModel().dir, 'probe');
  await buildCharm({ charmDir: fixture, outDir: built });
  model = await LocalModel.open({ dir, automaticallyRetryHooks: false });
  await model.deploy(built);
}, TIMEOUT);

describe('charms debug-code', { timeout: TIMEOUT }, () => {
  it('waits for the named hook, prints the inspector URL with the Chrome and VS Code lines, and ends with the hook', async () => {
    const child = spawn(process.execPath, [CHARMS_BIN, '--model', dir, 'debug-code', 'probe/0', 'update-status', '--at', 'report'], { cwd: REPO, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '' } });
    let stdout = '';
    const ended = new Promise<number | null>((done) => child.on('close', done));
    const url = await new Promise<string>((found, failed) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString('utf8');
        const match = /inspector +(ws:\S+)/.exec(stdout);
        if (match) found(match[1]!);
      });
      child.on('close', () => failed(new Error(`debug-code ended before printing the inspector URL:\n${stdout}`)));
      // The hook it waits for, run by another command once the request is there.
      void requested('probe/0').then(() => model.run('probe/0', 'update-status'));
    });
    const port = new URL(url).port;
    expect(stdout).toContain('Waiting for the next update-status of probe/0');
    expect(stdout).toContain(`chrome://inspect → Configure… → add 127.0.0.1:${port}`);
    expect(stdout).toContain(`{"type":"node","request":"attach","name":"charms debug-code probe/0","address":"127.0.0.1","port":${port},"continueOnAttach":false}`);
    // The debugger: resume at the first line and before the handler `report` (probe:report).
    const socket = new WebSocket(url);
    await new Promise((opened) => socket.once('open', opened));
    const pauses: string[] = [];
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { method?: string; params?: { callFrames: { functionName: string }[] } };
      if (message.method !== 'Debugger.paused') return;
      pauses.push(message.params!.callFrames[0]!.functionName);
      socket.send(JSON.stringify({ id: 100 + pauses.length, method: 'Debugger.resume' }));
      if (pauses.length === 2) setTimeout(() => socket.close(), 100);
    });
    for (const [id, method] of [[1, 'Runtime.enable'], [2, 'Debugger.enable'], [3, 'Runtime.runIfWaitingForDebugger']] as const) socket.send(JSON.stringify({ id, method }));
    expect(await ended).toBe(0);
    expect(pauses).toEqual(['', 'beforeHandler']);
    expect(stdout).toContain('probe/0 update-status exited with status 0 (committed)');
  });

  it('lets the paused hook run on when the waiting command dies before a debugger attaches (the model is not left locked)', async () => {
    const child = spawn(process.execPath, [CHARMS_BIN, '--model', dir, 'debug-code', 'probe/0', 'update-status'], { cwd: REPO, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '' } });
    let stdout = '';
    const printed = new Promise<void>((found) => child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      if (/inspector +ws:/.test(stdout)) found();
    }));
    await requested('probe/0');
    const run = model.run('probe/0', 'update-status');
    await printed;
    // The terminal goes: the hook, paused in --inspect-brk, must not wait for ever.
    child.kill('SIGKILL');
    const reports = await run;
    expect(reports.map((r) => [r.hook, r.ok])).toEqual([['update-status', true]]);
  });

  it('refuses a name that is neither a hook nor an action of the unit\'s charm, as Juju does, and waits for nothing', async () => {
    const refused = await charms('', 'debug-code', 'probe/0', 'update-stats');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/^error: unit "probe\/0" contains neither hook nor action "update-stats", valid actions are \[.*\] and valid hooks are \[.*update-status.*\]\n/);
    expect(existsSync(join(dir, 'run', 'debug', 'probe-0.request.json'))).toBe(false);
  });
});

describe('charms debug-hooks', { timeout: TIMEOUT }, () => {
  it('opens a shell in the hook\'s environment instead of the hook; its tool calls reach the model and exit 0 commits them', async () => {
    const shell = charms(
      ['echo "hook=$JUJU_HOOK_NAME dispatch=$JUJU_DISPATCH_PATH unit=$JUJU_UNIT_NAME in=$(basename "$PWD")"', 'config-get mode', 'status-set active "set from the debug shell"', 'exit 0', ''].join('\n'),
      'debug-hooks', 'probe/0', 'config-changed',
    );
    await requested('probe/0');
    // Not a hook it waits for: runs as usual.
    expect(await model.run('probe/0', 'update-status')).toEqual([expect.objectContaining({ hook: 'update-status', ok: true })]);
    const reports = await model.setConfig('probe', { mode: 'shell' });
    const result = await shell;
    expect(result.stdout).toContain('hook=config-changed dispatch=hooks/config-changed unit=probe/0 in=charm\nshell\n');
    expect(result.stderr).toContain('probe/0 config-changed ended with status 0 (committed)');
    expect(result.status).toBe(0);
    expect(reports).toEqual([expect.objectContaining({ hook: 'config-changed', ok: true })]);
    // The handler did not run (it would have said "mode shell"); the shell's status-set did.
    expect(model.snapshot().apps.probe!.units[0]!.workload).toMatchObject({ status: 'active', message: 'set from the debug shell' });
  });

  it('fails the hook with the shell\'s exit status: nothing committed, the unit in error', async () => {
    const shell = charms('exit 3\n', 'debug-hooks', 'probe/0');
    await requested('probe/0');
    const reports = await model.run('probe/0', 'update-status');
    const result = await shell;
    expect(result.stderr).toContain('probe/0 update-status ended with status 3 (nothing committed)');
    expect(result.status).toBe(2);
    expect(reports).toEqual([expect.objectContaining({ hook: 'update-status', ok: false })]);
    const unit = model.snapshot().apps.probe!.units[0]!;
    expect(unit.agent.message).toBe('hook failed: "update-status"');
    expect(model.log('probe/0').at(-1)).toMatchObject({ hook: 'update-status', level: 'ERROR', message: 'hook "update-status" failed: exit status 3' });
    await model.resolve('probe/0', { retry: false });
  });

  it('refuses a unit the model does not have, asking nothing', async () => {
    const result = await charms('', 'debug-hooks', 'probe/7');
    expect(result.stderr).toContain('unit "probe/7" not found');
    expect(result.status).toBe(1);
    expect(existsSync(join(dir, 'run', 'debug', 'probe-7.request.json'))).toBe(false);
    // A folder with no model: refused, and no model is made there.
    const empty = newModel().dir;
    const none = await runCommand(process.execPath, [CHARMS_BIN, '--model', join(empty, 'm'), 'debug-code', 'probe/0'], { cwd: REPO, env: { ...process.env, NO_COLOR: '1' } });
    expect(none.stderr).toContain(`no model in ${join(empty, 'm')}: deploy a charm first`);
    expect(none.status).toBe(1);
    expect(existsSync(join(empty, 'm'))).toBe(false);
  });
});

describe('charms replay', { timeout: TIMEOUT }, () => {
  it('runs a recorded hook again with the config it saw and reports it; a failure exits 2', async () => {
    await model.setConfig('probe', { mode: 'bad' });
    const failed = model.hooks('probe/0').length - 1;
    await model.resolve('probe/0', { retry: false });
    await model.setConfig('probe', { mode: 'good' });
    const again = await charms('', 'replay', 'probe/0', String(failed));
    expect(again.stdout).toMatch(new RegExp(`Hook ${failed} of probe/0 \\(config-changed\\) replayed as hook ${failed + 2}: failed; nothing committed, probe/0 is in error`));
    expect(again.status).toBe(2);
    await model.resolve('probe/0', { retry: false });
    const bad = await charms('', 'replay', 'probe/0', '99');
    expect(bad.stderr).toMatch(/unit probe\/0 has no hook 99: it has 0 to \d+/);
    expect(bad.status).toBe(1);
  });
});
