import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ModelRecord } from '@charms/model';
import { readReplayRecord, recordHookContext, replayView } from '../src/hook-replay.js';

// What charms replay gives a hook again (jhack replay re-emits a recorded event with the
// environment it was recorded with): the config and relation data it started with, while
// its writes go to the live model.

function world(): ModelRecord {
  const since = '2026-01-01T00:00:00Z';
  const unit = { name: 'probe/0', workload: { status: 'active', message: '', since }, agent: { status: 'idle', message: '', since }, queue: [], controllerState: {}, openedPorts: [] };
  return {
    version: 1,
    apps: {
      probe: { name: 'probe', charm: 'probe', charmDir: 'charms/probe', revision: 1, config: { mode: 'bad' }, resources: {}, units: [unit], nextUnit: 1, leaderSettings: {} },
    },
    relations: [
      { id: 3, interface: 'http', ends: [{ app: 'probe', endpoint: 'website', role: 'provides' }, { app: 'web', endpoint: 'backend', role: 'requires' }], data: { 'web/0': { port: '80' } }, joined: {} },
      { id: 4, interface: 'db', ends: [{ app: 'other', endpoint: 'db', role: 'provides' }, { app: 'web', endpoint: 'db', role: 'requires' }], data: { 'other/0': { password: 'x' } }, joined: {} },
    ],
  } as unknown as ModelRecord;
}

describe('a hook\'s replay record', () => {
  it('keeps the event, the set config and the data of the application\'s relations only, owner-only', async () => {
    const model = world();
    const file = join(mkdtempSync(join(tmpdir(), 'charms-replay-')), '5.context.json');
    recordHookContext(file, model, model.apps.probe!, 'probe/0', { hook: 'website-relation-changed', relationId: 3, remoteUnit: 'web/0', remoteApp: 'web' });
    const { statSync } = await import('node:fs');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const record = readReplayRecord(file, 'hook 5 of probe/0');
    expect(record).toEqual({
      version: 1,
      unit: 'probe/0',
      event: { hook: 'website-relation-changed', relationId: 3, remoteUnit: 'web/0', remoteApp: 'web' },
      config: { mode: 'bad' },
      relations: [{ id: 3, data: { 'web/0': { port: '80' } } }],
    });
  });

  it('is refused with the file named when it is missing or of the wrong shape', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'charms-replay-'));
    expect(() => readReplayRecord(join(dir, 'none.context.json'), 'hook 2 of probe/0')).toThrow(/hook 2 of probe\/0 has no recorded context/);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'bad.context.json'), '{"version":1,"unit":"probe/0","event":{},"config":{},"relations":[]}');
    expect(() => readReplayRecord(join(dir, 'bad.context.json'), 'hook 2')).toThrow(expect.objectContaining({ code: 'MODEL_CORRUPT', message: expect.stringContaining('bad.context.json: event.hook') }));
  });
});

describe('the model a replayed hook sees', () => {
  it('reads the recorded config and relation data, and writes to the live records', () => {
    const model = world();
    const file = join(mkdtempSync(join(tmpdir(), 'charms-replay-')), '1.context.json');
    recordHookContext(file, model, model.apps.probe!, 'probe/0', { hook: 'config-changed' });
    const record = readReplayRecord(file, 'hook 1');
    // Since the hook ran: the config was fixed and the remote unit changed its data.
    model.apps.probe!.config = { mode: 'good' };
    model.relations[0]!.data['web/0'] = { port: '8080' };

    const view = replayView(model, model.apps.probe!, record);
    expect(view.app.config).toEqual({ mode: 'bad' });
    expect(view.model.apps.probe!.config).toEqual({ mode: 'bad' });
    expect(view.model.relations[0]!.data).toEqual({ 'web/0': { port: '80' } });
    // A relation the application is not in reads as it is.
    expect(view.model.relations[1]!.data).toEqual({ 'other/0': { password: 'x' } });

    view.app.applicationStatus = { status: 'active', message: 'replayed', since: 'now' };
    view.app.leaderSettings = { k: 'v' };
    expect(model.apps.probe!.applicationStatus).toMatchObject({ message: 'replayed' });
    expect(model.apps.probe!.leaderSettings).toEqual({ k: 'v' });
    expect(model.apps.probe!.config).toEqual({ mode: 'good' });
    expect(view.app.units[0]).toBe(model.apps.probe!.units[0]);
  });
});
