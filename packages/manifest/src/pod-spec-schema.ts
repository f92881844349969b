/**
 * `@charms/manifest/pod-spec`: the pod spec v3 schema alone, built with zod/mini: what a
 * hook loads to check a spec before `pod-spec-set` (pod-spec.ts says why it is mini).
 */
export { podSpecV3Schema } from './pod-spec.js';
export type { PodSpecV3 } from './pod-spec.js';
