/**
 * @charms/conformance/testing: the runner's parts one by one, for its own tests: the
 * quick structural check beside the zod schema, and the reading of option order from
 * the fixture text. Not stable: names and shapes change without notice.
 */
export { isFixtureFile } from './fixture-check.js';
export { configOptionOrder } from './config-option-order.js';
