import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyzeCharm, lintCharm } from '@charms/cli/testing';

const here = dirname(fileURLToPath(import.meta.url));
const fixture = join(here, 'fixtures', 'interface-flags');

// Endpoint classes set flags named after their endpoint at run time
// (`expandName('{endpoint_name}.available')`), which no reading of the charm's code can
// find: a charm waiting on them is not waiting on a flag nothing sets.
describe('charms lint and interface layers', () => {
  it('a flag of an endpoint served by an included interface layer is one that can be set', async () => {
    const findings = lintCharm(await analyzeCharm(fixture));
    expect(findings.filter((f) => f.level === 'error')).toEqual([]);
  });

  it('without the interface layer, the same flag is one nothing sets', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'interface-flags-'));
    cpSync(fixture, copy, { recursive: true });
    writeFileSync(join(copy, 'layer.yaml'), 'includes: []\n');
    const findings = lintCharm(await analyzeCharm(copy));
    expect(findings.map((f) => [f.code, f.handler])).toEqual([['unset-flag', 'interface-flags:InterfaceFlags.ready']]);
  });
});
