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

  it('counts a flag an action sets for the next hook as set: a handler waiting for it is no unset-flag error', async () => {
    // backup sets keeper.backed-up, which reportBackup waits for and clears.
    const analysis = await analyzeCharm(join(fixture, 'charm'));
    expect(analysis.actionSets?.get('keeper.backed-up')).toBe('action backup');
    expect(lintCharm(analysis).filter((f) => f.code === 'unset-flag')).toEqual([]);
    // Without the action's setFlag nothing sets it: the error comes back.
    const charm = copyCharm();
    const backup = join(charm, 'actions', 'backup.ts');
    writeFileSync(backup, readFileSync(backup, 'utf8').replace("ctx.setFlag('keeper.backed-up');", ''));
    expect(lintCharm(await analyzeCharm(charm)).filter((f) => f.code === 'unset-flag').map((f) => f.message)).toEqual(['keeper:reportBackup waits for keeper.backed-up, which nothing sets']);
  });
});
