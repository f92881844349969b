/**
 * @charms/reactive/testing: engine internals that the engine's own tests pin down. Not
 * stable: anything here may change or go in any release; charms should not import it.
 */
export { expandHookPatterns } from './hook-patterns.js';
export { MAX_TRIGGER_DEPTH } from './session.js';
