import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCommand } from './helpers/run-command.js';

const here = dirname(fileURLToPath(import.meta.url));
// The two-layer charm of the build's tests.
const fixture = join(here, '..', '..', 'build', 'test', 'fixtures', 'two-layers');
const repo = join(here, '..', '..', '..');

// The charms command (bin/charms.mjs) and the builds and hooks it runs take seconds each on
// a busy two-core machine: the tests that start them get minutes. Processes run through
// runCommand, never spawnSync, which would block vitest's worker meanwhile.
const TIMEOUT = 120_000;

function out(): string {
  return join(mkdtempSync(join(tmpdir(), 'built-')), 'demo');
}

// The charms command as users run it: bin/charms.mjs (bundle/ or dist/ when fresh, else the sources).
const charmsBin = join(repo, 'packages', 'cli', 'bin', 'charms.mjs');

describe('@charms/cli as a module', () => {
  it('exports only run, and importing it runs nothing', async () => {
    const exitCode = process.exitCode;
    const written: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => (written.push(String(chunk)), true)) as typeof process.stdout.write;
    try {
      const cli = await import('@charms/cli');
      expect(Object.keys(cli)).toEqual(['run']);
    } finally {
      process.stdout.write = write;
    }
    expect(written).toEqual([]);
    expect(process.exitCode).toBe(exitCode);
  });

  it('run returns the exit status and leaves setting it to the caller', async () => {
    const { run } = await import('@charms/cli');
    const exitCode = process.exitCode;
    expect(await run(['--version'])).toBe(0);
    expect(await run(['no-such-command'])).toBe(1);
    expect(process.exitCode).toBe(exitCode);
  });
});

describe('the charms command', { timeout: TIMEOUT }, () => {
  const charms = (...args: string[]) => runCommand(process.execPath, [charmsBin, ...args], { cwd: repo, env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 });

  it('has --help, --version and per-command help', async () => {
    expect((await charms('--help')).stdout).toContain('Usage: charms');
    expect((await charms('--version')).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    expect((await charms('build', '--help')).stdout).toContain('--output <dir>');
  });

  it('prints one clear error and exits 1, with no stack trace unless --debug', async () => {
    const result = await charms('build', join(fixture, 'nowhere'));
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^error: .*nowhere is not a charm: it has no metadata.yaml\n$/);
    const debug = await charms('build', join(fixture, 'nowhere'), '--debug');
    expect(debug.stderr).toContain('at buildCharm');
  });

  it('builds and says what it did in a few lines', async () => {
    const target = out();
    const result = await charms('build', join(fixture, 'charm'), '-o', target);
    expect(result.status).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(3);
    expect(result.stdout).toContain('layers: status → base → extra → demo');
  });
});

describe('the local model from the command line', { timeout: TIMEOUT }, () => {
  const kvCharm = join(repo, 'packages', 'model', 'test', 'fixtures', 'podspec-charm');
  const modelDir = mkdtempSync(join(tmpdir(), 'cli-model-'));
  const charms = (...args: string[]) =>
    runCommand(process.execPath, [charmsBin, '--model', modelDir, ...args], { cwd: repo, env: { ...process.env, NO_COLOR: '1' }, timeout: 90_000 });

  it('deploys a charm source folder, printing each hook and the status', async () => {
    const result = await charms('deploy', kvCharm, '--resource', 'image=example/kv:1', '--config', 'port=7100');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/kv\/0\s+install\s+ok/);
    expect(result.stdout).toMatch(/kv\/0\s+start\s+ok/);
    expect(result.stdout).toMatch(/kv\/0\*\s+active\s+idle/);
    expect(result.stdout).toContain('Manifests for kv:');
  });

  it('status --format json has Juju’s shape', async () => {
    const status = JSON.parse((await charms('status', '--format', 'json')).stdout);
    expect(status.applications.kv.units['kv/0']['workload-status'].current).toBe('active');
    expect(status.applications.kv.units['kv/0']['juju-status'].current).toBe('idle');
    expect(status.applications.kv.units['kv/0'].leader).toBe(true);
  });

  it('config shows values; a bad value is refused with exit 1 and changes nothing', async () => {
    expect((await charms('config', 'kv')).stdout).toContain('port: 7100');
    const bad = await charms('config', 'kv', 'port=lots');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('option "port" expected int, got "lots"');
    expect((await charms('config', 'kv')).stdout).toContain('port: 7100');
  });

  it('log and timeline show what the charm did', async () => {
    expect((await charms('log', 'kv/0')).stdout).toContain('Invoking reactive handler: kv:Kv.configure');
    expect((await charms('timeline', 'kv')).stdout).toMatch(/kv\/0 install: pod-spec-set --file - → 0/);
  });
});
