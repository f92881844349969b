/**
 * Runs charms.reactive conformance fixtures against the engine: load a fixture file,
 * run it, compare the result with the one the original produced.
 *
 * The public API, listed in docs/reference/conformance.md (`pnpm conformance` is
 * src/cli.ts). The runner's parts, for its own tests, are at
 * `@charms/conformance/testing` (not stable).
 */
export { runFixture } from './run-fixture.js';
export { firstDifference } from './compare.js';
export type { Difference } from './compare.js';
export { fixtureFiles, loadFixture } from './load-fixtures.js';
export type { LoadedFixture } from './load-fixtures.js';
export { fixtureFileSchema } from './fixture-schema.js';
export type { Fixture, FixtureFile, FixtureResult, HookResult, RoundResult } from './fixture-schema.js';
