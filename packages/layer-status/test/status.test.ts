import { describe, expect, it } from 'vitest';
import { MemoryHookTools } from '@charms/hooktools';
import { createReactor, defineLayer, MemoryUnitStateStore, type Layer } from '@charms/reactive';
import { runCharmHook, syntheticHookContext, type CharmContext } from '@charms/runtime';
import status, { active, blocked, maintenance, StatusError, statusSet, waiting } from '@charms/layer-status';

type Step = (ctx: CharmContext) => Promise<unknown> | unknown;

/** A layer with one install handler running `steps` in order. */
function layer(name: string, ...steps: Step[]): Layer<string, CharmContext> {
  return defineLayer<string, CharmContext>(name, (r) => {
    r.handle({ hook: 'install' }, async function install(ctx) {
      for (const step of steps) await step(ctx);
    });
  });
}

async function install(layers: Layer<string, CharmContext>[], options: { patchHookenv?: boolean; tools?: MemoryHookTools } = {}) {
  const tools = options.tools ?? new MemoryHookTools({ unitName: 'minio/0' });
  const result = await runCharmHook({
    juju: syntheticHookContext('install', { unitName: 'minio/0' }),
    tools,
    store: new MemoryUnitStateStore(),
    charm: () => layers.reduce((reactor, l) => reactor.use(l), createReactor().use(status)),
    metadata: { name: 'minio' },
    layerYaml: options.patchHookenv === undefined ? undefined : { options: { status: { 'patch-hookenv': options.patchHookenv } } },
  });
  const statusCalls = tools.calls.filter((c) => c.tool === 'status-set').map((c) => c.argv.join(' '));
  return { result, tools, statusCalls };
}

describe('layer-status', () => {
  it('sends maintenance at once and holds the rest to the end of the hook', async () => {
    const { statusCalls, tools } = await install([
      layer('minio', () => maintenance('configuring'), (ctx) => ctx.tools.isLeader(), () => active('ready')),
    ]);
    expect(statusCalls).toEqual(['maintenance -- configuring', 'active -- ready']);
    const order = tools.calls.map((c) => c.tool).filter((t) => t !== 'juju-log');
    expect(order.indexOf('is-leader')).toBeLessThan(order.lastIndexOf('status-set'));
    expect(tools.world.logs).toContainEqual({ level: 'INFO', message: 'status-set: active: ready' });
  });

  it('blocked beats waiting and active, whatever the order; exactly one status is sent at the end', async () => {
    const { statusCalls } = await install([
      layer('docker-resource', () => blocked('unable to fetch resource: oci-image')),
      layer('minio', () => waiting('waiting for db'), () => active('')),
    ]);
    expect(statusCalls).toEqual(['blocked -- unable to fetch resource: oci-image']);
  });

  it('within one state the layer latest in include order wins, the charm last, even if it asked first', async () => {
    const dockerResource = defineLayer<string, CharmContext>('docker-resource', (r) => {
      r.handle({ when: 'charm.asked' }, async function later() {
        await active('from docker-resource');
      });
    });
    const charm = layer('minio', () => active('from the charm'), (ctx) => ctx.setFlag('charm.asked'));
    const { statusCalls, tools } = await install([dockerResource, charm]);
    const invoked = tools.world.logs.filter((l) => l.message.startsWith('Invoking')).map((l) => l.message);
    expect(invoked).toEqual(['Invoking reactive handler: minio:install', 'Invoking reactive handler: docker-resource:later']);
    expect(statusCalls).toEqual(['active -- from the charm']);
  });

  it('within one layer the most recent request wins', async () => {
    const { statusCalls } = await install([layer('minio', () => waiting('first'), () => waiting('second'))]);
    expect(statusCalls).toEqual(['waiting -- second']);
  });

  it('routes other code’s direct status-set through the resolver (patch-hookenv, on by default)', async () => {
    const { statusCalls } = await install([
      layer('minio', (ctx) => ctx.tools.statusSet('blocked', 'direct call'), () => active('ready')),
    ]);
    expect(statusCalls).toEqual(['blocked -- direct call']);
  });

  it('with patch-hookenv false, direct status-set goes straight to Juju', async () => {
    const { statusCalls } = await install([layer('minio', (ctx) => ctx.tools.statusSet('blocked', 'direct call'), () => active('ready'))], {
      patchHookenv: false,
    });
    expect(statusCalls).toEqual(['blocked -- direct call', 'active -- ready']);
  });

  it('application status is never intercepted', async () => {
    const { statusCalls } = await install([layer('minio', (ctx) => ctx.tools.statusSet('active', 'app ok', { application: true }))]);
    expect(statusCalls).toEqual(['--application active -- app ok']);
  });

  it('a status asked for after the end of the hook is sent at once', async () => {
    // A layer included before status has its atexit run after status finalised.
    const late = defineLayer<string, CharmContext>('late', (r) => r.atexit(() => waiting('from an atexit')));
    const tools = new MemoryHookTools({ unitName: 'minio/0' });
    await runCharmHook({
      juju: syntheticHookContext('install', { unitName: 'minio/0' }),
      tools,
      store: new MemoryUnitStateStore(),
      charm: () => createReactor().use(late).use(status).use(layer('minio', () => active('ready'))),
      metadata: { name: 'minio' },
    });
    expect(tools.calls.filter((c) => c.tool === 'status-set').map((c) => c.argv.join(' '))).toEqual([
      'active -- ready',
      'waiting -- from an atexit',
    ]);
  });

  it('a failing hook sends no held status; a maintenance already sent stays', async () => {
    const { statusCalls, result } = await install([
      layer('minio', () => maintenance('starting'), () => active('ready'), () => {
        throw new Error('boom');
      }),
    ]);
    expect(result.exitCode).toBe(1);
    expect(statusCalls).toEqual(['maintenance -- starting']);
  });

  it('refuses states Juju does not allow', async () => {
    const { result, tools } = await install([layer('minio', () => statusSet('error' as never, 'x'))]);
    expect(result.exitCode).toBe(1);
    expect(tools.world.logs.find((l) => l.level === 'ERROR')?.message).toContain('invalid workload status "error"');
    expect(new StatusError('unknown').code).toBe('INVALID_STATUS');
  });

  it('outside a running layer lifecycle (no atstart, as in an action) a status is sent at once', async () => {
    const tools = new MemoryHookTools({ unitName: 'minio/0' });
    await runCharmHook({
      juju: syntheticHookContext('install', { unitName: 'minio/0' }),
      tools,
      store: new MemoryUnitStateStore(),
      charm: () => createReactor().use(layer('minio', () => active('no status layer'))),
      metadata: { name: 'minio' },
    });
    expect(tools.status).toEqual({ status: 'active', message: 'no status layer' });
  });
});
