/**
 * `@charms/runtime/internal`: what other workspace packages need from the runtime and
 * charm authors do not: the format of the hook trace that `charms explain` reads. Not
 * stable: anything here may change or go in any release.
 */
export type { HookTraceRecord } from './hook-trace.js';
