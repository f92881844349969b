import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryHookTools } from '@charms/hooktools';
import { createReactor, declaredFlags, defineLayer, MemoryUnitStateStore } from '@charms/reactive';
import { runCharmHook, syntheticHookContext, type CharmContext } from '@charms/runtime';
import status, { active } from '@charms/layer-status';
import sidecar, { planLayer } from '@charms/layer-sidecar';
import { PebbleShapedServer } from './pebble-shaped-server.js';

const metadata = {
  name: 'minio',
  containers: { minio: { resource: 'minio-image' } },
  resources: { 'minio-image': { type: 'oci-image' as const } },
};

/** The charm: declares its layer once the container answers; records what it saw. */
function charmLayer(seen: string[], command: () => string) {
  return defineLayer<string, CharmContext>('minio', (r) => {
    r.handle({ when: 'container.minio.available' }, async function configure() {
      const outcome = await planLayer('minio', 'minio', { services: { minio: { override: 'replace', command: command(), startup: 'enabled' } } });
      seen.push(JSON.stringify(outcome));
      if (outcome.failure === undefined) await active('serving');
    });
    r.handle({ when: 'container.minio.changed' }, function changed() {
      seen.push('changed');
    });
  });
}

let folder: string;
let pebble: PebbleShapedServer | undefined;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'sidecar-'));
  process.env.CHARMS_PEBBLE_SOCKETS = folder;
});
afterEach(async () => {
  delete process.env.CHARMS_PEBBLE_SOCKETS;
  await pebble?.close();
  pebble = undefined;
});

class Unit {
  readonly store = new MemoryUnitStateStore();
  readonly tools = new MemoryHookTools({ unitName: 'minio/0' });
  readonly seen: string[] = [];
  command = 'minio server /data';

  constructor(readonly setStatus = true) {}

  async hook(hookName: string) {
    this.seen.length = 0;
    const result = await runCharmHook({
      juju: syntheticHookContext(hookName, { unitName: 'minio/0' }),
      tools: this.tools,
      store: this.store,
      charm: () => createReactor().use(status).use(sidecar).use(charmLayer(this.seen, () => this.command)),
      metadata,
      layerYaml: this.setStatus ? undefined : { options: { sidecar: { 'set-status': false } } },
    });
    expect(result.exitCode).toBe(0);
  }

  flags(): string[] {
    return Object.keys(this.store.peek()?.flags ?? {}).filter((f) => f.startsWith('container.')).sort();
  }

  status(): string {
    const calls = this.tools.calls.filter((c) => c.tool === 'status-set');
    return calls.at(-1)?.argv.filter((a) => a !== '--').join(' ') ?? '';
  }
}

describe('layer-sidecar', () => {
  it('waits for the container until <name>-pebble-ready, even when its Pebble already answers (Juju: the hook says Pebble is up)', async () => {
    pebble = await PebbleShapedServer.start(folder, 'minio');
    const unit = new Unit();
    await unit.hook('install');
    expect(unit.flags()).toEqual([]);
    expect(unit.status()).toBe('waiting waiting for container minio');
    expect(pebble.requests).toEqual([]);
  });

  it('sets container.<name>.available in pebble-ready, adds the layer and replans once: .changed for that hook only', async () => {
    pebble = await PebbleShapedServer.start(folder, 'minio');
    const unit = new Unit();
    await unit.hook('minio-pebble-ready');
    expect(unit.seen).toEqual(['{"changed":true,"replanned":true}', 'changed']);
    expect(unit.flags()).toEqual(['container.minio.available']);
    expect(pebble.services).toEqual({ minio: { override: 'replace', command: 'minio server /data', startup: 'enabled' } });
    expect(unit.status()).toBe('active serving');
    expect(pebble.requests).toEqual(['GET /v1/system-info', 'GET /v1/plan', 'POST /v1/layers', 'GET /v1/plan', 'POST /v1/services', 'GET /v1/changes/1/wait']);

    // The same layer in a later hook: the plan is the same and the service runs, so no replan.
    pebble.requests.length = 0;
    await unit.hook('config-changed');
    expect(unit.seen).toEqual(['{"changed":false,"replanned":false}']);
    expect(pebble.requests).toEqual(['GET /v1/system-info', 'GET /v1/plan', 'POST /v1/layers', 'GET /v1/plan', 'GET /v1/services']);

    // A different command: a new plan, replanned, .changed again.
    unit.command = 'minio server /data --address :9001';
    await unit.hook('config-changed');
    expect(unit.seen).toEqual(['{"changed":true,"replanned":true}', 'changed']);
    expect(pebble.services.minio!.command).toBe('minio server /data --address :9001');
  });

  it("reports a start that failed with Pebble's reason (blocked), and tries again in the next hook", async () => {
    pebble = await PebbleShapedServer.start(folder, 'minio');
    pebble.failStart = 'cannot start service: exec: "minio": executable file not found in $PATH';
    const unit = new Unit();
    await unit.hook('minio-pebble-ready');
    expect(unit.seen[0]).toBe(JSON.stringify({ changed: true, replanned: true, failure: pebble.failStart }));
    expect(unit.status()).toBe(`blocked container minio: ${pebble.failStart}`);
    expect(unit.tools.world.logs.filter((l) => l.level === 'ERROR').map((l) => l.message)[0]).toContain('container minio: the replan failed: change 1');

    pebble.failStart = undefined;
    await unit.hook('update-status');
    expect(unit.seen).toEqual(['{"changed":false,"replanned":true}']);
    expect(unit.status()).toBe('active serving');
  });

  it('clears container.<name>.available when its Pebble stops answering, and waits for it again', async () => {
    pebble = await PebbleShapedServer.start(folder, 'minio');
    const unit = new Unit();
    await unit.hook('minio-pebble-ready');
    await pebble.close();
    pebble = undefined;
    await unit.hook('update-status');
    expect(unit.flags()).toEqual([]);
    expect(unit.seen).toEqual([]);
    expect(unit.status()).toBe('waiting waiting for container minio');
    expect(unit.tools.world.logs.filter((l) => l.level === 'WARNING').map((l) => l.message)).toEqual([
      expect.stringMatching(/^container minio: Pebble does not answer: /),
    ]);
    // Pebble answers again: a later hook sees it, with no second pebble-ready (Juju sends none).
    pebble = await PebbleShapedServer.start(folder, 'minio');
    await unit.hook('update-status');
    expect(unit.flags()).toContain('container.minio.available');
  });

  it('keeps statuses out with the set-status option false', async () => {
    const unit = new Unit(false);
    await unit.hook('install');
    expect(unit.status()).toBe('');
  });

  it('declares the available flags of every container for charms lint and graph', () => {
    const reactor = createReactor().use(status).use(sidecar);
    const check = reactor.handlers.find((h) => h.id.endsWith('checkContainers'))!;
    const charm = { metadata: { name: 'two', containers: { a: { resource: 'x' }, b: { resource: 'y' } } } } as unknown as Parameters<typeof declaredFlags>[1];
    expect(declaredFlags(check, charm)).toEqual({ sets: ['container.a.available', 'container.b.available'], clears: ['container.a.available', 'container.b.available', 'layer.sidecar.probed'] });
  });
});
