import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliModels, modelFixture } from './helpers/cli-model.js';

// charms deploy of a sidecar charm (issue 19): --run-workloads is recorded with the
// application, so that later commands' Pebble servers run its services' commands.

const charm = modelFixture('sidecar-charm');
const TIMEOUT = 180_000;
const newModel = cliModels('sidecar-deploy');
const sidecarRecord = (dir: string) => (JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as { apps: Record<string, { sidecar?: { runWorkloads?: boolean } }> }).apps;

describe('charms deploy of a sidecar charm', { timeout: TIMEOUT }, () => {
  it('runs workload-pebble-ready and records --run-workloads with the application', async () => {
    const { dir, charms } = newModel();
    const deployed = await charms('deploy', charm, '--resource', 'workload-image=ghcr.io/example/workload:1.0', '--run-workloads');
    expect(deployed.stderr).toBe('');
    expect(deployed.stdout).toMatch(/sidecar\/0 +workload-pebble-ready +ok/);
    expect(sidecarRecord(dir).sidecar!.sidecar).toMatchObject({ runWorkloads: true });
    const other = await charms('deploy', charm, '--app', 'plain', '--resource', 'workload-image=ghcr.io/example/workload:1.0');
    expect(other.status).toBe(0);
    expect(sidecarRecord(dir).plain!.sidecar!.runWorkloads).toBeUndefined();
  });
});
