import { describe, expect, it } from 'vitest';
import { configOptionOrder } from '@charms/conformance/testing';

/** A fixture file's text with these config_options, written in the order given. */
function fileText(options: string, extra = ''): string {
  return `{"fixture": {"name": "n",${extra} "hook": "install", "handlers": [], "config_options": ${options}}, "expected": {}}`;
}

function order(text: string): string[] {
  const json = JSON.parse(text) as { fixture: { config_options?: Record<string, unknown> } };
  return configOptionOrder(text, json.fixture.config_options);
}

describe('config_options order', () => {
  it('is the file order, which JSON.parse changes only for integer-like names', () => {
    const text = fileText('{"port": {"default": 1}, "10": {}, "b": null, "2": {"default": {"nested": [1, {"x": 2}]}}}');
    expect(Object.keys(JSON.parse(text).fixture.config_options)).toEqual(['2', '10', 'port', 'b']);
    expect(order(text)).toEqual(['port', '10', 'b', '2']);
  });

  it('needs no text when no name is integer-like', () => {
    expect(configOptionOrder('', { b: {}, a: {}, '1x': {}, '01': {} })).toEqual(['b', 'a', '1x', '01']);
    expect(configOptionOrder('', undefined)).toEqual([]);
  });

  it('is not misled by the same key elsewhere: in a string, or as another object with the same names', () => {
    const decoys =
      ' "description": "the \\"config_options\\": {\\"2\\": {}, \\"10\\": {}} of a charm",' +
      ' "metadata": {"config_options": {"2": {}, "10": {}}},';
    expect(order(fileText('{"10": {}, "2": {}}', decoys))).toEqual(['10', '2']);
    // A lookalike with other names does not count either.
    expect(order(fileText('{"10": {}, "2": {}}', ' "metadata": {"config_options": {"2": {}, "11": {}}},'))).toEqual(['10', '2']);
  });
});
