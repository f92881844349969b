import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createModel, type LocalModel } from '@charms/model';

// The local model against Juju 2.9's scheduling rules (issue 14), with a shell charm that
// records through juju-log what each hook sees: its name, the remote and departing unit,
// its workload status, and in relation hooks both units' settings. Each test names the
// Juju source it follows; docs/explanation/model-scheduling.md sets the rules side by side.

const recorder = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'recorder-charm');
const TIMEOUT = 120_000;

const models: LocalModel[] = [];
afterAll(() => Promise.all(models.map((m) => m.destroy())), TIMEOUT);

async function deployed(options: { units?: number; config?: Record<string, unknown>; automaticallyRetryHooks?: boolean; seed?: number } = {}) {
  const hooks: string[] = [];
  const model = await createModel({
    onHook: (r) => hooks.push(`${r.unit} ${r.hook}${r.ok ? '' : ' FAILED'}`),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.automaticallyRetryHooks === undefined ? {} : { automaticallyRetryHooks: options.automaticallyRetryHooks }),
  });
  models.push(model);
  await model.deploy(recorder, { units: options.units ?? 1, config: options.config ?? {} });
  return { model, hooks };
}

/** What the charm logged on `unit`, each line as `hook: fact`, optionally only facts starting with `prefix`. */
function seen(model: LocalModel, unit: string, prefix = ''): string[] {
  return model
    .log(unit)
    .filter((l) => l.level === 'INFO' && l.unit === unit)
    .map((l) => l.message.replace(/^[a-z-]+:\d+: /, ''))
    .filter((message) => message.startsWith(prefix))
    .map((message) => message);
}

