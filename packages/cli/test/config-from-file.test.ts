import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCommand } from './helpers/run-command.js';

// Config values from files (issue 15, item 6): `key=@path` and `--file settings.yaml`, as
// `juju config` has them, so a big value or a secret need not be on the command line
// (1 MiB there fails with "Argument list too long", and `ps` shows it).

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..', '..');
const bin = join(repo, 'packages', 'cli', 'bin', 'charms.mjs');
const recorder = join(repo, 'packages', 'model', 'test', 'fixtures', 'recorder-charm');
const TIMEOUT = 180_000;
const dir = mkdtempSync(join(tmpdir(), 'config-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const modelDir = join(dir, 'model');
const charms = (...args: string[]) => runCommand(process.execPath, [bin, '--model', modelDir, ...args], { cwd: repo, env: { ...process.env, NO_COLOR: '1' }, timeout: 90_000 });
const config = () => (JSON.parse(readFileSync(join(modelDir, 'model.json'), 'utf8')) as { apps: Record<string, { config: Record<string, unknown> }> }).apps.recorder!.config;

describe('config from files', { timeout: TIMEOUT }, () => {
  it('takes key=@path from the file exactly, 1 MiB included, at deploy and in config', async () => {
    const small = join(dir, 'colour.txt');
    writeFileSync(small, 'green\n');
    const deployed = await charms('deploy', recorder, '--config', `colour=@${small}`);
    expect(deployed.status).toBe(0);
    expect(config().colour).toBe('green\n');
    const big = join(dir, 'big.txt');
    const value = `${'x'.repeat(1024 * 1024 - 1)}\n`;
    writeFileSync(big, value);
    const result = await charms('config', 'recorder', `leader-data=@${big}`);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(config()['leader-data']).toBe(value);
    const missing = await charms('config', 'recorder', `colour=@${join(dir, 'nowhere')}`);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('cannot read the value of colour from');
  });

  it('reads --file settings under the application name, as juju config --file; an int beyond 2^53 - 1 is refused, not rounded', async () => {
    const settings = join(dir, 'settings.yaml');
    writeFileSync(settings, 'recorder:\n  colour: red\n  fail-times: 3\n');
    const result = await charms('config', 'recorder', '--file', settings, 'colour=blue-ish');
    expect(result.status).toBe(0);
    expect(config()).toMatchObject({ colour: 'blue-ish', 'fail-times': 3 });
    writeFileSync(settings, 'recorder:\n  fail-times: 9007199254740993\n');
    const big = await charms('config', 'recorder', '--file', settings);
    expect(big.status).toBe(1);
    expect(big.stderr).toContain('"9007199254740993"');
    expect(big.stderr).toContain('beyond ±9007199254740991');
    expect(config()['fail-times']).toBe(3);
    writeFileSync(settings, 'other:\n  colour: red\n');
    const elsewhere = await charms('config', 'recorder', '--file', settings);
    expect(elsewhere.status).toBe(1);
    expect(elsewhere.stderr).toContain('has no settings for recorder');
  });
});
