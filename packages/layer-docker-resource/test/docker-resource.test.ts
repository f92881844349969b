import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryHookTools } from '@charms/hooktools';
import { createReactor, declaredFlags, defineLayer, MemoryUnitStateStore } from '@charms/reactive';
import { runCharmHook, syntheticHookContext, type CharmContext } from '@charms/runtime';
import status, { active } from '@charms/layer-status';
import dockerResource, { DockerResourceError, getInfo } from '@charms/layer-docker-resource';

const folder = mkdtempSync(join(tmpdir(), 'oci-'));
function imageFile(name: string, text: string): string {
  const path = join(folder, name);
  writeFileSync(path, text);
  return path;
}
const PRIVATE = imageFile('private.yaml', 'registrypath: registry.example/minio@sha256:aa\nusername: docker-registry\npassword: t0pS3cret\n');
const NEWER = imageFile('newer.yaml', 'registrypath: registry.example/minio@sha256:bb\nusername: docker-registry\npassword: t0pS3cret\n');
const PUBLIC = imageFile('public.json', '{"registrypath": "minio/minio:RELEASE.2021"}');

const metadata = {
  name: 'minio',
  resources: { 'oci-image': { type: 'oci-image' as const, 'auto-fetch': true }, manual: { type: 'oci-image' as const } },
};

/** The charm: ready when the image is available; records what it saw. */
function charmLayer(seen: string[]) {
  return defineLayer<string, CharmContext>('minio', (r) => {
    r.handle({ when: 'layer.docker-resource.oci-image.available' }, async function ready() {
      seen.push(`image ${getInfo('oci-image').registryPath}`);
      await active('ready');
    });
    r.handle({ when: 'layer.docker-resource.oci-image.changed' }, function restart() {
      seen.push('changed');
    });
  });
}

class Unit {
  readonly store = new MemoryUnitStateStore();
  readonly tools: MemoryHookTools;
  readonly seen: string[] = [];

  constructor(resources: Record<string, string>, readonly setStatus = true) {
    this.tools = new MemoryHookTools({ unitName: 'minio/0', resources });
  }

  async hook(hookName: string) {
    this.tools.calls.length = 0;
    const result = await runCharmHook({
      juju: syntheticHookContext(hookName, { unitName: 'minio/0' }),
      tools: this.tools,
      store: this.store,
      charm: () => createReactor().use(status).use(dockerResource).use(charmLayer(this.seen)),
      metadata,
      layerYaml: this.setStatus ? undefined : { options: { 'docker-resource': { 'set-status': false } } },
    });
    expect(result.exitCode).toBe(0);
  }

  flags(): string[] {
    return Object.keys(this.store.peek()?.flags ?? {}).filter((f) => f.startsWith('layer.docker-resource.')).sort();
  }

  /** The tool calls of the last hook, without juju-log. */
  toolCalls(): string[] {
    return this.tools.calls.filter((c) => c.tool !== 'juju-log').map((c) => [c.tool, ...c.argv].join(' '));
  }

  logs(level: string): string[] {
    return this.tools.world.logs.filter((l) => l.level === level).map((l) => l.message);
  }
}

