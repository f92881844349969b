import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCharm } from '@charms/cli';
import { createModel, statusTable, type LocalModel } from '@charms/model';
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
  return runCommand(process.execPath, [bin, '--model', model.dir, ...args], { cwd: repo, env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 });
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
  it('prints the JSON the model reports', async () => {
    const result = await charms('status', '--format', 'json');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(model.status());
  });

  it('reads model.json itself (the fast path), not by falling back to opening the model', async () => {
    // The command falls back to the model when this gives nothing, which would hide a
    // broken fast path from the two tests of its output.
    const read = await readModelStatus(model.dir);
    expect(read?.status).toEqual(model.status());
    expect(read?.relations).toEqual(model.relations());
  });

  it('prints the table the model would print, relations included', async () => {
    const result = await charms('status');
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(statusTable(model.status(), model.relations()));
    expect(result.stdout).toContain('consumer');
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
