import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalModel } from '@charms/model';
import { JournalFollower } from '@charms/model/internal';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHARMS_BIN, cliModels, modelFixture, REPO, type CliModel } from './helpers/cli-model.js';

// charms tail (issue 18): the hooks and actions of the model as one stream, as jhack tail
// shows a Juju model's events; --follow sees what another process runs while it runs.
// The model's shell fixture with two actions: its hooks log "hook <name>", the hook its
// fail-hook option names exits 1, backup completes and break calls action-fail.

const charm = modelFixture('action-charm');
const TIMEOUT = 180_000;
const newModel = cliModels('tail-command');
let cli: CliModel;

/** The charms command against the model, FORCE_COLOR emptied, with `env` over both. */
function charms(env: Record<string, string>, ...args: string[]) {
  return cli.charmsWith({ env: { FORCE_COLOR: '', ...env } }, ...args);
}

beforeAll(async () => {
  cli = newModel();
  const model = await LocalModel.open({ dir: cli.dir });
  await model.deploy(charm, { app: 'demo' });
  await model.runAction('demo/0', 'backup');
  await model.runAction('demo/0', 'break');
  await model.setConfig('demo', { 'fail-hook': 'config-changed' });
  // Skipped, not retried (juju resolved --no-retry): the unit can run the hook the --follow test asks for.
  await model.resolve('demo/0', { retry: false });
}, TIMEOUT);

