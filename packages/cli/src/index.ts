/**
 * @charms/cli: the charms command. Its one export runs it in this process; building and
 * packing as functions are in @charms/build.
 */
export { run } from './program.js';
