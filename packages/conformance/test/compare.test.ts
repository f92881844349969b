import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { firstDifference, fixtureFileSchema, runFixture, type FixtureFile } from '@charms/conformance';

const cases = join(dirname(fileURLToPath(import.meta.url)), '..', 'shared', 'cases');

function readCase(name: string): FixtureFile {
  return fixtureFileSchema.parse(JSON.parse(readFileSync(join(cases, `${name}.json`), 'utf8')));
}

describe('comparing errors', () => {
  it('an engine crash does not pass for the handler failure the original reports', async () => {
    const { fixture, expected } = readCase('18-exception-rolls-back-hook');
    const actual = await runFixture(fixture);
    const failing = expected.hooks.findIndex((h) => h.error === 'exception:HandlerError');
    expect(failing).toBeGreaterThanOrEqual(0);
    expect(firstDifference(expected, actual)).toBeUndefined();

    const crashed = structuredClone(actual);
    crashed.hooks[failing]!.error = 'exception:TypeError';
    expect(firstDifference(expected, crashed)).toEqual({
      hookIndex: failing,
      field: 'error',
      expected: 'exception:HandlerError',
      actual: 'exception:TypeError',
    });
  });

  it('each kind of failure maps to its own class: a rejected trigger is not a handler failure', async () => {
    const { fixture, expected } = readCase('29-invalid-trigger-fails-hook');
    const actual = await runFixture(fixture);
    const failing = expected.hooks.findIndex((h) => h.error === 'exception:ValueError');
    expect(actual.hooks[failing]!.error).toBe('exception:ValueError');
    const mixedUp = structuredClone(actual);
    mixedUp.hooks[failing]!.error = 'exception:HandlerError';
    expect(firstDifference(expected, mixedUp)).toMatchObject({ hookIndex: failing, field: 'error' });
  });
});
