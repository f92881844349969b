import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { firstDifference, loadFixture, runFixture } from '@charms/conformance';

// Fixtures of our own, in the shared format, for behaviours the shared sets do not pin
// (conformance README §6). Their expected results were worked out from the original's
// source (charms.reactive, charm-helpers, layer-basic), each explained in its description.
const folder = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'charm-helpers');
const files = readdirSync(folder).filter((name) => name.endsWith('.json'));

describe('own conformance fixtures', () => {
  it('exist', () => expect(files.length).toBeGreaterThan(0));

  it.each(files)('%s', async (name) => {
    const loaded = await loadFixture(join(folder, name));
    if (!loaded.ok) throw new Error(loaded.problem);
    const actual = await runFixture(loaded.data.fixture, { configOptionOrder: loaded.configOptionOrder });
    expect(firstDifference(loaded.data.expected, actual)).toBeUndefined();
  });
});
