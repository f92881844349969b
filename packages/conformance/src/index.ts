/** Runs charms.reactive conformance fixtures against the engine. */
export { runFixture } from './run-fixture.js';
export { fixtureCharm, runActions, FixtureRaise } from './fixture-charm.js';
export { firstDifference } from './compare.js';
export type { Difference } from './compare.js';
export { fixtureFiles, loadFixture } from './load-fixtures.js';
export { isFixtureFile } from './fixture-check.js';
export { configOptionOrder } from './config-option-order.js';
export type { LoadedFixture } from './load-fixtures.js';
export { fixtureFileSchema, fixtureSchema, resultSchema } from './fixture-schema.js';
export type { Fixture, FixtureFile, FixtureResult, HookResult, RoundResult, FixtureAction, FixtureTrigger } from './fixture-schema.js';
