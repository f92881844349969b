import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyzeCharm, lintCharm } from '@charms/cli/testing';

// The charm with actions of the build tests: backup and broken of its own, rotate from its layer.
const fixture = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'build', 'test', 'fixtures', 'with-actions');

function copyCharm(): string {
  const root = mkdtempSync(join(tmpdir(), 'lint-actions-'));
  cpSync(fixture, root, { recursive: true });
  return join(root, 'charm');
}

describe('charms lint and actions', () => {
  it('finds nothing when every action of the merged actions.yaml has its module', async () => {
    const findings = lintCharm(await analyzeCharm(join(fixture, 'charm')));
    expect(findings.filter((f) => f.code.startsWith('action-'))).toEqual([]);
  });

  it('warns about an entry with no module, at its key, and a module with no entry, at its first line', async () => {
    const charm = copyCharm();
    const actionsYaml = readFileSync(join(charm, 'actions.yaml'), 'utf8');
    writeFileSync(join(charm, 'actions.yaml'), `${actionsYaml}restore:\n  description: Not written yet.\n`);
    writeFileSync(join(charm, 'actions', 'orphan.ts'), 'export default () => {};\n');
    const findings = lintCharm(await analyzeCharm(charm)).filter((f) => f.code.startsWith('action-'));
    expect(findings.map(({ file, line, level, code }) => ({ file, line, level, code }))).toEqual([
      { file: join(charm, 'actions.yaml'), line: actionsYaml.split('\n').length, level: 'warning', code: 'action-no-module' },
      { file: join(charm, 'actions', 'orphan.ts'), line: 1, level: 'warning', code: 'action-no-entry' },
    ]);
    expect(findings[0]!.message).toContain('action restore has no module');
  });
});
