import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createModel, LocalModel, ModelError } from '@charms/model';
import { checkConfig } from '@charms/model/testing';

// Smaller items of issue 15, item 6: integers the model cannot keep exactly are refused,
// not rounded; a model.json of the wrong shape is MODEL_CORRUPT naming the file and what
// is wrong.

const CONFIG_YAML = { options: { size: { type: 'int' as const, default: 1 }, ratio: { type: 'float' as const, default: 0.5 } } };
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('config values', () => {
  it('refuses an int beyond 2^53 - 1 instead of rounding it, from the command line or as a number', () => {
    expect(checkConfig(CONFIG_YAML, { size: '9007199254740991' })).toEqual({ size: 9007199254740991 });
    expect(checkConfig(CONFIG_YAML, { size: '-9007199254740991' })).toEqual({ size: -9007199254740991 });
    for (const size of ['9007199254740993', '-9007199254740993', '123456789012345678901234567890', 2 ** 60]) {
      const error = (() => {
        try {
          checkConfig(CONFIG_YAML, { size });
        } catch (e) {
          return e as ModelError;
        }
      })();
      expect(error).toMatchObject({ code: 'INVALID_CONFIG' });
      expect(error!.problems[0]).toContain('beyond ±9007199254740991');
    }
  });
});

describe('model.json', () => {
  it.each([
    ['null', 'null', 'the model record'],
    ['an array', '[]', 'the model record'],
    ['apps of the wrong type', '{"version":1,"apps":[],"relations":[],"nextRelationId":0,"clock":0,"hookCounter":0}', 'apps'],
    ['a unit without a queue', '{"version":1,"apps":{"kv":{"name":"kv","charm":"kv","charmDir":"charms/kv","revision":1,"config":{},"resources":{},"nextUnit":1,"leaderSettings":{},"units":[{"name":"kv/0","workload":{"status":"active","message":"","since":""},"agent":{"status":"idle","message":"","since":""},"controllerState":{},"openedPorts":[]}]}},"relations":[],"nextRelationId":0,"clock":0,"hookCounter":0}', 'apps.kv.units[0].queue'],
  ])('of the wrong shape (%s) is MODEL_CORRUPT, naming the file and the bad key, and left as it is', async (_name, text, where) => {
    const dir = mkdtempSync(join(tmpdir(), 'model-shape-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'model.json'), text);
    const error = (await LocalModel.open({ dir }).catch((e: unknown) => e)) as ModelError;
    expect(error).toBeInstanceOf(ModelError);
    expect(error.code).toBe('MODEL_CORRUPT');
    expect(error.message).toContain(join(dir, 'model.json'));
    expect(error.message).toContain(where);
    expect(error.message).not.toContain('Cannot read properties');
  });

  it('of the right shape opens, keys the model does not know included', async () => {
    const model = await createModel();
    dirs.push(model.dir);
    writeFileSync(join(model.dir, 'model.json'), JSON.stringify({ ...model.snapshot(), later: { anything: true } }));
    await expect(LocalModel.open({ dir: model.dir })).resolves.toBeInstanceOf(LocalModel);
  });
});
