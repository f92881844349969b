import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCharm } from '@charms/build';
import { createModel, statusTable, type LocalModel } from '@charms/model';
import { parse } from 'yaml';
import { readModelStatus } from '../src/commands/model-status.js';
import { runCommand } from './helpers/run-command.js';

// `charms status` reads model.json without opening the model (to start fast): what it
// prints must be what the model itself reports.

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..', '..');
const bin = join(repo, 'packages', 'cli', 'bin', 'charms.mjs');
const TIMEOUT = 180_000;
let builds: string;
let model: LocalModel;

function charms(...args: string[]) {
  return charmsWith({}, ...args);
}

function charmsWith(env: Record<string, string>, ...args: string[]) {
  return runCommand(process.execPath, [bin, '--model', model.dir, ...args], { cwd: repo, env: { ...process.env, NO_COLOR: '1', ...env }, timeout: 60_000 });
}

beforeAll(async () => {
  builds = mkdtempSync(join(tmpdir(), 'status-command-'));
  const [minio, consumer] = await Promise.all([
    buildCharm({ charmDir: join(repo, 'examples', 'minio'), outDir: join(builds, 'minio') }),
    buildCharm({ charmDir: join(repo, 'examples', 'minio', 'test', 'fixtures', 'consumer'), outDir: join(builds, 'consumer') }),
  ]);
  model = await createModel();
  await model.deploy(minio.outDir, { resources: { 'oci-image': 'minio/minio:RELEASE.2021-09-24T00-24-24Z' } });
  await model.deploy(consumer.outDir);
  await model.relate('consumer', 'minio');
}, TIMEOUT);

afterAll(async () => {
  await model?.destroy();
  rmSync(builds, { recursive: true, force: true });
});

describe('charms status', { timeout: TIMEOUT }, () => {
  it('prints the JSON the model reports, on one line as Juju (Go) writes it', async () => {
    const result = await charms('status', '--format', 'json');
    expect(result.status).toBe(0);
    expect(result.stdout.trimEnd()).not.toContain('\n');
    expect(JSON.parse(result.stdout)).toEqual(model.status());
  });

  it('reads model.json itself (the fast path), not by falling back to opening the model', async () => {
    // The command falls back to the model when this gives nothing, which would hide a
    // broken fast path from the tests of its output.
    const read = await readModelStatus(model.dir);
    expect(read?.status).toEqual(model.status());
    expect(read?.relations).toEqual(model.relations());
  });

  it('prints the same document as YAML with --format yaml', async () => {
    const result = await charms('status', '--format', 'yaml');
    expect(result.status).toBe(0);
    expect(parse(result.stdout)).toEqual(model.status());
    // go-yaml's layout: the keys in Juju's order, sequences at their key's indentation.
    expect(result.stdout).toMatch(/^model:\n {2}name: local\n {2}type: caas\n/);
    expect(result.stdout).toContain('machines: {}\n');
  });

  it('prints times in UTC with --utc or JUJU_STATUS_ISO_TIME=true, and refuses a value that is no boolean', async () => {
    const since = (stdout: string) => JSON.parse(stdout).applications.minio.units['minio/0']['juju-status'].since as string;
    const local = await charmsWith({ TZ: 'Australia/Brisbane' }, 'status', '--format', 'json');
    expect(since(local.stdout)).toMatch(/^\d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d\+10:00$/);
    const utc = await charmsWith({ TZ: 'Australia/Brisbane' }, 'status', '--format', 'json', '--utc');
    expect(since(utc.stdout)).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
    const env = await charmsWith({ TZ: 'Australia/Brisbane', JUJU_STATUS_ISO_TIME: 'true' }, 'status', '--format', 'json');
    expect(since(env.stdout)).toBe(since(utc.stdout));
    const bad = await charmsWith({ JUJU_STATUS_ISO_TIME: 'maybe' }, 'status');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('invalid JUJU_STATUS_ISO_TIME env var, expected true|false');
  });

  it('prints the table the model would print; the relation section with --relations, as juju status', async () => {
    const result = await charms('status');
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(statusTable(model.status()));
    expect(result.stdout).toContain('consumer');
    expect(result.stdout).not.toContain('Relation provider');
    const withRelations = await charms('status', '--relations');
    expect(withRelations.stdout).toBe(statusTable(model.status(), model.relations()));
    expect(withRelations.stdout).toMatch(/^Relation provider\s+Requirer\s+Interface\s+Type\s+Message\nminio:object-storage\s+consumer:\S+\s+\S+\s+regular\s*$/m);
  });

  it('says on stderr that a model without applications is empty, as Juju does', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'status-empty-'));
    const result = await runCommand(process.execPath, [bin, '--model', empty, 'status', '--format', 'json'], { cwd: repo, env: { ...process.env, NO_COLOR: '1' } });
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ model: { name: 'local', type: 'caas' }, machines: {}, applications: {} });
    expect(result.stderr).toBe('Model "local" is empty.\n');
    rmSync(empty, { recursive: true, force: true });
  });

  it('refuses a format juju status would not print', async () => {
    const result = await charms('status', '--format', 'xml');
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('xml');
  });

  it('reports a damaged model.json as the model does, naming the file', async () => {
    const broken = mkdtempSync(join(tmpdir(), 'status-broken-'));
    writeFileSync(join(broken, 'model.json'), '{ not json');
    const result = await runCommand(process.execPath, [bin, '--model', broken, 'status'], { cwd: repo, env: { ...process.env, NO_COLOR: '1' } });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(join(broken, 'model.json'));
    rmSync(broken, { recursive: true, force: true });
  });
});
