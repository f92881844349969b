import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { firstDifference, fixtureFileSchema, runFixture, type FixtureFile } from '@charms/conformance';
import { runCommand } from '../../cli/test/helpers/run-command.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..', '..');
const cases = join(here, '..', 'shared', 'cases');

function readCase(name: string): FixtureFile {
  return fixtureFileSchema.parse(JSON.parse(readFileSync(join(cases, `${name}.json`), 'utf8')));
}

describe('conformance runner', () => {
  it('reproduces a hand-written case exactly, rounds included', async () => {
    const { fixture, expected } = readCase('36-upstream-test-dispatch');
    const actual = await runFixture(fixture);
    expect(actual.invoked).toEqual(expected.invoked);
    expect(actual.hooks.map((h) => h.rounds)).toEqual(expected.hooks.map((h) => h.rounds));
    expect(firstDifference(expected, actual)).toBeUndefined();
  });

  it('reports the first difference with hook index, field, expected and actual', async () => {
    const { fixture, expected } = readCase('05-set-does-not-retest-queue');
    const actual = await runFixture(fixture);
    const tampered = structuredClone(expected);
    tampered.hooks[0]!.invoked = [...tampered.hooks[0]!.invoked].reverse();
    expect(firstDifference(tampered, actual)).toEqual({
      hookIndex: 0,
      field: 'invoked',
      expected: tampered.hooks[0]!.invoked,
      actual: actual.hooks[0]!.invoked,
    });
  });

  it('compares errors whole: the mapped exception class and the exit code must match', async () => {
    const { fixture, expected } = readCase('41-sys-exit-zero-commits');
    const actual = await runFixture(fixture);
    expect(firstDifference(expected, actual)).toBeUndefined();
    const renamed = structuredClone(expected);
    const failing = renamed.hooks.find((h) => h.error?.startsWith('exit:'))!;
    failing.error = 'exit:4';
    expect(firstDifference(renamed, actual)).toMatchObject({ field: 'error', expected: 'exit:4', actual: 'exit:3' });
  });

  it('rejects a fixture with an unknown key, naming the path', () => {
    const file = readCase('01-registration-order');
    const bad = { ...file, fixture: { ...file.fixture, handlers: [{ ...file.fixture.handlers![0], when_file_changed: ['x'] }] } };
    const parsed = fixtureFileSchema.safeParse(bad);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['fixture', 'handlers', 0]);
  });

  it('the command runs any folder of fixtures and ends with "N passed, N failed"', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'conformance-'));
    const good = readCase('06-clear-retests-queue');
    const wrong = structuredClone(readCase('07-noop-clear-still-retests'));
    wrong.expected.hooks[0]!.final_flags = ['not-a-flag'];
    writeFileSync(join(folder, 'a-good.json'), JSON.stringify(good));
    writeFileSync(join(folder, 'b-wrong.json'), JSON.stringify(wrong));
    writeFileSync(join(folder, 'c-broken.json'), '{"fixture": {');
    const unknownKey = structuredClone(good);
    (unknownKey.fixture.handlers![0] as Record<string, unknown>).when_file_changed = ['x'];
    writeFileSync(join(folder, 'd-unknown-key.json'), JSON.stringify(unknownKey));
    const result = await runCommand(process.execPath, [join(repo, 'packages', 'conformance', 'bin', 'conformance.mjs'), folder], { cwd: repo });
    const lines = result.stdout.trim().split('\n');
    expect(result.status).toBe(1);
    expect(lines[0]).toMatch(/^FAIL 07-noop-clear-still-retests .*hook 0 \(\w[\w-]*\) final_flags: expected \["not-a-flag"\]/);
    expect(lines[1]).toMatch(/^FAIL .*c-broken\.json: not readable JSON/);
    // zod explains a file the quick check turned down.
    expect(lines[2]).toMatch(/^FAIL .*d-unknown-key\.json: not in the fixture format: fixture\.handlers\.0: .*when_file_changed/);
    expect(lines.at(-1)).toBe('1 passed, 3 failed');
  }, 120_000); // a Node start (maybe a bundle first): seconds on a busy machine, and vitest's time-out applies while awaited
});
