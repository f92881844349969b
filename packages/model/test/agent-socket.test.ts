import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCharm } from '@charms/build';
import { createModel, type LocalModel } from '@charms/model';

// The model serves the unit agent's hook-tool socket (JUJU_AGENT_SOCKET_ADDRESS) as
// Juju 2.9's uniter does (worker/uniter/runner/jujuc/server.go: net/rpc `Jujuc.Main`),
// and a built charm's runtime makes its calls over it, as jujuc itself would, with no
// process per call (issue 20). The proof: a hook whose PATH has no hook tool at all
// still logs, reads its config and state, and sets its status.

const here = dirname(fileURLToPath(import.meta.url));
const TIMEOUT = 120_000;
let built: string;
const models: LocalModel[] = [];

beforeAll(async () => {
  built = join(mkdtempSync(join(tmpdir(), 'agent-socket-')), 'kv');
  await buildCharm({ charmDir: join(here, 'fixtures', 'podspec-charm'), outDir: built });
  // The built dispatch, run with a PATH that has no hook tool: Node's own folder and the system's.
  renameSync(join(built, 'dispatch'), join(built, 'dispatch.built'));
  writeFileSync(join(built, 'dispatch'), `#!/bin/sh\nPATH=${dirname(process.execPath)}:/usr/bin:/bin exec "\${0%/*}/dispatch.built" "$@"\n`, { mode: 0o755 });
}, TIMEOUT);
afterAll(() => Promise.all(models.map((model) => model.destroy())), TIMEOUT);

describe('the agent socket', () => {
  it("carries a built charm's tool calls when no hook tool is on PATH", async () => {
    const model = await createModel({ dir: mkdtempSync(join(tmpdir(), 'agent-socket-model-')) });
    models.push(model);
    await model.deploy(built, { resources: { image: 'example/kv:1' } });
    const unit = model.status().applications.kv!.units['kv/0']!;
    expect(unit['workload-status']).toMatchObject({ current: 'active', message: 'serving' });
    const tools = new Set(model.timeline('kv/0').filter((e) => e.kind === 'tool').map((e) => e.tool));
    expect([...tools]).toEqual(expect.arrayContaining(['juju-log', 'config-get', 'state-get', 'state-set', 'status-set', 'pod-spec-set']));
    expect(model.timeline('kv/0').filter((e) => e.kind === 'discard')).toEqual([]);
  }, TIMEOUT);
});