describe('the local model schedules hooks as Juju 2.9 does', { timeout: TIMEOUT }, () => {
  it('runs config-changed only when the effective config changes (worker/uniter/resolver.go: ConfigHash)', async () => {
    const { model, hooks } = await deployed({ units: 2 });
    hooks.length = 0;
    expect(await model.setConfig('recorder', { colour: 'blue' })).toEqual([]);
    expect(await model.setConfig('recorder', {}, ['colour'])).toEqual([]);
    await model.setConfig('recorder', { colour: 'red' });
    expect(hooks).toEqual(['recorder/0 config-changed', 'recorder/1 config-changed']);
    expect(seen(model, 'recorder/1', 'colour=')).toEqual(['colour=blue', 'colour=red']);
    hooks.length = 0;
    expect(await model.setConfig('recorder', { colour: 'red' })).toEqual([]);
    await model.setConfig('recorder', {}, ['colour']);
    expect(hooks).toEqual(['recorder/0 config-changed', 'recorder/1 config-changed']);
    expect(seen(model, 'recorder/1', 'colour=').at(-1)).toBe('colour=blue');
  });

  it('runs leader-settings-changed on the other units once per change of the leader settings, not per leader-set call (worker/uniter/leadership/resolver.go: LeaderSettingsVersion)', async () => {
    const { model, hooks } = await deployed({ units: 3, config: { 'leader-data': 'a=1 b=2' } });
    const lsc = (unit: string) => hooks.filter((h) => h === `${unit} leader-settings-changed`).length;
    // The setup hook of each minion, then one for the two writes of the leader's config-changed.
    expect([lsc('recorder/1'), lsc('recorder/2')]).toEqual([2, 2]);
    expect(seen(model, 'recorder/2', 'leader-data=').at(-1)).toBe('leader-data={"a":"1","b":"2"}');
    hooks.length = 0;
    // a and b are written again unchanged; only c changes the settings.
    await model.setConfig('recorder', { 'leader-data': 'a=1 b=2 c=3' });
    expect(hooks.filter((h) => h.endsWith('leader-settings-changed')).sort()).toEqual(['recorder/1 leader-settings-changed', 'recorder/2 leader-settings-changed']);
    hooks.length = 0;
    await model.setConfig('recorder', { 'leader-data': 'a=1' });
    expect(hooks.sort()).toEqual(['recorder/0 config-changed', 'recorder/1 config-changed', 'recorder/2 config-changed']);
    expect(lsc('recorder/0')).toBe(0);
  });

  it('runs one update-status per unit after a clock jump of hours (worker/uniter/remotestate/watcher.go: the timer fires once)', async () => {
    const { model, hooks } = await deployed({ units: 2 });
    hooks.length = 0;
    await model.tick(4 * 60 * 60_000);
    expect(hooks).toEqual(['recorder/0 update-status', 'recorder/1 update-status']);
    hooks.length = 0;
    await model.tick(60_000);
    expect(hooks).toEqual([]);
  });

  it('shows a failed hook as the workload’s error with the agent idle, and retries it by itself on the clock after 5 s, then 10 s (state/unitagent.go; uniter.go and retrystrategy.go back-off)', async () => {
    const { model, hooks } = await deployed({ config: { 'fail-hook': 'install', 'fail-times': 2 } });
    expect(hooks).toEqual(['recorder/0 install FAILED']);
    const unit = () => model.status().applications.recorder!.units['recorder/0']!;
    expect(unit()['workload-status']).toMatchObject({ current: 'error', message: 'hook failed: "install"' });
    expect(unit()['juju-status'].current).toBe('idle');
    expect(model.snapshot().apps.recorder!.units[0]!.agent).toMatchObject({ status: 'error', message: 'hook failed: "install"' });
    hooks.length = 0;
    await model.tick(4_999);
    expect(hooks).toEqual([]);
    await model.tick(1);
    expect(hooks).toEqual(['recorder/0 install FAILED']);
    await model.tick(9_999);
    expect(hooks).toEqual(['recorder/0 install FAILED']);
    await model.tick(1);
    expect(hooks).toEqual(['recorder/0 install FAILED', 'recorder/0 install', 'recorder/0 cluster-relation-created', 'recorder/0 leader-elected', 'recorder/0 config-changed', 'recorder/0 start']);
    expect(seen(model, 'recorder/0', 'failing ')).toEqual(['failing install (attempt 1)', 'failing install (attempt 2)']);
    expect(unit()['juju-status'].current).toBe('idle');
    expect(unit()['workload-status'].current).toBe('unknown');
  });

  it('without automatically-retry-hooks, waits for resolve however far the clock moves', async () => {
    const { model, hooks } = await deployed({ config: { 'fail-hook': 'start', 'fail-times': 1 }, automaticallyRetryHooks: false });
    expect(hooks.at(-1)).toBe('recorder/0 start FAILED');
    hooks.length = 0;
    await model.tick(60 * 60_000);
    expect(hooks).toEqual([]);
    await model.resolve('recorder/0');
    expect(hooks).toEqual(['recorder/0 start', 'recorder/0 update-status']);
  });

  it('sets the workload status around hooks: maintenance before install, stop and remove; unknown after start unless the charm set one (worker/uniter/operation/runhook.go)', async () => {
    const { model } = await deployed({ units: 2 });
    const statusIn = (unit: string, hook: string) => seen(model, unit, `hook=${hook} `)[0]!.replace(/^.* status=/, '');
    expect(JSON.parse(statusIn('recorder/0', 'install'))).toMatchObject({ status: 'maintenance', message: 'installing charm software' });
    expect(JSON.parse(statusIn('recorder/0', 'start'))).toMatchObject({ status: 'maintenance', message: 'installing charm software' });
    expect(model.status().applications.recorder!.units['recorder/0']!['workload-status']).toMatchObject({ current: 'unknown' });
    await model.removeUnit('recorder/1');
    expect(JSON.parse(statusIn('recorder/1', 'stop'))).toMatchObject({ status: 'maintenance', message: 'stopping charm software' });
    expect(JSON.parse(statusIn('recorder/1', 'remove'))).toMatchObject({ status: 'maintenance', message: 'cleaning up prior to charm deletion' });

    const { model: active } = await deployed({ config: { 'set-status': 'active' } });
    expect(active.status().applications.recorder!.units['recorder/0']!['workload-status']).toMatchObject({ current: 'active', message: 'set by the charm' });
    await active.run('recorder/0', 'start');
    expect(active.status().applications.recorder!.units['recorder/0']!['workload-status']).toMatchObject({ current: 'active' });
  });

  it('joins a unit to its relations only after its install: nobody sees it join before, and it sees the others after its own start (worker/uniter/relation/statetracker.go, resolver.go)', async () => {
    for (const seed of [1, 7, 42]) {
      const { model } = await deployed({ units: 3, seed });
      const lines = model
        .log()
        .filter((l) => l.level === 'INFO' && l.message.includes('hook='))
        .map((l) => `${l.unit} ${l.message.replace(/^[a-z-]+:\d+: /, '').replace(/ departing=.*$/, '')}`);
      const joins = lines.filter((l) => l.includes('hook=cluster-relation-joined'));
      expect(joins).toHaveLength(6);
      for (const join of joins) {
        const [unit, , remote] = join.split(' ');
        const at = lines.indexOf(join);
        expect(lines.indexOf(`${remote!.slice('remote='.length)} hook=install remote=-`)).toBeLessThan(at);
        expect(lines.indexOf(`${unit} hook=start remote=-`)).toBeLessThan(at);
      }
    }
  });

  it('writes private-address, ingress-address and egress-subnets into a unit’s relation settings as it enters the scope (apiserver/facades/agent/uniter EnterScope)', async () => {
    const { model } = await deployed({ units: 2 });
    await model.deploy(recorder, { app: 'client' });
    const address = (unit: string) => model.status().applications[unit.split('/')[0]!]!.units[unit]!.address;
    const expected = (unit: string) => ({ 'egress-subnets': `${address(unit)}/32`, 'ingress-address': address(unit), 'private-address': address(unit) });
    // recorder/0 saw recorder/1 join on the peer relation, with its settings already there.
    expect(JSON.parse(seen(model, 'recorder/0', 'remote-data=')[0]!.slice('remote-data='.length))).toEqual(expected('recorder/1'));
    expect(JSON.parse(seen(model, 'recorder/0', 'own-data=')[0]!.slice('own-data='.length))).toEqual(expected('recorder/0'));
    await model.relate('client:backend', 'recorder:db');
    const joined = seen(model, 'client/0', 'remote-data=');
    expect(joined.map((l) => JSON.parse(l.slice('remote-data='.length)))).toEqual([expected('recorder/0'), expected('recorder/0'), expected('recorder/1'), expected('recorder/1')]);
    expect(address('client/0')).toBe('10.1.2.10');
  });

  it('never runs -relation-broken on a peer relation: a removed unit departs, the others see it depart (worker/uniter/relation/resolver.go)', async () => {
    const { model, hooks } = await deployed({ units: 3 });
    hooks.length = 0;
    await model.removeUnit('recorder/2');
    expect(hooks.filter((h) => h.startsWith('recorder/2 '))).toEqual(['recorder/2 cluster-relation-departed', 'recorder/2 cluster-relation-departed', 'recorder/2 stop', 'recorder/2 remove']);
    expect(seen(model, 'recorder/0', 'hook=cluster-relation-departed').map((l) => l.replace(/ status=.*$/, ''))).toEqual(['hook=cluster-relation-departed remote=recorder/2 departing=recorder/2']);
    hooks.length = 0;
    await model.remove('recorder');
    expect(hooks.filter((h) => h.includes('relation-broken'))).toEqual([]);
    expect(model.snapshot().relations).toEqual([]);
  });
});