describe('layer-docker-resource', () => {
  it('fetches an auto-fetch resource on the first hook: maintenance at once, then available', async () => {
    const unit = new Unit({ 'oci-image': PRIVATE });
    await unit.hook('install');
    expect(unit.toolCalls()).toEqual([
      'config-get --format=json --all',
      'status-set maintenance -- fetching resource: oci-image',
      'resource-get oci-image',
      'status-set active -- ready',
    ]);
    expect(unit.flags()).toEqual([
      'layer.docker-resource.auto-fetched',
      'layer.docker-resource.oci-image.available',
      'layer.docker-resource.oci-image.fetched',
    ]);
    expect(unit.seen).toEqual(['image registry.example/minio@sha256:aa']);
    expect(unit.tools.status).toEqual({ status: 'active', message: 'ready' });
  });

  it('a missing resource blocks, sets .failed, and is retried in the next hook, which clears blocked', async () => {
    const unit = new Unit({});
    await unit.hook('install');
    expect(unit.toolCalls()).toEqual([
      'config-get --format=json --all',
      'status-set maintenance -- fetching resource: oci-image',
      'resource-get oci-image',
      'status-set blocked -- unable to fetch resource: oci-image',
    ]);
    expect(unit.flags()).toEqual([
      'layer.docker-resource.auto-fetched',
      'layer.docker-resource.oci-image.failed',
      'layer.docker-resource.oci-image.fetched',
      'layer.docker-resource.pending',
    ]);
    expect(unit.logs('ERROR')).toEqual([
      // Python logged only "no filename returned" here; the tool's own error says more.
      'unable to fetch docker resource oci-image: resource-get oci-image exited 1: ERROR could not download resource: resource#minio/oci-image not found',
    ]);

    unit.tools.world.resources['oci-image'] = PRIVATE;
    await unit.hook('update-status');
    expect(unit.toolCalls()).toContain('resource-get oci-image');
    expect(unit.flags()).toEqual([
      'layer.docker-resource.auto-fetched',
      'layer.docker-resource.oci-image.available',
      'layer.docker-resource.oci-image.fetched',
    ]);
    expect(unit.tools.status).toEqual({ status: 'active', message: 'ready' });
  });

  it('upgrade-charm re-fetches: changed content sets .changed for that hook only', async () => {
    const unit = new Unit({ 'oci-image': PRIVATE });
    await unit.hook('install');
    unit.tools.world.resources['oci-image'] = NEWER;
    await unit.hook('upgrade-charm');
    expect(unit.toolCalls()).toContain('resource-get oci-image');
    // The fetch handler runs first in iteration 0 (include order), so `ready` already sees
    // the new image; `restart` runs in iteration 1, after `.changed` was set.
    expect(unit.seen).toEqual(['image registry.example/minio@sha256:aa', 'image registry.example/minio@sha256:bb', 'changed']);
    expect(unit.flags()).not.toContain('layer.docker-resource.oci-image.changed');
    await unit.hook('update-status');
    expect(unit.seen.filter((s) => s === 'changed')).toHaveLength(1);
  });

  it('upgrade-charm with unchanged content does not set .changed', async () => {
    const unit = new Unit({ 'oci-image': PRIVATE });
    await unit.hook('install');
    await unit.hook('upgrade-charm');
    expect(unit.toolCalls()).toContain('resource-get oci-image');
    // The image was fetched again and `ready` saw it; `restart` never ran.
    expect(unit.seen).toEqual(['image registry.example/minio@sha256:aa', 'image registry.example/minio@sha256:aa']);
  });

  it('with set-status false the layer sets no status at all', async () => {
    const unit = new Unit({}, false);
    await unit.hook('install');
    expect(unit.toolCalls()).toEqual(['config-get --format=json --all', 'resource-get oci-image']);
    expect(unit.flags()).toContain('layer.docker-resource.oci-image.failed');
  });

  it('several failures are named in one blocked status', async () => {
    const unit = new Unit({});
    const both = defineLayer<string, CharmContext>('extra', (r) =>
      r.handle({ hook: 'install' }, async function alsoManual() {
        const { fetch } = await import('@charms/layer-docker-resource');
        fetch('manual');
      }),
    );
    await runCharmHook({
      juju: syntheticHookContext('install', { unitName: 'minio/0' }),
      tools: unit.tools,
      store: unit.store,
      charm: () => createReactor().use(status).use(dockerResource).use(both),
      metadata,
    });
    expect(unit.tools.status).toEqual({ status: 'blocked', message: 'unable to fetch resources: manual, oci-image' });
  });

  it('a file that is not YAML, or has no registrypath, counts as failed with the reason logged', async () => {
    const unit = new Unit({ 'oci-image': imageFile('bad.yaml', 'registrypath: [unclosed\n') });
    await unit.hook('install');
    expect(unit.flags()).toContain('layer.docker-resource.oci-image.failed');
    expect(unit.logs('ERROR')[0]).toMatch(/^unable to fetch docker resource oci-image: .*bad\.yaml is not YAML or JSON/);

    const noPath = new Unit({ 'oci-image': imageFile('nopath.yaml', 'username: x\n') });
    await noPath.hook('install');
    expect(noPath.logs('ERROR')[0]).toMatch(/nopath\.yaml has no registrypath/);
  });

  it('getInfo gives empty credentials for a public image, and throws for an unavailable resource', async () => {
    const infos: unknown[] = [];
    const probe = defineLayer<string, CharmContext>('probe', (r) => {
      r.handle({ when: 'layer.docker-resource.oci-image.available' }, function probe() {
        infos.push(getInfo('oci-image'));
        try {
          getInfo('manual');
        } catch (error) {
          infos.push((error as DockerResourceError).code);
        }
      });
    });
    const tools = new MemoryHookTools({ unitName: 'minio/0', resources: { 'oci-image': PUBLIC } });
    await runCharmHook({
      juju: syntheticHookContext('install', { unitName: 'minio/0' }),
      tools,
      store: new MemoryUnitStateStore(),
      charm: () => createReactor().use(status).use(dockerResource).use(probe),
      metadata,
    });
    expect(infos).toEqual([{ registryPath: 'minio/minio:RELEASE.2021', username: '', password: '' }, 'RESOURCE_NOT_AVAILABLE']);
  });

  it('never logs the registry password', async () => {
    const unit = new Unit({ 'oci-image': PRIVATE });
    const leaky = defineLayer<string, CharmContext>('leaky', (r) =>
      r.handle({ when: 'layer.docker-resource.oci-image.available' }, async function leak(ctx) {
        await ctx.log(`pulling with ${getInfo('oci-image').password}`);
      }),
    );
    await runCharmHook({
      juju: syntheticHookContext('install', { unitName: 'minio/0' }),
      tools: unit.tools,
      store: unit.store,
      charm: () => createReactor().use(status).use(dockerResource).use(leaky),
      metadata,
    });
    expect(JSON.stringify(unit.tools.world.logs)).not.toContain('t0pS3cret');
    expect(unit.tools.world.logs.map((l) => l.message)).toContain('pulling with ***');
  });

  it("declares every flag its handlers set and clear, named after the charm's resources", async () => {
    // Run hooks that take each handler through its paths (fetched, failed, changed) and
    // check every change a layer handler made against what it declares.
    const store = new MemoryUnitStateStore();
    const undeclared: string[] = [];
    const declared = new Map<string, ReturnType<typeof declaredFlags>>();
    async function hook(hookName: string, resources: Record<string, string>) {
      const reactor = createReactor().use(status).use(dockerResource).use(charmLayer([]));
      for (const handler of reactor.handlers) declared.set(handler.id, declaredFlags(handler, { metadata }));
      let running: string | undefined;
      reactor.events.on('handler:start', ({ handlerId }) => void (running = handlerId));
      reactor.events.on('handler:end', () => void (running = undefined));
      const check = (verb: 'sets' | 'clears', flag: string) => {
        if (running?.startsWith('docker-resource:') && !declared.get(running)![verb].includes(flag)) undeclared.push(`${running} ${verb} ${flag}`);
      };
      reactor.events.on('flag:set', ({ flag }) => check('sets', flag));
      reactor.events.on('flag:clear', ({ flag }) => check('clears', flag));
      const tools = new MemoryHookTools({ unitName: 'minio/0', resources });
      await runCharmHook({ juju: syntheticHookContext(hookName, { unitName: 'minio/0' }), tools, store, charm: () => reactor, metadata });
    }
    await hook('install', {});
    await hook('update-status', { 'oci-image': PRIVATE });
    await hook('upgrade-charm', { 'oci-image': NEWER });
    expect(undeclared).toEqual([]);
    expect(declared.get('docker-resource:fetch')).toEqual({
      sets: ['available', 'changed', 'failed'].flatMap((s) => [`layer.docker-resource.manual.${s}`, `layer.docker-resource.oci-image.${s}`]).sort(),
      clears: ['available', 'changed', 'failed'].flatMap((s) => [`layer.docker-resource.manual.${s}`, `layer.docker-resource.oci-image.${s}`]).concat('layer.docker-resource.pending').sort(),
    });
    expect(declared.get('docker-resource:autoFetch')!.sets).toEqual(['layer.docker-resource.auto-fetched', 'layer.docker-resource.oci-image.fetched', 'layer.docker-resource.pending']);
  });
});
