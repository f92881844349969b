import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ManifestError } from '@charms/manifest';
import type { ResolvedLayer } from '@charms/build';
import { mergeCharmFiles } from '@charms/build/testing';

const root = mkdtempSync(join(tmpdir(), 'charms-merge-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function layer(name: string, kind: ResolvedLayer['kind'], files: Record<string, string>): ResolvedLayer {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return { name, ref: name, dir, layerYaml: {}, kind } as ResolvedLayer;
}

const METADATA = 'name: kv\nsummary: s\ndescription: d\nseries: [kubernetes]\n';

describe('the charm files merged over the layers', () => {
  // Issue 15 item 6: a problem found only after merging pointed at 1:1 of the charm's file.
  it('places a problem of the merged config.yaml at its line in the layer that gave the value', () => {
    const base = layer('base', 'local', { 'config.yaml': 'options:\n  port:\n    type: int\n    default: 9000\n' });
    const charm = layer('charm', 'charm', {
      'metadata.yaml': METADATA,
      'config.yaml': 'options:\n  name:\n    type: string\n  port:\n    description: the port\n    default: "x"\n',
    });
    const error = (() => {
      try {
        mergeCharmFiles([base, charm]);
      } catch (e) {
        return e as ManifestError;
      }
      throw new Error('the merge passed');
    })();
    expect(error.problems.map((p) => [p.file, p.line, p.col, p.message])).toEqual([
      [join(charm.dir, 'config.yaml'), 6, 14, expect.stringContaining("after merging the layers, options.port.default: the default does not have the option's type")],
    ]);
  });

  it('places a key missing in every layer at the key that lacks it', () => {
    const charm = layer('lonely', 'charm', { 'metadata.yaml': METADATA, 'config.yaml': 'options:\n  port:\n    default: 1\n' });
    let problems: ManifestError['problems'] = [];
    try {
      mergeCharmFiles([charm]);
    } catch (e) {
      problems = (e as ManifestError).problems;
    }
    expect(problems.map((p) => [p.line, p.col, p.message])).toEqual([[2, 3, expect.stringContaining('options.port.type')]]);
  });
});