describe('charms tail', { timeout: TIMEOUT }, () => {
  it('prints the last hooks and actions with their outcome: committed, failed with its exit status, an action completed or failed', async () => {
    const result = await charms({}, 'tail');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const lines = result.stdout.trimEnd().split('\n').map((line) => line.replace(/^\d\d:\d\d:\d\d /, ''));
    // Other hooks of the fixture (its storage) may run between these.
    const outcomes = [
      'demo/0   ▶ action backup (id 2)',
      /^demo\/0 {3}✓ action backup \(id 2\) completed \d+\.\d\d s$/,
      'demo/0   ▶ action break (id 4)',
      // break exits 0 after action-fail: the action's record says it failed.
      /^demo\/0 {3}✗ action break \(id 4\) failed: it broke \d+\.\d\d s$/,
      'demo/0   ▶ config-changed',
      /^demo\/0 {3}✗ config-changed failed \(exit status 1\), nothing committed \d+\.\d\d s$/,
    ];
    let at = 0;
    for (const line of lines) if (at < outcomes.length && (typeof outcomes[at] === 'string' ? line === outcomes[at] : (outcomes[at] as RegExp).test(line))) at += 1;
    expect({ matched: at, lines }).toEqual({ matched: outcomes.length, lines });
    // The default count: the last 10 of the fixture's hooks and actions.
    expect(lines.filter((line) => line.includes('▶'))).toHaveLength(10);
    // -n: the last hooks only, from the start of the first.
    const last = await charms({}, 'tail', '-n', '2');
    const shown = last.stdout.trimEnd().split('\n').map((line) => line.replace(/^\d\d:\d\d:\d\d /, ''));
    expect(shown.filter((line) => line.includes('▶'))).toHaveLength(2);
    expect(shown).toEqual(lines.slice(-shown.length));
    expect(shown.at(-1)).toMatch(/✗ config-changed failed \(exit status 1\)/);
  });

  it('adds the charm\'s log from --level and each tool call with --tools, and shows only the units named', async () => {
    const logged = await charms({}, 'tail', '-n', '1', '--level', 'INFO');
    // The model's report of the failure comes before the end it reports, though it shares its time with the next hook's start.
    expect(logged.stdout).toMatch(/▶ config-changed\n.* demo\/0 +INFO +hook config-changed\n.* demo\/0 +ERROR +hook "config-changed" failed: exit status 1\n.*✗ config-changed failed.*\n$/);
    const tools = await charms({}, 'tail', '-n', '1', '--tools');
    expect(tools.stdout).toMatch(/▶ config-changed\n.* · juju-log hook config-changed → 0\n(?:.* · .*\n)*.* · config-get fail-hook → 0\n.*✗ config-changed failed.*\n$/);
    expect((await charms({}, 'tail', 'other')).stdout).toBe('');
    expect((await charms({}, 'tail', 'demo', '-n', '1')).stdout).toContain('config-changed');
  });

  it('colours the stream only on a terminal or with FORCE_COLOR, never with NO_COLOR', async () => {
    const forced = await charms({ NO_COLOR: '', FORCE_COLOR: '1' }, 'tail', '-n', '1');
    expect(forced.stdout).toContain('\x1b[31m✗\x1b[39m');
    const piped = await charms({ NO_COLOR: '' }, 'tail', '-n', '1');
    expect(piped.stdout).not.toContain('\x1b[');
    const refused = await charms({ NO_COLOR: '1', FORCE_COLOR: '1' }, 'tail', '-n', '1');
    expect(refused.stdout).not.toContain('\x1b[');
  });

  it('with --follow, prints a hook that another process runs within a second of its end, and stops cleanly on SIGINT', async () => {
    const child = spawn(process.execPath, [CHARMS_BIN, '--model', cli.dir, 'tail', '--follow', '-n', '0'], { cwd: REPO, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let seen: number | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (seen === undefined && /✓ update-status committed/.test(output)) seen = Date.now();
    });
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString('utf8')));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })));
    try {
      // The command has read the journal and watches once it has loaded: give its start a moment.
      await new Promise((resolve) => setTimeout(resolve, 3000));
      expect(output).toBe('');
      const run = await charms({}, 'run', 'demo/0', 'update-status');
      expect(run.status).toBe(0);
      const ranAt = Date.now();
      for (let waited = 0; seen === undefined && waited < 5000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(output).toMatch(/^\d\d:\d\d:\d\d demo\/0 {3}▶ update-status\n\d\d:\d\d:\d\d demo\/0 {3}✓ update-status committed \d+\.\d\d s\n$/);
      // The line is printed while the other command is still running, or at most a second after it ended.
      expect(seen! - ranAt).toBeLessThan(1000);
      const interruptedAt = Date.now();
      child.kill('SIGINT');
      const end = await exited;
      expect(end).toMatchObject({ code: 0, signal: null });
      expect(end.at - interruptedAt).toBeLessThan(2000);
      expect(errors).toBe('');
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('with --follow, ends with the model\'s error (exit status 1) when the model becomes unreadable', async () => {
    const broken = newModel().dir;
    const child = spawn(process.execPath, [CHARMS_BIN, '--model', broken, 'tail', '--follow'], { cwd: REPO, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await new Promise((resolve) => setTimeout(resolve, 3000));
      writeFileSync(join(broken, 'model.json'), '{"version": 1, "apps": ');
      appendFileSync(join(broken, 'timeline.jsonl'), `${JSON.stringify({ time: '2026-01-01T00:00:00.000Z', unit: 'x/0', hook: 'install', kind: 'hook-start' })}\n`);
      expect(await exited).toBe(1);
      expect(errors).toMatch(/^error: .*model\.json/);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('refuses a count that is not a whole number', async () => {
    const bad = await charms({}, 'tail', '-n', 'lots');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('the number of hooks must be a whole number from 0, got "lots"');
  });
});

describe('the journal tail --follow reads', () => {
  const entry = (hook: string) => JSON.stringify({ time: '2026-01-01T00:00:00.000Z', unit: 'x/0', hook, kind: 'hook-start' });

  it('returns each whole line once, holds back a line still being written, and starts over on a new file', () => {
    const folder = mkdtempSync(join(tmpdir(), 'journal-'));
    try {
      const warnings: string[] = [];
      const journal = new JournalFollower(folder, (message) => warnings.push(message));
      expect(journal.read()).toEqual({ timeline: [], log: [] });
      const file = join(folder, 'timeline.jsonl');
      writeFileSync(file, `${entry('install')}\n${entry('start').slice(0, 20)}`);
      expect(journal.read().timeline.map((e) => e.hook)).toEqual(['install']);
      expect(journal.read().timeline).toEqual([]);
      appendFileSync(file, `${entry('start').slice(20)}\n`);
      expect(journal.read().timeline.map((e) => e.hook)).toEqual(['start']);
      // A line torn by a killed command: the model starts its next append on a new line.
      appendFileSync(file, `{"torn\n${entry('stop')}\n`);
      expect(journal.read().timeline.map((e) => e.hook)).toEqual(['stop']);
      expect(warnings).toEqual([expect.stringContaining('skipped a damaged line')]);
      // The model destroyed and made again: a shorter file is read from its start.
      writeFileSync(file, `${entry('install')}\n`);
      expect(journal.read().timeline.map((e) => e.hook)).toEqual(['install']);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
