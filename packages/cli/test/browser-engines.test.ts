import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { PACKAGED_CHROMIUM, packagedChromiumManifest } from './helpers/chromium.js';

// The browser tests' Chromium comes from an npm package with its own Node range: every
// Node the project accepts must be one the package accepts too, or `pnpm install` on
// the oldest supported Node brings a browser package that does not support it.

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

function manifest(path: string): { engines?: { node?: string }; devDependencies?: Record<string, string> } {
  return JSON.parse(readFileSync(join(repo, path), 'utf8'));
}

/** The lowest version a project range accepts, and whether a package's range accepts it too. */
function floor(projectRange: string, packageRange: string): { lowest: string | undefined; accepted: boolean } {
  const lowest = semver.minVersion(projectRange);
  return { lowest: lowest?.version, accepted: lowest !== null && semver.satisfies(lowest, packageRange) };
}

describe('the Node range of the packaged Chromium', () => {
  it("accepts the lowest Node the root package.json's engines accept", () => {
    const project = manifest('package.json').engines?.node;
    const browser = packagedChromiumManifest().engines?.node;
    expect(project, 'root package.json engines.node').toBeTypeOf('string');
    expect(browser, `${PACKAGED_CHROMIUM} engines.node`).toBeTypeOf('string');
    const { lowest, accepted } = floor(project!, browser!);
    expect(accepted, `Node ${lowest} is accepted by the project (${project}) but not by ${PACKAGED_CHROMIUM} (${browser})`).toBe(true);
  });

  it('is compared at the lowest Node the project accepts, not at the Node running the tests', () => {
    expect(floor('>=20.19', '>=20.11.0')).toEqual({ lowest: '20.19.0', accepted: true });
    expect(floor('^20.19 || >=22.12', '>=20.11.0')).toEqual({ lowest: '20.19.0', accepted: true });
    // The range of @sparticuz/chromium 147.0.1, which needs Node 22.
    expect(floor('>=20.19', '>=22.17.0')).toEqual({ lowest: '20.19.0', accepted: false });
    expect(floor('>=20.19', '^22 || ^24')).toEqual({ lowest: '20.19.0', accepted: false });
    expect(floor('<0.0.0', '>=20')).toEqual({ lowest: undefined, accepted: false });
  });

  it('is the version @charms/cli pins, exactly', () => {
    const pinned = manifest('packages/cli/package.json').devDependencies?.[PACKAGED_CHROMIUM];
    expect(pinned, 'an exact version, no range').toMatch(/^\d+\.\d+\.\d+$/);
    expect(packagedChromiumManifest().version).toBe(pinned);
  });
});
