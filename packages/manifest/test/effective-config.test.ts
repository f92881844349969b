import { describe, expect, it } from 'vitest';
import { effectiveConfig, type CharmConfigYaml } from '@charms/manifest';
import { effectiveConfig as fromQueries } from '@charms/manifest/queries';

const OPTIONS: CharmConfigYaml['options'] = {
  port: { type: 'int', default: 9000 },
  debug: { type: 'boolean', default: false },
  name: { type: 'string' },
  empty: { type: 'string', default: null },
};

describe('effectiveConfig', () => {
  it('gives every option its default when nothing is set, null when it has none', () => {
    expect(effectiveConfig(OPTIONS, {})).toEqual({ debug: false, empty: null, name: null, port: 9000 });
  });

  it('takes a set value over the default, also a falsy one', () => {
    expect(effectiveConfig(OPTIONS, { port: 0, name: '', debug: true })).toEqual({ debug: true, empty: null, name: '', port: 0 });
  });

  it('leaves out set values of options config.yaml does not have', () => {
    expect(effectiveConfig(OPTIONS, { gone: 'x' })).not.toHaveProperty('gone');
  });

  it('lists the options in sorted order, so equal configs are equal as JSON', () => {
    const a = effectiveConfig({ b: { default: 1 }, a: { default: 2 } }, {});
    const b = effectiveConfig({ a: { default: 2 }, b: { default: 1 } }, {});
    expect(Object.keys(a)).toEqual(['a', 'b']);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it('reads an option declared without a definition (null) as one without a default', () => {
    expect(effectiveConfig({ odd: null, set: null }, { set: 'v' })).toEqual({ odd: null, set: 'v' });
  });

  it('is empty for a charm without config.yaml, whatever is set', () => {
    expect(effectiveConfig(undefined, { port: 1 })).toEqual({});
  });

  it('does not read an inherited property as a set value', () => {
    const set = Object.create({ port: 1 }) as Record<string, unknown>;
    expect(effectiveConfig(OPTIONS, set).port).toBe(9000);
  });

  it('is the same function from the zod-free queries entry', () => {
    expect(fromQueries).toBe(effectiveConfig);
  });
});
